import { MAX_FRAME_BYTES } from '@beseda/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/start-server.js';
import { clientId, connectVisitor, TestClient } from '../helpers/ws-client.js';

describe('bad input gets a typed error and the node keeps serving', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => server.close());

  const expectStillServing = async () => {
    const { client } = await connectVisitor(server.wsUrl, server.origin);
    client.send({ type: 'send', clientId: clientId(), text: 'still alive?' });
    await client.next((f) => f.type === 'ack');
    await client.close();
  };

  it('malformed JSON → bad_json', async () => {
    const { client } = await connectVisitor(server.wsUrl, server.origin);
    client.send('{"type": "send", ');
    expect(await client.next((f) => f.type === 'error')).toMatchObject({ code: 'bad_json' });
    await client.close();
    await expectStillServing();
  });

  it('unknown frame type and schema violations → bad_frame (with the clientId as ref)', async () => {
    const { client } = await connectVisitor(server.wsUrl, server.origin);
    client.send({ type: 'launch_missiles' });
    expect(await client.next((f) => f.type === 'error')).toMatchObject({ code: 'bad_frame' });
    const cid = clientId();
    client.send({ type: 'send', clientId: cid, text: 42 });
    expect(await client.next((f) => f.type === 'error' && f.ref === cid)).toMatchObject({
      code: 'bad_frame',
    });
    client.send([1, 2, 3]);
    expect(await client.nextNew('error')).toMatchObject({ code: 'bad_frame' });
    await client.close();
    await expectStillServing();
  });

  it('frames before hello → not_ready; a wrong protocol version → unsupported_version', async () => {
    const c = await TestClient.connect(`${server.wsUrl}/ws/visitor?site=demo`, { origin: server.origin });
    c.send({ type: 'send', clientId: clientId(), text: 'too early' });
    expect(await c.next((f) => f.type === 'error')).toMatchObject({ code: 'not_ready' });
    c.send({ type: 'hello', v: 999 });
    expect(await c.next((f) => f.type === 'error' && f.code !== 'not_ready')).toMatchObject({
      code: 'unsupported_version',
    });
    await c.close();
  });

  it('oversized frames → frame_too_large, far larger ones are cut off with 1009', async () => {
    const { client } = await connectVisitor(server.wsUrl, server.origin);
    client.send(JSON.stringify({ type: 'send', clientId: clientId(), text: 'x'.repeat(MAX_FRAME_BYTES) }));
    expect(await client.next((f) => f.type === 'error')).toMatchObject({ code: 'frame_too_large' });
    const huge = await connectVisitor(server.wsUrl, server.origin);
    const closed = new Promise<number>((r) => huge.client.ws.once('close', (code) => r(code)));
    huge.client.send('y'.repeat(MAX_FRAME_BYTES * 8));
    expect(await closed).toBe(1009);
    await client.close();
    await expectStillServing();
  });

  it('a text over the limit → bad_frame; empty text → validation', async () => {
    const { client } = await connectVisitor(server.wsUrl, server.origin);
    client.send({ type: 'send', clientId: clientId(), text: 'z'.repeat(5000) });
    expect(await client.next((f) => f.type === 'error')).toMatchObject({ code: 'bad_frame' });
    client.send({ type: 'send', clientId: clientId(), text: '   ' });
    expect(await client.nextNew('error')).toMatchObject({ code: 'validation' });
    await client.close();
  });

  it('a wrong Origin, a missing Origin or an unknown site is refused before the upgrade', async () => {
    await expect(
      TestClient.connect(`${server.wsUrl}/ws/visitor?site=demo`, { origin: 'https://evil.example' }),
    ).rejects.toMatchObject({ status: 403 });
    await expect(TestClient.connect(`${server.wsUrl}/ws/visitor?site=demo`, {})).rejects.toMatchObject({
      status: 403,
    });
    await expect(
      TestClient.connect(`${server.wsUrl}/ws/visitor?site=nope`, { origin: server.origin }),
    ).rejects.toMatchObject({ status: 404 });
    const anon = await TestClient.connect(`${server.wsUrl}/ws/operator`, { origin: server.origin });
    const anonClosed = new Promise<number>((r) => anon.ws.once('close', (code) => r(code)));
    expect(await anon.next((f) => f.type === 'error')).toMatchObject({ code: 'unauthorized' });
    expect(await anonClosed).toBe(4401);
    const cookie = await server.login();
    await expect(
      TestClient.connect(`${server.wsUrl}/ws/operator`, { origin: 'https://evil.example', cookie }),
    ).rejects.toMatchObject({ status: 403 });
    await expectStillServing();
  });

  it('a flood is answered with rate_limited', async () => {
    const { client } = await connectVisitor(server.wsUrl, server.origin);
    for (let i = 0; i < 200; i++) client.send({ type: 'ping' });
    expect(await client.next((f) => f.type === 'error')).toMatchObject({ code: 'rate_limited' });
    await client.close();
    await expectStillServing();
  });

  it('REST: bad login bodies and wrong passwords get typed 4xx answers', async () => {
    const bad = await fetch(`${server.origin}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email":1}',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'validation' });
    const wrong = await fetch(`${server.origin}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@test.local', password: 'nope' }),
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: 'unauthorized' });
  });
});
