import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Identity verification for visitors identified by the host page: the host's backend signs the identity with
 * the site's identity secret (HMAC-SHA256); the expiry bounds how long a captured signature can be replayed.
 *
 * v2 (current): the signed string is `v2` followed by each field as `|<UTF-8 byte length>:<value>`, in the
 * order userId, email, name, expiresAt (an omitted field is the empty string), and the signature is `v2.` +
 * lowercase hex. The length prefixes make the split unambiguous whatever a value contains: the v1 string
 * `userId|email|name|expiresAt` let a signature for email `evil|alice@example.com` verify userId `mallory|evil`.
 *
 * v1 (deprecated, see docs/widget-api.md): a signature without the `v2.` prefix over the `|`-joined string.
 * Still accepted for a deprecation period, but only when no field contains `|`, which makes its split
 * unambiguous too.
 */
export interface IdentityClaim {
  userId?: string | undefined;
  email?: string | undefined;
  name?: string | undefined;
  /** Unix time in seconds. */
  expiresAt?: number | undefined;
  signature?: string | undefined;
}

export const IDENTITY_V2_PREFIX = 'v2.';

const fields = (c: IdentityClaim): string[] => [
  c.userId ?? '',
  c.email ?? '',
  c.name ?? '',
  c.expiresAt === undefined ? '' : String(c.expiresAt),
];

/** The exact string a v2 signature covers. */
export const identityPayload = (c: IdentityClaim): string =>
  `v2${fields(c)
    .map((v) => `|${Buffer.byteLength(v, 'utf8')}:${v}`)
    .join('')}`;

/** The exact string a deprecated v1 signature covers. */
export const legacyIdentityPayload = (c: IdentityClaim): string => fields(c).join('|');

const hmacHex = (secret: string, payload: string): string =>
  createHmac('sha256', secret).update(payload, 'utf8').digest('hex');

/** A v2 signature, as the host's backend computes it (used by tests and documented as the reference). */
export function signIdentity(secret: string, c: IdentityClaim): string {
  return IDENTITY_V2_PREFIX + hmacHex(secret, identityPayload(c));
}

/** A deprecated v1 signature (tests of the deprecation path only). */
export function signLegacyIdentity(secret: string, c: IdentityClaim): string {
  return hmacHex(secret, legacyIdentityPayload(c));
}

export type IdentityVerdict = 'verified' | 'unsigned' | 'expired' | 'invalid';
export type IdentityScheme = 'v2' | 'v1';

export const identityScheme = (signature: string): IdentityScheme =>
  signature.startsWith(IDENTITY_V2_PREFIX) ? 'v2' : 'v1';

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function verifyIdentity(secret: string, c: IdentityClaim, nowMs: number): IdentityVerdict {
  if (!c.signature || c.expiresAt === undefined) return 'unsigned';
  let ok: boolean;
  if (identityScheme(c.signature) === 'v2') {
    ok = sameText(signIdentity(secret, c), c.signature);
  } else {
    // A `|` inside a field would let the v1 string be re-split into other fields: refuse, whatever it signs.
    if (fields(c).some((v) => v.includes('|'))) return 'invalid';
    ok = sameText(hmacHex(secret, legacyIdentityPayload(c)), c.signature.toLowerCase());
  }
  if (!ok) return 'invalid';
  if (c.expiresAt * 1000 < nowMs) return 'expired';
  return 'verified';
}

/**
 * The name, email and user id to store for a claim. A verified identity is stored exactly as signed (no
 * trimming, no case change: `Alice@Example.com` signed is not `alice@example.com`); an unverified one is
 * tidied for display. `undefined` = the claim did not mention the field (leave it), `null` = clear it.
 */
export function identityToStore(
  c: IdentityClaim,
  verified: boolean,
): { name?: string | null; email?: string | null; userId?: string | null } {
  const out: { name?: string | null; email?: string | null; userId?: string | null } = {};
  if (verified) {
    out.name = c.name || null;
    out.email = c.email || null;
    out.userId = c.userId || null;
    return out;
  }
  if (c.name !== undefined) out.name = c.name.trim().slice(0, 200) || null;
  if (c.email !== undefined) out.email = c.email.trim().toLowerCase().slice(0, 254) || null;
  if (c.userId !== undefined) out.userId = c.userId.trim() || null;
  return out;
}
