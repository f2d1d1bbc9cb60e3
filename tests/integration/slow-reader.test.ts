import { mkdtemp, rm } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess } from '../helpers/server-process.js';
import { clientId, connectOperator, connectVisitor, type TestClient } from '../helpers/ws-client.js';
import { until } from './ops-process.js';

// Issue #9 point 4: a console (or a widget) that stops reading while the other side writes used to
// grow the server's memory by 30–45 MB in 15 s until the heartbeat dropped it. Each socket's unsent data
// is now capped at 1 MiB (server/src/transport/send-frame.ts): past it the socket is closed with 1013
// and the client resumes from its last seq.
//
// The server runs as its own process so /metrics reports the server's memory alone. The flood pushes
// FLOOD_BYTES through the stalled socket: without the cap the server would hold all of it minus what the
// kernel's socket buffers absorb (≤ 4 MiB send buffer; a socket that never read keeps a small receive
// buffer), 25–45 MiB measured against the 15 MiB bound below. A first flood with everyone reading warms the server up
// (V8 heap, SQLite cache: +30 MiB once), so the bound measures the stalled socket, not the warm-up.
const OWNER = { email: 'owner@slow.test', password: 'owner-password-slow' };
const TEXT = '€'.repeat(4000); // the longest text a frame may carry: 12,000 bytes of UTF-8
const FLOOD_BYTES = 40 * 1024 * 1024;
const FLOOD_MESSAGES = Math.ceil(FLOOD_BYTES / Buffer.byteLength(TEXT));
const RSS_BOUND = 15 * 1024 * 1024;
const IN_FLIGHT = 16;

let server: ServerProcess;
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'beseda-slow-'));
  server = await startServerProcess({
    DATA_DIR: dataDir,
    OWNER_EMAIL: OWNER.email,
    OWNER_PASSWORD: OWNER.password,
    // The flood comes from one socket; the per-socket frame rate limit is a different defence.
    FRAMES_PER_SECOND: '1000000',
    // The idle-socket heartbeat (4408) would also end a stalled socket, later; keep it out of the way so
    // only the buffer cap can bound the memory here.
    HEARTBEAT_MS: '120000',
  });
  const { op, visitor, conversationId } = await openChat();
  await flood(visitor, () => ({ type: 'send', clientId: clientId(), text: TEXT }), FLOOD_MESSAGES / 2);
  await endChat(visitor, conversationId);
  await Promise.all([op.close(), visitor.close()]);
}, 120_000);
afterAll(async () => {
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** The client stops reading: the kernel buffers fill, then everything queues in the server's process. */
const stopReading = (c: TestClient) => (c.ws as unknown as { _socket: Socket })._socket.pause();
const resumeReading = (c: TestClient) => (c.ws as unknown as { _socket: Socket })._socket.resume();

/**
 * Sends `count` frames from `sender`, at most IN_FLIGHT unacknowledged (so the server never queues
 * unread input of ours), while sampling the server's RSS. Returns the peak growth over the start.
 */
async function flood(sender: TestClient, frame: () => object, count: number): Promise<number> {
  const start = await server.rss();
  let peak = start;
  let done = false;
  const sampling = (async () => {
    while (!done) {
      peak = Math.max(peak, await server.rss());
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  let sent = 0;
  let acked = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`flood stalled at ${acked}/${count} acks`)), 120_000);
      const onMessage = (data: unknown) => {
        const f = JSON.parse(String(data)) as { type: string };
        if (f.type === 'error') reject(new Error(`flood refused: ${String(data)}`));
        if (f.type !== 'ack') return;
        acked += 1;
        if (acked === count) {
          clearTimeout(timer);
          sender.ws.off('message', onMessage);
          resolve();
        } else if (sent < count) {
          sent += 1;
          sender.send(frame());
        }
      };
      sender.ws.on('message', onMessage);
      for (; sent < Math.min(IN_FLIGHT, count); sent += 1) sender.send(frame());
    });
  } finally {
    done = true;
    await sampling;
  }
  peak = Math.max(peak, await server.rss());
  return peak - start;
}

async function login(): Promise<string> {
  const res = await fetch(`${server.origin}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(OWNER),
  });
  expect(res.status).toBe(200);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

/** A visitor whose chat the owner's console holds. */
async function openChat() {
  const cookie = await login();
  const op = await connectOperator(server.wsUrl, server.origin, cookie);
  const visitor = await connectVisitor(server.wsUrl, server.origin);
  const first = clientId();
  visitor.client.send({ type: 'send', clientId: first, text: 'hello' });
  const ack = await visitor.client.next<{ conversationId: string }>(
    (f) => f.type === 'ack' && f.clientId === first,
    30_000,
  );
  // Generous waits: this file shares two busy cores with the rest of the suite.
  await op.next((f) => {
    const c = f.conversation as { id: string; status: string } | undefined;
    return f.type === 'chat' && c?.id === ack.conversationId && c.status === 'active';
  }, 30_000);
  return { op, visitor: visitor.client, conversationId: ack.conversationId };
}

/**
 * The visitor ends the chat, so the next console of the owner is not handed this flooded conversation
 * (and its whole history) when it connects.
 */
async function endChat(visitor: TestClient, conversationId: string) {
  visitor.send({ type: 'end' });
  await visitor.next((f) => {
    const c = f.conversation as { id: string; status: string } | undefined;
    return f.type === 'conversation' && c?.id === conversationId && c.status === 'ended';
  }, 60_000);
}

const floodTexts = (c: TestClient) =>
  c.ofType<{ message: { text: string } }>('message').filter((f) => f.message.text === TEXT).length;

describe('a socket that stops reading', () => {
  it('a console is closed with 1013 while visitors write, and server memory stays bounded', async () => {
    const { op, visitor, conversationId } = await openChat();
    stopReading(op);
    const growth = await flood(
      visitor,
      () => ({ type: 'send', clientId: clientId(), text: TEXT }),
      FLOOD_MESSAGES,
    );
    // Every message was stored and acknowledged; the stalled console must not have held the server.
    expect(growth, `RSS grew by ${(growth / 2 ** 20).toFixed(1)} MiB`).toBeLessThan(RSS_BOUND);

    resumeReading(op);
    await until(() => op.closeCode !== null, 30_000);
    expect(op.closeCode).toBe(1013);
    // It was cut off part-way: what reached it is what the kernel and the 1 MiB cap held.
    const received = floodTexts(op);
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(FLOOD_MESSAGES / 2);

    // The visitor, reading normally, kept its socket.
    expect(visitor.closeCode).toBeNull();
    await endChat(visitor, conversationId);
    await visitor.close();
  }, 180_000);

  it('a widget is closed with 1013 while the operator writes, and server memory stays bounded', async () => {
    const { op, visitor, conversationId } = await openChat();
    stopReading(visitor);
    const growth = await flood(
      op,
      () => ({ type: 'send', conversationId, clientId: clientId(), text: TEXT }),
      FLOOD_MESSAGES,
    );
    expect(growth, `RSS grew by ${(growth / 2 ** 20).toFixed(1)} MiB`).toBeLessThan(RSS_BOUND);

    resumeReading(visitor);
    await until(() => visitor.closeCode !== null, 30_000);
    expect(visitor.closeCode).toBe(1013);
    const received = floodTexts(visitor);
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(FLOOD_MESSAGES / 2);
    expect(op.closeCode).toBeNull();
    await op.close();
  }, 180_000);
});
