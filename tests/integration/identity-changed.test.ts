import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIdentity } from '../../server/src/core/identity.js';
import { startServer, type TestServer } from '../helpers/start-server.js';
import { clientId, connectVisitor, type TestClient } from '../helpers/ws-client.js';

const closed = (c: TestClient) =>
  c.closeCode !== null ? Promise.resolve(c.closeCode) : new Promise<number>((r) => c.ws.once('close', r));

/**
 * Issue #9 point 9: a second user identifying (verified) on a browser whose visitor is verified as another
 * user must not inherit that user's visitor or conversations: `identity_changed`, the socket closes, and
 * nothing that socket sends afterwards lands in the first user's chat.
 */
describe('a different verified user on the same visitor', () => {
  let server: TestServer;
  let secret: string;
  const expiresAt = Math.floor(Date.now() / 1000) + 600;
  const signed = (c: { userId?: string; email?: string; name?: string }) => ({
    type: 'identify',
    ...c,
    expiresAt,
    signature: signIdentity(secret, { ...c, expiresAt }),
  });
  beforeAll(async () => {
    server = await startServer();
    secret = (await server.app.store.getSite(server.site.id))!.identitySecret;
  });
  afterAll(async () => server.close());

  it('is refused with identity_changed; the pipelined message is not stored for the first user', async () => {
    const { client, identity } = await connectVisitor(server.wsUrl, server.origin);
    client.send(signed({ userId: 'alice-1', email: 'alice@example.com', name: 'Alice' }));
    expect(await client.next((f) => f.type === 'identity')).toMatchObject({ status: 'verified' });
    const cid = clientId();
    client.send({ type: 'send', clientId: cid, text: 'Alice: my order 1234' });
    const ack = await client.next<{ conversationId: string }>((f) => f.type === 'ack' && f.clientId === cid);

    // The same user again (a fresh signature, a changed email) is fine and changes nothing else.
    client.send(signed({ userId: 'alice-1', email: 'alice@new.example', name: 'Alice' }));
    expect(await client.nextNew('identity')).toMatchObject({ status: 'verified', verified: true });

    // Bob logs in on the same browser; the host page identifies him and he types at once.
    client.send(signed({ userId: 'bob-2', email: 'bob@example.com', name: 'Bob' }));
    const bobs = clientId();
    client.send({ type: 'send', clientId: bobs, text: 'Bob: private question' });
    expect(await client.next((f) => f.type === 'error')).toMatchObject({ code: 'identity_changed' });
    expect(await closed(client)).toBe(4409);
    expect(client.frames.some((f) => f.type === 'ack' && f.clientId === bobs)).toBe(false);

    const alice = await server.app.store.getVisitor(identity.visitorId);
    expect(alice).toMatchObject({ userId: 'alice-1', email: 'alice@new.example', verified: true });
    expect((await server.app.store.listMessages(ack.conversationId, 0)).map((m) => m.text)).toEqual([
      'Alice: my order 1234',
    ]);
    expect((await server.app.store.listVisitorConversations(identity.visitorId, 10)).length).toBe(1);

    // Bob's new visitor session: his identity verifies and his message opens his own conversation.
    const bob = await connectVisitor(server.wsUrl, server.origin);
    expect(bob.identity.visitorId).not.toBe(identity.visitorId);
    bob.client.send(signed({ userId: 'bob-2', email: 'bob@example.com', name: 'Bob' }));
    expect(await bob.client.next((f) => f.type === 'identity')).toMatchObject({ status: 'verified' });
    bob.client.send({ type: 'send', clientId: bobs, text: 'Bob: private question' });
    const bobAck = await bob.client.next<{ conversationId: string }>(
      (f) => f.type === 'ack' && f.clientId === bobs,
    );
    expect(bobAck.conversationId).not.toBe(ack.conversationId);
    const conv = await server.app.store.getConversation(bobAck.conversationId);
    expect(conv).toMatchObject({ visitorId: bob.identity.visitorId, visitorEmail: 'bob@example.com' });
    await bob.client.close();
  });

  it('an unverified identify after a verified one changes nothing and is not refused', async () => {
    const { client, identity } = await connectVisitor(server.wsUrl, server.origin);
    client.send(signed({ userId: 'carol-3', email: 'carol@example.com' }));
    await client.next((f) => f.type === 'identity');
    client.send({ type: 'identify', userId: 'mallory', email: 'mallory@example.com' });
    expect(await client.nextNew('identity')).toMatchObject({ status: 'unsigned', verified: true });
    expect(await server.app.store.getVisitor(identity.visitorId)).toMatchObject({
      userId: 'carol-3',
      email: 'carol@example.com',
    });
    await client.close();
  });

  it('a verified identity on a visitor not verified before is taken as before (no inheritance issue)', async () => {
    const { client, identity } = await connectVisitor(server.wsUrl, server.origin);
    client.send({ type: 'identify', name: 'Dan from the form', email: 'dan@example.com' });
    await client.next((f) => f.type === 'identity');
    client.send(signed({ userId: 'dan-4', email: 'dan@example.com', name: 'Dan' }));
    expect(await client.nextNew('identity')).toMatchObject({ status: 'verified', verified: true });
    expect(await server.app.store.getVisitor(identity.visitorId)).toMatchObject({ userId: 'dan-4' });
    await client.close();
  });
});
