import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/start-server.js';
import { clientId, connectOperator, connectVisitor } from '../helpers/ws-client.js';

describe('internal notes never reach the visitor', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => server.close());

  it('not live, not in history after a reconnect, not in two tabs; operators and transcripts have it', async () => {
    const op = await connectOperator(server.wsUrl, server.origin, await server.login());
    const tab1 = await connectVisitor(server.wsUrl, server.origin);
    const tab2 = await connectVisitor(server.wsUrl, server.origin, { identity: tab1.identity });
    tab1.client.send({ type: 'send', clientId: clientId(), text: 'hi' });
    const chat = await op.next<{ conversation: { id: string } }>((f) => f.type === 'chat');
    const convId = chat.conversation.id;

    const noteId = clientId();
    op.send({
      type: 'send',
      conversationId: convId,
      clientId: noteId,
      text: 'SECRET: customer owes us money',
      internal: true,
    });
    await op.next((f) => f.type === 'ack' && f.clientId === noteId);
    const ownCopy = await op.next<{ message: { author: string } }>(
      (f) => f.type === 'message' && (f.message as { text: string }).text.startsWith('SECRET'),
    );
    expect(ownCopy.message.author).toBe('note');
    // A normal reply after the note proves the visitors' sockets were live all along.
    const rid = clientId();
    op.send({ type: 'send', conversationId: convId, clientId: rid, text: 'visible reply' });
    for (const tab of [tab1, tab2]) {
      await tab.client.next(
        (f) => f.type === 'message' && (f.message as { text: string }).text === 'visible reply',
      );
    }
    const resumed = await connectVisitor(server.wsUrl, server.origin, {
      identity: tab1.identity,
      conversationId: convId,
      lastSeq: 0,
    });
    await resumed.client.next((f) => f.type === 'history');
    for (const c of [tab1.client, tab2.client, resumed.client])
      expect(JSON.stringify(c.frames)).not.toContain('SECRET');

    const cookie = await server.login();
    const t = await (
      await fetch(`${server.origin}/api/transcripts/${convId}`, { headers: { cookie } })
    ).json();
    expect(
      t.messages.some(
        (m: { author: string; text: string }) => m.author === 'note' && m.text.startsWith('SECRET'),
      ),
    ).toBe(true);
    await Promise.all([op.close(), tab1.client.close(), tab2.client.close(), resumed.client.close()]);
  });
});
