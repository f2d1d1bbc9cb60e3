import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consoleQueue } from '../helpers/console-view.js';
import { startServer, type TestServer } from '../helpers/start-server.js';
import { clientId, connectOperator, connectVisitor } from '../helpers/ws-client.js';

describe('capacity-aware routing and the queue', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(async () => server.close());

  it('queues the third visitor at position 1 and assigns them as soon as a chat ends', async () => {
    const alice = await server.createOperator('Alice', 1);
    const bob = await server.createOperator('Bob', 1);
    const opA = await connectOperator(
      server.wsUrl,
      server.origin,
      await server.login(alice.email, alice.password),
    );
    const opB = await connectOperator(
      server.wsUrl,
      server.origin,
      await server.login(bob.email, bob.password),
    );

    const visitors = [];
    for (const text of ['first', 'second', 'third']) {
      const { client } = await connectVisitor(server.wsUrl, server.origin);
      const cid = clientId();
      client.send({ type: 'send', clientId: cid, text });
      const ack = await client.next<{ conversationId: string }>((f) => f.type === 'ack');
      visitors.push({ client, conversationId: ack.conversationId });
      if (text !== 'third') await client.next((f) => f.type === 'assigned');
    }
    const third = visitors[2]!;
    const q = await third.client.next<{
      position: number;
      ahead: number;
      eta: { minSeconds: number; maxSeconds: number } | null;
    }>((f) => f.type === 'queue');
    expect(q.position).toBe(1);
    expect(q.ahead).toBe(0);
    expect(q.eta).not.toBeNull();
    expect(third.client.ofType('assigned')).toHaveLength(0);

    // Each operator holds exactly one chat: nobody is over capacity.
    const active = await Promise.all(
      [visitors[0]!, visitors[1]!].map((v) => server.app.store.getConversation(v.conversationId)),
    );
    expect(new Set(active.map((c) => c!.operatorId)).size).toBe(2);
    expect((await server.app.store.getConversation(third.conversationId))!.status).toBe('queued');

    // The operators see the waiting visitor in their queue panel.
    await opA.next(
      () =>
        consoleQueue(opA)
          .map((e) => e.conversationId)
          .join() === third.conversationId,
    );

    // End the first chat: the queue drains by itself, with no polling.
    const firstOp = active[0]!.operatorId === alice.id ? opA : opB;
    firstOp.send({ type: 'end', conversationId: visitors[0]!.conversationId });
    const assigned = await third.client.next<{ operator: { id: string } }>((f) => f.type === 'assigned');
    expect(assigned.operator.id).toBe(active[0]!.operatorId);
    expect((await server.app.store.getConversation(third.conversationId))!.status).toBe('active');
    await Promise.all([opA.close(), opB.close(), ...visitors.map((v) => v.client.close())]);
  });
});
