import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Identity verification for visitors identified by the host page. The host's backend signs
 * `userId|email|name|expiresAt` with the site's identity secret (HMAC-SHA256, hex); the expiry bounds how
 * long a captured signature can be replayed. The exact string is documented in docs/widget-api.md.
 */
export interface IdentityClaim {
  userId?: string | undefined;
  email?: string | undefined;
  name?: string | undefined;
  /** Unix time in seconds. */
  expiresAt?: number | undefined;
  signature?: string | undefined;
}

export const identityPayload = (c: IdentityClaim): string =>
  [c.userId ?? '', c.email ?? '', c.name ?? '', String(c.expiresAt ?? '')].join('|');

export function signIdentity(secret: string, c: IdentityClaim): string {
  return createHmac('sha256', secret).update(identityPayload(c)).digest('hex');
}

export type IdentityVerdict = 'verified' | 'unsigned' | 'expired' | 'invalid';

export function verifyIdentity(secret: string, c: IdentityClaim, nowMs: number): IdentityVerdict {
  if (!c.signature || c.expiresAt === undefined) return 'unsigned';
  const expected = Buffer.from(signIdentity(secret, c));
  const given = Buffer.from(c.signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
  if (c.expiresAt * 1000 < nowMs) return 'expired';
  return 'verified';
}
