import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/start-server.js';
import { clientId, connectOperator, TestClient } from '../helpers/ws-client.js';

const newIdent = () => ({ vid: randomUUID(), token: randomBytes(32).toString('base64url') });

async function connectNew(server: TestServer, id: { vid: string; token: string }) {
  const q = new URLSearchParams({ site: 'demo', vid: id.vid, token: id.token, new: '1' });
  const client = await TestClient.connect(`${server.wsUrl}/ws/visitor?${q}`, { origin: server.origin });
  client.send({ type: 'hello', v: 1 });
  const welcome = await client.next<{ stored: boolean; operatorsOnline: boolean }>(
    (f) => f.type === 'welcome',
  );
  return { client, welcome };
}

const closed = (c: TestClient) =>
  c.closeCode !== null ? Promise.resolve(c.closeCode) : new Promise<number>((r) => c.ws.once('close', r));

/**
 * Issue #9 point 6: a visitor without a row yet (they have only read so far) still gets availability,
 * then its queue position after its first message; and knowing a new visitor's id is not enough to read
 * the chat they start later.
 */
describe('a socket of a visitor not stored yet', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => server.close());

  it('gets availability while reading, and its queue position once its first message stored it', async () => {
    const reader = await connectNew(server, newIdent());
    expect(reader.welcome).toMatchObject({ stored: false, operatorsOnline: false });
    // Online without free capacity: the chat waits in the queue.
    const op = await server.createOperator('Quinn', 0);
    const console_ = await connectOperator(
      server.wsUrl,
      server.origin,
      await server.login(op.email, op.password),
    );
    await reader.client.next((f) => f.type === 'availability' && f.operatorsOnline === true);

    const cid = clientId();
    reader.client.send({ type: 'send', clientId: cid, text: 'Is anyone there?' });
    const ack = await reader.client.next<{ conversationId: string }>(
      (f) => f.type === 'ack' && f.clientId === cid,
    );
    const queue = await reader.client.next<{ conversationId: string; position: number }>(
      (f) => f.type === 'queue',
    );
    expect(queue).toMatchObject({ conversationId: ack.conversationId, position: 1 });
    await Promise.all([reader.client.close(), console_.close()]);
  });

  it('a stranger holding the same id with another secret is closed once the real visitor writes', async () => {
    const real = newIdent();
    const stranger = await connectNew(server, { vid: real.vid, token: newIdent().token });
    const visitor = await connectNew(server, real);
    const cid = clientId();
    visitor.client.send({ type: 'send', clientId: cid, text: 'My card number is private' });
    await visitor.client.next((f) => f.type === 'ack' && f.clientId === cid);
    // The conversation frame published to this id reaches the stranger's socket only to be refused.
    expect(await closed(stranger.client)).toBe(4401);
    expect(stranger.client.frames.map((f) => f.type)).toEqual(['welcome', 'error']);
    expect(stranger.client.frames[1]).toMatchObject({ code: 'unauthorized' });
    // And it cannot come back as that visitor.
    const again = await TestClient.connect(
      `${server.wsUrl}/ws/visitor?${new URLSearchParams({ site: 'demo', vid: real.vid, token: newIdent().token, new: '1' })}`,
      { origin: server.origin },
    );
    expect(await closed(again)).toBe(4401);
    await visitor.client.close();
  });
});
