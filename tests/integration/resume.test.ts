import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServer, type TestServer } from '../helpers/start-server.js';
import { clientId, connectOperator, connectVisitor, TestClient } from '../helpers/ws-client.js';

type Msg = { seq: number; text: string; author: string };

describe('no lost, no duplicated message', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(async () => server.close());

  it('a visitor reconnecting with its last seq receives the missed messages exactly once, in order', async () => {
    const op = await connectOperator(server.wsUrl, server.origin, await server.login());
    const first = await connectVisitor(server.wsUrl, server.origin);
    first.client.send({ type: 'send', clientId: clientId(), text: 'hi' });
    const ack = await first.client.next<{ conversationId: string }>((f) => f.type === 'ack');
    await first.client.next((f) => f.type === 'assigned');
    const seen = await first.client.next<{ message: Msg }>(
      (f) => f.type === 'message' && (f.message as Msg).author === 'system',
    );
    const lastSeq = seen.message.seq;
    await first.client.close();

    for (const text of ['one', 'two', 'three']) {
      const id = clientId();
      op.send({ type: 'send', conversationId: ack.conversationId, clientId: id, text });
      await op.next((f) => f.type === 'ack' && f.clientId === id);
    }

    const again = await connectVisitor(server.wsUrl, server.origin, {
      identity: first.identity,
      conversationId: ack.conversationId,
      lastSeq,
    });
    const history = await again.client.next<{ messages: Msg[] }>((f) => f.type === 'history');
    expect(history.messages.map((m) => m.text)).toEqual(['one', 'two', 'three']);
    expect(history.messages.map((m) => m.seq)).toEqual([lastSeq + 1, lastSeq + 2, lastSeq + 3]);
    // Nothing else re-delivers those messages.
    const later = clientId();
    op.send({ type: 'send', conversationId: ack.conversationId, clientId: later, text: 'four' });
    await again.client.next((f) => f.type === 'message' && (f.message as Msg).text === 'four');
    const texts = again.client.frames.flatMap((f) =>
      f.type === 'history'
        ? (f.messages as Msg[]).map((m) => m.text)
        : f.type === 'message'
          ? [(f.message as Msg).text]
          : [],
    );
    expect(texts).toEqual(['one', 'two', 'three', 'four']);
    await Promise.all([op.close(), again.client.close()]);
  });

  it('a message re-sent with the same client id is stored once and acked with the same seq', async () => {
    const { client, identity } = await connectVisitor(server.wsUrl, server.origin);
    const cid = clientId();
    client.send({ type: 'send', clientId: cid, text: 'only once' });
    const a1 = await client.next<{ seq: number; conversationId: string }>((f) => f.type === 'ack');
    await client.close();
    // The retry comes on a new connection, as after a drop before the ack arrived.
    const again = await connectVisitor(server.wsUrl, server.origin, { identity });
    again.client.send({ type: 'send', clientId: cid, text: 'only once' });
    const a2 = await again.client.next<{ seq: number; conversationId: string }>((f) => f.type === 'ack');
    expect(a2).toMatchObject({ seq: a1.seq, conversationId: a1.conversationId });
    const stored = await server.app.store.listMessages(a1.conversationId, 0);
    expect(stored.filter((m) => m.text === 'only once')).toHaveLength(1);
    await again.client.close();
  });

  it('a retry arriving after its chat ended is acked with the original seq and opens no new chat', async () => {
    const op = await connectOperator(server.wsUrl, server.origin, await server.login());
    const { client, identity } = await connectVisitor(server.wsUrl, server.origin);
    const cid = clientId();
    client.send({ type: 'send', clientId: cid, text: 'last words' });
    const a1 = await client.next<{ seq: number; conversationId: string }>((f) => f.type === 'ack');
    await op.next((f) => f.type === 'chat');
    op.send({ type: 'end', conversationId: a1.conversationId });
    await client.next(
      (f) => f.type === 'conversation' && (f.conversation as { status: string }).status === 'ended',
    );
    await client.close();
    const again = await connectVisitor(server.wsUrl, server.origin, { identity });
    again.client.send({ type: 'send', clientId: cid, text: 'last words' });
    const a2 = await again.client.next<{ seq: number; conversationId: string }>((f) => f.type === 'ack');
    expect(a2).toMatchObject({ seq: a1.seq, conversationId: a1.conversationId });
    expect(await server.app.store.listVisitorConversations(identity.visitorId, 10)).toHaveLength(1);
    await Promise.all([op.close(), again.client.close()]);
  });

  it('the token may come as a subprotocol (what browsers use), and a wrong one there is refused too', async () => {
    const { client, identity } = await connectVisitor(server.wsUrl, server.origin);
    await client.close();
    const url = `${server.wsUrl}/ws/visitor?site=demo&vid=${identity.visitorId}`;
    const ok = new WebSocket(url, ['beseda.v1', `beseda.token.${identity.token}`], { origin: server.origin });
    await new Promise((r) => ok.once('open', r));
    expect(ok.protocol).toBe('beseda.v1');
    ok.send(JSON.stringify({ type: 'hello', v: 1 }));
    const welcome = await new Promise<{ type: string; visitorId: string }>((r) =>
      ok.once('message', (d) => r(JSON.parse(String(d)))),
    );
    expect(welcome).toMatchObject({ type: 'welcome', visitorId: identity.visitorId });
    ok.close();
    const bad = new WebSocket(url, ['beseda.v1', 'beseda.token.forged'], { origin: server.origin });
    const code = await new Promise<number>((r) => bad.once('close', (c) => r(c)));
    expect(code).toBe(4401);
  });

  it('a wrong visitor token gets an unauthorized error and close 4401, and nothing is served', async () => {
    const { client, identity } = await connectVisitor(server.wsUrl, server.origin);
    await client.close();
    const forged = await TestClient.connect(
      `${server.wsUrl}/ws/visitor?site=demo&vid=${identity.visitorId}&token=forged-token`,
      { origin: server.origin },
    );
    const closed = new Promise<number>((r) => forged.ws.once('close', (code) => r(code)));
    expect(await forged.next((f) => f.type === 'error')).toMatchObject({ code: 'unauthorized' });
    expect(await closed).toBe(4401);
    expect(forged.frames.filter((f) => f.type !== 'error')).toEqual([]);
  });
});
