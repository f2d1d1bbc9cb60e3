import { describe, expect, it } from 'vitest';
import { startServer } from '../helpers/start-server.js';
import { clientId, connectOperator, connectVisitor } from '../helpers/ws-client.js';

describe('presence follows the connection; shutdown drains and keeps everything', () => {
  it('an operator whose connection dies is offline after the grace period and visitors are told', async () => {
    const server = await startServer({ operatorGraceMs: 300 });
    try {
      const op = await connectOperator(server.wsUrl, server.origin, await server.login());
      const { client } = await connectVisitor(server.wsUrl, server.origin);
      expect(client.frames.find((f) => f.type === 'welcome')).toMatchObject({ operatorsOnline: true });
      op.ws.terminate(); // no close handshake: a dead laptop lid, not a logout
      const gone = await client.next<{ operatorsOnline: boolean }>((f) => f.type === 'availability');
      expect(gone.operatorsOnline).toBe(false);
      const config = await (await fetch(`${server.origin}/api/widget/config?site=demo`)).json();
      expect(config.operatorsOnline).toBe(false);
      // The owner coming back is announced too.
      const again = await connectOperator(server.wsUrl, server.origin, await server.login());
      const back = await client.nextNew<{ operatorsOnline: boolean }>('availability');
      expect(back.operatorsOnline).toBe(true);
      await Promise.all([again.close(), client.close()]);
    } finally {
      await server.close();
    }
  });

  it('a console reload inside the grace period does not flap presence', async () => {
    const server = await startServer({ operatorGraceMs: 2000 });
    try {
      const cookie = await server.login();
      const op = await connectOperator(server.wsUrl, server.origin, cookie);
      const { client } = await connectVisitor(server.wsUrl, server.origin);
      await op.close();
      const op2 = await connectOperator(server.wsUrl, server.origin, cookie);
      client.send({ type: 'ping' });
      await client.next((f) => f.type === 'pong');
      expect(client.ofType('availability')).toEqual([]);
      await Promise.all([op2.close(), client.close()]);
    } finally {
      await server.close();
    }
  });

  it('shutdown closes sockets with 1012 after storing every acked message; a restart serves them', async () => {
    let server = await startServer();
    try {
      const { client, identity } = await connectVisitor(server.wsUrl, server.origin);
      const closed = new Promise<number>((r) => client.ws.once('close', (code) => r(code)));
      const ids = Array.from({ length: 20 }, () => clientId());
      for (const [i, id] of ids.entries()) client.send({ type: 'send', clientId: id, text: `burst ${i}` });
      await client.next((f) => f.type === 'ack' && f.clientId === ids[ids.length - 1]);
      const acked = client.ofType<{ conversationId: string }>('ack');
      server = await server.restart();
      expect(await closed).toBe(1012);
      const again = await connectVisitor(server.wsUrl, server.origin, {
        identity,
        conversationId: acked[0]!.conversationId,
        lastSeq: 0,
      });
      const h = await again.client.next<{ messages: { text: string }[] }>((f) => f.type === 'history');
      expect(h.messages.map((m) => m.text)).toEqual(ids.map((_, i) => `burst ${i}`));
      await again.client.close();
    } finally {
      await server.close();
    }
  });
});
