import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/start-server.js';
import { connectOperator, connectVisitor } from '../helpers/ws-client.js';

/**
 * Once a socket is open the HTTP request that upgraded it is let go (transport/release-upgrade.ts), the
 * framework's 'error' listener with it. A broken WebSocket frame must still be heard by our own listener:
 * the socket is closed with 1002 and the server keeps serving everyone else.
 */
describe('a broken WebSocket frame after the upgrade', () => {
  let s: TestServer;
  beforeEach(async () => {
    s = await startServer();
  });
  afterEach(async () => s.close());

  it('closes that socket with 1002 (visitor and console) and nothing else', async () => {
    const { client: bystander } = await connectVisitor(s.wsUrl, s.origin);
    const { client: visitor } = await connectVisitor(s.wsUrl, s.origin);
    const console_ = await connectOperator(s.wsUrl, s.origin, await s.login());
    const closed = (c: typeof visitor) =>
      new Promise<number>((resolve) => c.ws.once('close', (code) => resolve(code)));
    for (const c of [visitor, console_]) {
      const code = closed(c);
      // A masked frame with the reserved opcode 0xF: the server's receiver refuses it.
      (c.ws as unknown as { _socket: { write(b: Buffer): void } })._socket.write(
        Buffer.from([0x8f, 0x80, 0, 0, 0, 0]),
      );
      expect(await code).toBe(1002);
    }
    bystander.send({ type: 'ping' });
    await bystander.next((f) => f.type === 'pong');
    expect((await fetch(`${s.origin}/healthz`)).status).toBe(200);
    await bystander.close();
  });
});
