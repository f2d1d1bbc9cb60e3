import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLegacyIdentity } from '../../server/src/core/identity.js';
import { startServer, type TestServer } from '../helpers/start-server.js';
import { connectVisitor } from '../helpers/ws-client.js';

/** The v2 signature exactly as docs/widget-api.md tells a host's backend to compute it (no server code). */
function documentedV2(secret: string, c: { userId: string; email: string; name: string; expiresAt: number }) {
  const payload = `v2${[c.userId, c.email, c.name, String(c.expiresAt)]
    .map((v) => `|${Buffer.byteLength(v, 'utf8')}:${v}`)
    .join('')}`;
  return `v2.${createHmac('sha256', secret).update(payload).digest('hex')}`;
}

/**
 * Issue #9 point 9 through the real socket: the documented v2 signature verifies; a `|` can no longer move
 * data between signed fields (the v1 attack: a signature issued for email `evil|alice@example.com` verified
 * userId `mallory|evil`); the old v1 form still verifies during its deprecation period when unambiguous.
 */
describe('signed identities: v2 payload, v1 deprecation', () => {
  let server: TestServer;
  let secret: string;
  const expiresAt = Math.floor(Date.now() / 1000) + 600;
  beforeAll(async () => {
    server = await startServer();
    secret = (await server.app.store.getSite(server.site.id))!.identitySecret;
  });
  afterAll(async () => server.close());

  const identify = async (frame: Record<string, unknown>) => {
    const { client } = await connectVisitor(server.wsUrl, server.origin);
    client.send({ type: 'identify', ...frame });
    const answer = await client.next<{ status: string }>((f) => f.type === 'identity');
    await client.close();
    return answer.status;
  };

  it('the documented v2 snippet verifies, with any characters in the values', async () => {
    const claim = { userId: 'ü|42', email: 'jana|x@example.com', name: 'Jána: "J" | Nováková', expiresAt };
    expect(await identify({ ...claim, signature: documentedV2(secret, claim) })).toBe('verified');
    expect(await identify({ ...claim, name: 'Jána', signature: documentedV2(secret, claim) })).toBe(
      'invalid',
    );
  });

  it('a `|` cannot re-split signed fields, in either form', async () => {
    // The attacker obtained a signature for their own account with a crafted email…
    const issued = { userId: 'mallory', email: 'evil|alice@example.com', name: '', expiresAt };
    // …and presents the same string split differently, to claim alice@example.com.
    const forged = { userId: 'mallory|evil', email: 'alice@example.com', name: '', expiresAt };
    expect(await identify({ ...forged, signature: documentedV2(secret, issued) })).toBe('invalid');
    expect(await identify({ ...forged, signature: signLegacyIdentity(secret, issued) })).toBe('invalid');
  });

  it('the deprecated v1 form still verifies while no field contains `|`', async () => {
    const claim = { userId: '42', email: 'jana@example.com', name: 'Jana', expiresAt };
    expect(await identify({ ...claim, signature: signLegacyIdentity(secret, claim) })).toBe('verified');
  });
});
