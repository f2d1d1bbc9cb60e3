import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  identityPayload,
  identityToStore,
  signIdentity,
  signLegacyIdentity,
  verifyIdentity,
} from './identity.js';

describe('identity verification', () => {
  const secret = 'site-secret';
  const claim = { userId: 'u42', email: 'jana@example.com', name: 'Jana', expiresAt: 2_000_000_000 };

  it('accepts a valid, unexpired signature', () => {
    expect(
      verifyIdentity(secret, { ...claim, signature: signIdentity(secret, claim) }, 1_000_000_000_000),
    ).toBe('verified');
  });

  it('signs the documented v2 string: length-prefixed UTF-8 fields, v2. + hex', () => {
    const c = { userId: '7', email: 'é@x.cz', name: 'Ján', expiresAt: 1767225600 };
    expect(identityPayload(c)).toBe('v2|1:7|7:é@x.cz|4:Ján|10:1767225600');
    // What the README's snippet computes, byte for byte.
    const doc = `v2${['7', 'é@x.cz', 'Ján', '1767225600'].map((v) => `|${Buffer.byteLength(v)}:${v}`).join('')}`;
    expect(signIdentity(secret, c)).toBe(`v2.${createHmac('sha256', secret).update(doc).digest('hex')}`);
    expect(identityPayload({ expiresAt: 5 })).toBe('v2|0:|0:|0:|1:5');
    // The worked example of docs/widget-api.md.
    expect(
      identityPayload({ userId: '42', email: 'jana@example.com', name: 'Jána', expiresAt: 1767225600 }),
    ).toBe('v2|2:42|16:jana@example.com|5:Jána|10:1767225600');
  });

  it('rejects a forged or altered identity', () => {
    const signature = signIdentity(secret, claim);
    expect(verifyIdentity(secret, { ...claim, email: 'boss@example.com', signature }, 0)).toBe('invalid');
    expect(verifyIdentity(secret, { ...claim, signature: signIdentity('other', claim) }, 0)).toBe('invalid');
    expect(verifyIdentity(secret, { ...claim, email: 'JANA@example.com', signature }, 0)).toBe('invalid');
  });

  it('a `|` inside a field cannot move data between fields (v2), and voids a v1 signature', () => {
    const signed = { userId: 'mallory', email: 'evil|alice@example.com', name: '', expiresAt: 2_000_000_000 };
    const resplit = {
      userId: 'mallory|evil',
      email: 'alice@example.com',
      name: '',
      expiresAt: 2_000_000_000,
    };
    // v1 strings of the two claims are identical: the attack of issue #9.
    expect(`${resplit.userId}|${resplit.email}|${resplit.name}|${resplit.expiresAt}`).toBe(
      `${signed.userId}|${signed.email}|${signed.name}|${signed.expiresAt}`,
    );
    expect(verifyIdentity(secret, { ...resplit, signature: signIdentity(secret, signed) }, 0)).toBe(
      'invalid',
    );
    expect(verifyIdentity(secret, { ...resplit, signature: signLegacyIdentity(secret, signed) }, 0)).toBe(
      'invalid',
    );
    expect(verifyIdentity(secret, { ...signed, signature: signLegacyIdentity(secret, signed) }, 0)).toBe(
      'invalid',
    );
    expect(verifyIdentity(secret, { ...signed, signature: signIdentity(secret, signed) }, 0)).toBe(
      'verified',
    );
  });

  it('still accepts a v1 signature without `|` in its fields (deprecation period)', () => {
    const signature = signLegacyIdentity(secret, claim);
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyIdentity(secret, { ...claim, signature }, 0)).toBe('verified');
    expect(verifyIdentity(secret, { ...claim, name: 'Eva', signature }, 0)).toBe('invalid');
    // A v1 signature presented as v2 (or the reverse) never verifies.
    expect(verifyIdentity(secret, { ...claim, signature: `v2.${signature}` }, 0)).toBe('invalid');
  });

  it('treats an expired signature as expired, and no signature as unsigned', () => {
    const signature = signIdentity(secret, claim);
    expect(verifyIdentity(secret, { ...claim, signature }, 2_000_000_001_000)).toBe('expired');
    expect(verifyIdentity(secret, { email: 'x@example.com' }, 0)).toBe('unsigned');
  });

  it('stores a verified identity exactly as signed, an unverified one tidied', () => {
    const signed = { userId: ' 42', email: 'Alice@Example.com', name: ' Alice ', expiresAt: 1 };
    expect(identityToStore(signed, true)).toEqual({
      userId: ' 42',
      email: 'Alice@Example.com',
      name: ' Alice ',
    });
    expect(identityToStore({ email: 'Alice@Example.com', expiresAt: 1 }, true)).toEqual({
      userId: null,
      email: 'Alice@Example.com',
      name: null,
    });
    expect(identityToStore({ email: ' Alice@Example.com ', name: ' ' }, false)).toEqual({
      email: 'alice@example.com',
      name: null,
    });
  });
});
