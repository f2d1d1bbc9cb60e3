import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/start-server.js';
import { clientId, connectOperator, connectVisitor } from '../helpers/ws-client.js';

describe('transfer to another operator', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(async () => server.close());

  it('moves the chat with its history, tells the visitor, keeps the note internal, and respects capacity', async () => {
    const alice = await server.createOperator('Alice', 2);
    const bob = await server.createOperator('Bob', 1);
    const a = await connectOperator(
      server.wsUrl,
      server.origin,
      await server.login(alice.email, alice.password),
    );
    const b = await connectOperator(server.wsUrl, server.origin, await server.login(bob.email, bob.password));
    // Bob first takes one chat so he is full; Alice holds the other.
    a.send({ type: 'status', status: 'away' });
    await a.next((f) => f.type === 'me' && (f.me as { status: string }).status === 'away');
    const v1 = await connectVisitor(server.wsUrl, server.origin);
    v1.client.send({ type: 'send', clientId: clientId(), text: 'for bob' });
    await b.next((f) => f.type === 'chat');
    a.send({ type: 'status', status: 'online' });
    const v2 = await connectVisitor(server.wsUrl, server.origin);
    v2.client.send({ type: 'send', clientId: clientId(), text: 'billing question' });
    const chat = await a.next<{ conversation: { id: string } }>((f) => f.type === 'chat');
    const convId = chat.conversation.id;

    a.send({ type: 'transfer', conversationId: convId, toOperatorId: bob.id, note: 'VIP customer' });
    expect(await a.nextNew('error')).toMatchObject({ code: 'over_capacity' });

    // Bob ends his chat, now he has room.
    const bobChat = b.frames.find((f) => f.type === 'chat') as unknown as { conversation: { id: string } };
    b.send({ type: 'end', conversationId: bobChat.conversation.id });
    await b.next(
      (f) => f.type === 'me' && (f.me as { activeChats?: number; capacity: number }).capacity === 1,
    );
    await v1.client.next(
      (f) => f.type === 'conversation' && (f.conversation as { status: string }).status === 'ended',
    );

    a.send({ type: 'transfer', conversationId: convId, toOperatorId: bob.id, note: 'VIP customer' });
    const got = await b.next<{ conversation: { id: string; operator: { id: string } } }>(
      (f) => f.type === 'chat' && (f.conversation as { id: string }).id === convId,
    );
    expect(got.conversation.operator.id).toBe(bob.id);
    const hist = await b.next<{ messages: { author: string; text: string }[] }>(
      (f) => f.type === 'history' && f.conversationId === convId,
    );
    expect(hist.messages.map((m) => m.text)).toEqual(
      expect.arrayContaining(['billing question', 'Transfer note: VIP customer', 'Bob took over the chat']),
    );
    const assigned = await v2.client.next<{ operator: { name: string } }>(
      (f) => f.type === 'assigned' && (f.operator as { name: string }).name === 'Bob',
    );
    expect(assigned.operator.name).toBe('Bob');
    await v2.client.next(
      (f) => f.type === 'message' && (f.message as { text: string }).text === 'Bob took over the chat',
    );
    // The note never reaches the visitor.
    expect(JSON.stringify(v2.client.frames)).not.toContain('VIP customer');
    // Alice's list drops it (operator is no longer her) and she can no longer write into it.
    await a.next(
      (f) => f.type === 'chat' && (f.conversation as { operator: { id: string } }).operator.id === bob.id,
    );
    a.send({ type: 'send', conversationId: convId, clientId: clientId(), text: 'still me?' });
    expect(await a.nextNew('error')).toMatchObject({ code: 'forbidden' });

    const events = await server.app.store.listEvents(convId);
    expect(events.filter((e) => e.type === 'transferred')).toHaveLength(1);
    expect(events.find((e) => e.type === 'transferred')!.data).toMatchObject({ from: alice.id, to: bob.id });
    await Promise.all([a.close(), b.close(), v1.client.close(), v2.client.close()]);
  });
});
