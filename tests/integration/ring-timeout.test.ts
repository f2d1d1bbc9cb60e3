import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/start-server.js';
import { clientId, connectOperator, connectVisitor } from '../helpers/ws-client.js';

describe('ring timeout', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(async () => server.close());

  it('a chat the operator does not answer in time goes to the next operator; the first is set away', async () => {
    await server.app.store.updateSite(server.site.id, { ringTimeoutSeconds: 1 });
    await server.app.relay.refreshSite(server.site.id);
    const alice = await server.createOperator('Alice', 1);
    const a = await connectOperator(
      server.wsUrl,
      server.origin,
      await server.login(alice.email, alice.password),
    );
    const { client } = await connectVisitor(server.wsUrl, server.origin);
    client.send({ type: 'send', clientId: clientId(), text: 'hello?' });
    const first = await client.next<{ operator: { id: string } }>((f) => f.type === 'assigned');
    expect(first.operator.id).toBe(alice.id);
    // Alice's ring (1 s) is already running; Bob's assignment will get a generous one.
    await server.app.store.updateSite(server.site.id, { ringTimeoutSeconds: 60 });
    await server.app.relay.refreshSite(server.site.id);

    const bob = await server.createOperator('Bob', 1);
    const b = await connectOperator(server.wsUrl, server.origin, await server.login(bob.email, bob.password));
    // Alice (idle longest) keeps it until the ring runs out; then Bob gets it.
    const second = await client.next<{ operator: { id: string } }>(
      (f) => f.type === 'assigned' && (f.operator as { id: string }).id === bob.id,
      8000,
    );
    expect(second.operator.id).toBe(bob.id);
    await a.next((f) => f.type === 'me' && (f.me as { status: string }).status === 'away');
    const events = await server.app.store.listEvents((await server.app.store.listOpenConversations())[0]!.id);
    expect(events.filter((e) => e.type === 'ring_timeout').map((e) => e.operatorId)).toEqual([alice.id]);
    // Bob answers in time: no further ring timeout.
    const chat = await b.next<{ conversation: { id: string } }>((f) => f.type === 'chat');
    const rid = clientId();
    b.send({ type: 'send', conversationId: chat.conversation.id, clientId: rid, text: 'Hi, Bob here' });
    await b.next((f) => f.type === 'ack' && f.clientId === rid);
    await client.next((f) => f.type === 'message' && (f.message as { text: string }).text === 'Hi, Bob here');
    await Promise.all([a.close(), b.close(), client.close()]);
  });
});
