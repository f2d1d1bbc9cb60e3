import { describe, expect, it } from 'vitest';
import { startServer } from '../helpers/start-server.js';
import { clientId, connectOperator, connectVisitor } from '../helpers/ws-client.js';

describe('transcripts', () => {
  it('an ended chat with all messages and events is listed and opened, also after a restart', async () => {
    let server = await startServer();
    try {
      const op = await connectOperator(server.wsUrl, server.origin, await server.login());
      const { client } = await connectVisitor(server.wsUrl, server.origin);
      client.send({ type: 'send', clientId: clientId(), text: 'Where is my invoice for October?' });
      const ack = await client.next<{ conversationId: string }>((f) => f.type === 'ack');
      await client.next((f) => f.type === 'assigned');
      const rid = clientId();
      op.send({
        type: 'send',
        conversationId: ack.conversationId,
        clientId: rid,
        text: 'It is in your account settings.',
      });
      await op.next((f) => f.type === 'ack' && f.clientId === rid);
      op.send({ type: 'end', conversationId: ack.conversationId });
      await client.next(
        (f) => f.type === 'conversation' && (f.conversation as { status: string }).status === 'ended',
      );
      await Promise.all([op.close(), client.close()]);

      server = await server.restart();
      const cookie = await server.login();
      const listRes = await fetch(`${server.origin}/api/transcripts?q=invoice`, { headers: { cookie } });
      const list = await listRes.json();
      expect(listRes.status, JSON.stringify(list)).toBe(200);
      expect(list.items).toHaveLength(1);
      expect(list.items[0].conversation.id).toBe(ack.conversationId);
      const t = await (
        await fetch(`${server.origin}/api/transcripts/${ack.conversationId}`, { headers: { cookie } })
      ).json();
      expect(t.conversation.status).toBe('ended');
      expect(t.messages.map((m: { author: string }) => m.author)).toEqual([
        'visitor',
        'system',
        'operator',
        'system',
      ]);
      expect(t.events.map((e: { type: string }) => e.type)).toEqual(
        expect.arrayContaining(['enqueued', 'assigned', 'first_reply', 'ended']),
      );

      const anon = await fetch(`${server.origin}/api/transcripts`);
      expect(anon.status).toBe(401);
    } finally {
      await server.close();
    }
  });

  it('an open conversation survives a restart: the queue and the chat come back', async () => {
    let server = await startServer();
    try {
      const { client, identity } = await connectVisitor(server.wsUrl, server.origin);
      const cid = clientId();
      client.send({ type: 'send', clientId: cid, text: 'anyone there?' });
      const ack = await client.next<{ conversationId: string }>((f) => f.type === 'ack');
      await client.close();
      server = await server.restart();
      const again = await connectVisitor(server.wsUrl, server.origin, {
        identity,
        conversationId: ack.conversationId,
        lastSeq: 0,
      });
      const h = await again.client.next<{ messages: { text: string }[] }>((f) => f.type === 'history');
      expect(h.messages.map((m) => m.text)).toEqual(['anyone there?']);
      // An operator coming online after the restart gets the waiting chat.
      const op = await connectOperator(server.wsUrl, server.origin, await server.login());
      await again.client.next((f) => f.type === 'assigned');
      await Promise.all([op.close(), again.client.close()]);
    } finally {
      await server.close();
    }
  });
});
