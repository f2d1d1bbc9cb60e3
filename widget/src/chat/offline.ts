import type { ErrorCode, VisitorClientFrame } from '@beseda/shared/types';
import { storageKey } from '../keys.js';
import { newClientId } from './client-id.js';
import { readJson, type StorageLike, write } from './storage.js';

/**
 * The leave-a-message form as an outbox of one: persisted before it is sent, resent after every welcome
 * until the server acks its clientId (the server dedupes by it, so a resend never makes a second
 * conversation), then kept as the confirmation the visitor sees, for a day.
 */

export type OfflineFrame = Extract<VisitorClientFrame, { type: 'offline_message' }>;

export interface OfflineRecord {
  clientId: string;
  name: string;
  email: string;
  text: string;
  at: number;
  /** Set by the ack: the message is stored. */
  conversationId?: string;
  failed?: ErrorCode;
}

/** Mirrors the protocol's pattern for VOfflineMessage.email. */
export const EMAIL = /^[^@\s]+@[^@\s]+$/;
const KEEP_CONFIRMATION_MS = 24 * 3600_000;

export class OfflineBox {
  rec: OfflineRecord | null = null;
  private readonly key: string;

  constructor(
    private readonly storage: StorageLike,
    site: string,
    now: number,
  ) {
    this.key = storageKey(site, 'offline');
    this.reload();
    if (this.rec && now - this.rec.at > KEEP_CONFIRMATION_MS) this.clear();
  }

  reload(): void {
    const r = readJson<OfflineRecord>(this.storage, this.key);
    this.rec = r && typeof r.clientId === 'string' ? r : null;
  }

  /** True while a form waits for its ack. */
  get pending(): boolean {
    return !!this.rec && !this.rec.conversationId && !this.rec.failed;
  }

  /** Stores the form; null when it would be refused anyway (the form shows why). */
  submit(form: { name: string; email: string; text: string }, now: number): OfflineRecord | null {
    const name = form.name.trim().slice(0, 200);
    const email = form.email.trim().slice(0, 254);
    const text = form.text.trim().slice(0, 4000);
    if (!name || !text || !EMAIL.test(email)) return null;
    this.rec = { clientId: newClientId(), name, email, text, at: now };
    this.save();
    return this.rec;
  }

  frame(): OfflineFrame | null {
    const r = this.rec;
    if (!r || !this.pending) return null;
    return { type: 'offline_message', clientId: r.clientId, name: r.name, email: r.email, text: r.text };
  }

  /** True when the ack was for the form. */
  acked(clientId: string, conversationId: string): boolean {
    if (this.rec?.clientId !== clientId) return false;
    this.rec = { ...this.rec, conversationId };
    this.save();
    return true;
  }

  fail(code: ErrorCode): void {
    if (!this.rec) return;
    this.rec = { ...this.rec, failed: code };
    this.save();
  }

  clear(): void {
    this.rec = null;
    this.save();
  }

  private save(): void {
    write(this.storage, this.key, this.rec ? JSON.stringify(this.rec) : null);
  }
}
