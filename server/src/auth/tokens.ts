import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Tokens are 256 random bits, so a plain SHA-256 is enough to keep the stored form useless if leaked. */
export const newToken = (): string => randomBytes(32).toString('base64url');
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url');

export function tokenMatches(token: string, storedHash: string): boolean {
  const a = Buffer.from(hashToken(token));
  const b = Buffer.from(storedHash);
  return a.length === b.length && timingSafeEqual(a, b);
}
