import { describe, expect, it } from 'vitest';
import { signIdentity, verifyIdentity } from './identity.js';

describe('identity verification', () => {
  const secret = 'site-secret';
  const claim = { userId: 'u42', email: 'jana@example.com', name: 'Jana', expiresAt: 2_000_000_000 };

  it('accepts a valid, unexpired signature', () => {
    expect(
      verifyIdentity(secret, { ...claim, signature: signIdentity(secret, claim) }, 1_000_000_000_000),
    ).toBe('verified');
  });

  it('rejects a forged or altered identity', () => {
    const signature = signIdentity(secret, claim);
    expect(verifyIdentity(secret, { ...claim, email: 'boss@example.com', signature }, 0)).toBe('invalid');
    expect(verifyIdentity(secret, { ...claim, signature: signIdentity('other', claim) }, 0)).toBe('invalid');
  });

  it('treats an expired signature as expired, and no signature as unsigned', () => {
    const signature = signIdentity(secret, claim);
    expect(verifyIdentity(secret, { ...claim, signature }, 2_000_000_001_000)).toBe('expired');
    expect(verifyIdentity(secret, { email: 'x@example.com' }, 0)).toBe('unsigned');
  });
});
