import { describe, expect, it } from 'vitest';
import { startServer } from '../helpers/start-server.js';
import { clientId, connectVisitor } from '../helpers/ws-client.js';

describe('reconnect storm', () => {
  it('60 visitors dropped at once all resume their own conversation, exactly once, and the queue stays exact', async () => {
    const server = await startServer();
    try {
      const visitors = await Promise.all(
        Array.from({ length: 60 }, async (_, i) => {
          const v = await connectVisitor(server.wsUrl, server.origin);
          v.client.send({ type: 'send', clientId: clientId(), text: `visitor ${i}` });
          const ack = await v.client.next<{ conversationId: string }>((f) => f.type === 'ack');
          return { ...v, i, conversationId: ack.conversationId };
        }),
      );
      // The node drops every socket (as a proxy restart would), then everybody comes back at once.
      for (const c of server.app.websocketServer.clients) c.terminate();
      const back = await Promise.all(
        visitors.map(async (v) => {
          const again = await connectVisitor(server.wsUrl, server.origin, {
            identity: v.identity,
            conversationId: v.conversationId,
            lastSeq: 0,
          });
          const h = await again.client.next<{ conversationId: string; messages: { text: string }[] }>(
            (f) => f.type === 'history',
          );
          const q = await again.client.next<{ position: number }>((f) => f.type === 'queue');
          return { v, again, h, q };
        }),
      );
      for (const { v, h } of back) {
        expect(h.conversationId).toBe(v.conversationId);
        expect(h.messages.map((m) => m.text)).toEqual([`visitor ${v.i}`]);
      }
      // Positions are a permutation of 1..60: nobody lost their place or shares it.
      expect(back.map((b) => b.q.position).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 60 }, (_, i) => i + 1),
      );
      expect(server.app.relay.stats()).toMatchObject({ queued: 60, open: 60 });
      await Promise.all(back.map((b) => b.again.client.close()));
    } finally {
      await server.close();
    }
  });
});
