import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/start-server.js';
import { clientId, connectOperator, connectVisitor } from '../helpers/ws-client.js';

describe('visitor ⇄ operator round trip', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(async () => server.close());

  it('routes the visitor to the online operator and delivers messages both ways with seq and acks', async () => {
    const op = await connectOperator(server.wsUrl, server.origin, await server.login());
    const { client: visitor } = await connectVisitor(server.wsUrl, server.origin);

    const cid = clientId();
    visitor.send({ type: 'send', clientId: cid, text: 'Hello, is my parcel on its way?' });
    const ack = await visitor.next<{ type: 'ack'; seq: number; conversationId: string }>(
      (f) => f.type === 'ack' && f.clientId === cid,
    );
    expect(ack.seq).toBe(1);

    const chat = await op.next<{ type: 'chat'; conversation: { id: string; status: string } }>(
      (f) => f.type === 'chat' && (f.conversation as { status: string }).status === 'active',
    );
    expect(chat.conversation.id).toBe(ack.conversationId);
    const got = await op.next<{ messages: { text: string; author: string }[] }>((f) => f.type === 'history');
    expect(got.messages.map((m) => [m.author, m.text])).toEqual([
      ['visitor', 'Hello, is my parcel on its way?'],
      ['system', 'Owner joined the chat'],
    ]);
    // Later visitor messages arrive live.
    visitor.send({ type: 'send', clientId: clientId(), text: 'Order 1234' });
    const live = await op.next<{ message: { text: string } }>(
      (f) => f.type === 'message' && (f.message as { author: string }).author === 'visitor',
    );
    expect(live.message.text).toBe('Order 1234');
    await visitor.next((f) => f.type === 'assigned');

    const rid = clientId();
    op.send({
      type: 'send',
      conversationId: ack.conversationId,
      clientId: rid,
      text: 'Yes, it left this morning.',
    });
    await op.next((f) => f.type === 'ack' && f.clientId === rid);
    const reply = await visitor.next<{ message: { text: string; author: string; authorName: string } }>(
      (f) => f.type === 'message' && (f.message as { author: string }).author === 'operator',
    );
    expect(reply.message).toMatchObject({ text: 'Yes, it left this morning.', authorName: 'Owner' });

    // seqs are consecutive per conversation: visitor message, system "joined", operator reply.
    const stored = await server.app.store.listMessages(ack.conversationId, 0);
    expect(stored.map((m) => [m.seq, m.author])).toEqual([
      [1, 'visitor'],
      [2, 'system'],
      [3, 'visitor'],
      [4, 'operator'],
    ]);
    await Promise.all([op.close(), visitor.close()]);
  });
});
