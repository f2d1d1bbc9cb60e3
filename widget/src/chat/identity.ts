import type { VisitorClientFrame } from '@beseda/shared/types';
import type { Attributes, Identity } from '../contract.js';
import { storageKey } from '../keys.js';
import { readJson, type StorageLike, write } from './storage.js';

/**
 * Who the visitor is, as the host page (`Beseda.identify`, `Beseda.setAttributes`) and the pre-chat form
 * told us, persisted so it survives navigation and reaches the server after every reconnect until the
 * server answered it (`identity`). Always sent whole (identity fields + all attributes), so the server may
 * treat an `identify` as a replacement. A signed identity is never altered by the pre-chat form: its name
 * and email are what the signature covers.
 */

export type IdentifyFrame = Extract<VisitorClientFrame, { type: 'identify' }>;
export type IdentityStatus = 'verified' | 'unsigned' | 'expired' | 'invalid';

export interface IdentityRecord {
  claim: Identity;
  attributes: Attributes;
  /** The server answered this exact record. */
  sent: boolean;
  status: IdentityStatus | null;
  /** The pre-chat form was filled in (it is not asked again in this browser). */
  prechat: boolean;
}

const str = (v: unknown, max: number): string | undefined =>
  typeof v === 'string' && v.trim() ? v.trim().slice(0, max) : undefined;

/** Keeps only what the protocol accepts, so a bad argument from the host page can never make a frame the server rejects. */
export function cleanIdentity(raw: unknown): Identity {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const out: Identity = {};
  const name = str(r.name, 200);
  const email = str(r.email, 254);
  const userId = r.userId === undefined || r.userId === null ? undefined : str(String(r.userId), 200);
  const signature = str(r.signature, 128);
  const exp = Number(r.expiresAt);
  if (name) out.name = name;
  if (email) out.email = email;
  if (userId) out.userId = userId;
  if (Number.isInteger(exp) && exp >= 0 && r.expiresAt !== null && r.expiresAt !== '') out.expiresAt = exp;
  if (signature) out.signature = signature;
  return out;
}

export function cleanAttributes(raw: unknown, into: Attributes = {}): Attributes {
  const out: Attributes = { ...into };
  if (!raw || typeof raw !== 'object') return out;
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    const key = k.slice(0, 64);
    if (!key) continue;
    if (v === null || v === undefined) delete out[key];
    else if (typeof v === 'string') out[key] = v.slice(0, 500);
    else if (typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) out[key] = v;
  }
  const keys = Object.keys(out);
  for (const k of keys.slice(0, Math.max(0, keys.length - 50))) delete out[k];
  return out;
}

export class IdentityBox {
  rec: IdentityRecord | null = null;
  private readonly key: string;

  constructor(
    private readonly storage: StorageLike,
    site: string,
  ) {
    this.key = storageKey(site, 'ident');
    this.reload();
  }

  reload(): void {
    const r = readJson<IdentityRecord>(this.storage, this.key);
    this.rec = r && typeof r.claim === 'object' && r.claim ? { ...r, attributes: r.attributes ?? {} } : null;
  }

  get signed(): boolean {
    return !!this.rec?.claim.signature;
  }

  /** The host page says who the visitor is (replacing the identity, keeping attributes). True when something must be sent. */
  identify(raw: unknown): boolean {
    const claim = cleanIdentity(raw);
    return this.update(claim, this.rec?.attributes ?? {});
  }

  setAttributes(raw: unknown): boolean {
    const r = this.rec;
    return this.update(r?.claim ?? {}, cleanAttributes(raw, r?.attributes));
  }

  /**
   * The pre-chat form (`prechat` true) or the leave-a-message form: name and email fill in (unless signed,
   * or left empty), the rest joins the attributes.
   */
  fill(name: string, email: string, attributes: Attributes, prechat: boolean): boolean {
    const r = this.rec;
    const typed = cleanIdentity({ name, email });
    const claim = this.signed && r ? r.claim : { ...r?.claim, ...typed };
    const changed = this.update(claim, cleanAttributes(attributes, r?.attributes));
    if (prechat) {
      this.rec!.prechat = true;
      this.save();
    }
    return changed;
  }

  /** The frame to send, or null when the server already has this record. */
  frame(): IdentifyFrame | null {
    const r = this.rec;
    if (!r || r.sent) return null;
    const f: IdentifyFrame = { type: 'identify', ...r.claim };
    if (Object.keys(r.attributes).length) f.attributes = r.attributes;
    return f;
  }

  answered(status: IdentityStatus): void {
    if (!this.rec) return;
    this.rec = { ...this.rec, sent: true, status };
    this.save();
  }

  private update(claim: Identity, attributes: Attributes): boolean {
    const r = this.rec;
    if (r && JSON.stringify([r.claim, r.attributes]) === JSON.stringify([claim, attributes]) && r.sent)
      return false;
    this.rec = { claim, attributes, sent: false, status: null, prechat: r?.prechat ?? false };
    this.save();
    return true;
  }

  private save(): void {
    write(this.storage, this.key, this.rec ? JSON.stringify(this.rec) : null);
  }
}
