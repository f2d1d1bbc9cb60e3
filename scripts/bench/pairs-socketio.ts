import { io as officialClient } from 'socket.io-client';
import type { ServerChild } from './children.js';
import { type Ledger, type PairSet, pool } from './ledger.js';
import type { Established } from './pairs-raw.js';
import { decodeDelivery, decoded, sendFrame } from './wire.js';
import { type ClientOptions, type Conn, connect, sourceAddress, startsWith } from './ws.js';

/**
 * Load-generator side of the Socket.IO baseline. The pairs speak the Socket.IO 5 / Engine.IO 4 wire
 * protocol directly over `ws` (text frames: `0{…}` open, `40` connect, `42[event,…]` events, `2`/`3`
 * ping/pong) rather than through socket.io-client, so the generator costs about what it costs for the
 * raw relay and cannot be the bottleneck that caps Socket.IO's msg/s. That the relay works for the real
 * client is checked once per run with socket.io-client (`checkWithOfficialClient`).
 */
const OPEN_PACKET = Buffer.from('0{');
const CONNECTED = Buffer.from('40{');
const READY = Buffer.from('42["ready"]');
const PING = 0x32; // Engine.IO ping "2"; the server drops a socket that does not answer with "3"

/** Engine.IO ping → pong; every live handler of a Socket.IO socket calls this first. */
export function answerPing(conn: Conn, frame: Buffer): boolean {
  if (frame.length !== 1 || frame[0] !== PING) return false;
  conn.send('3');
  return true;
}

export const socketIoUrl = (port: number, query: string) =>
  `ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket&${query}`;

/** Opens a socket and joins the default namespace: resolves once the server confirmed the connect. */
export async function connectSocketIo(url: string, opts: ClientOptions): Promise<Conn> {
  const conn = await connect(url, opts);
  try {
    await conn.waitFor((f) => startsWith(f, OPEN_PACKET), 15_000);
    conn.send('40');
    await conn.waitFor((f) => startsWith(f, CONNECTED), 15_000);
    return conn;
  } catch (err) {
    conn.terminate();
    throw err;
  }
}

/** `42["send",{…the same JSON the other relays get…}]` */
const eventFrame = (phase: string, i: number, p: number) => `42["send",${sendFrame(phase, i, p)}]`;

/** Opens `n` operator+visitor pairs on the Socket.IO relay; a pair is up once the relay emitted `ready`. */
export async function socketIoPairs(
  server: ServerChild,
  n: number,
  timeoutS: number,
  ipBase: number,
): Promise<Established> {
  const started = performance.now();
  const visitors: Conn[] = [];
  const operators: Conn[] = [];
  const set: PairSet = {
    name: 'Socket.IO relay',
    get size() {
      return visitors.length;
    },
    acks: false,
    send(p, ledger: Ledger, i) {
      visitors[p]!.send(eventFrame(ledger.phase, i, p));
    },
    onDeliver: () => {},
    onAck: () => {},
    errors: { count: 0, first: null },
    close() {
      for (const s of [...visitors, ...operators]) s.terminate();
    },
  };
  const result = await pool(n, 64, started + timeoutS * 1000, async (k) => {
    const opts = { localAddress: sourceAddress(ipBase, k), skipUTF8Validation: true };
    const op = await connectSocketIo(socketIoUrl(server.port, `pair=${k}&role=operator`), opts);
    const visitor = await connectSocketIo(socketIoUrl(server.port, `pair=${k}&role=visitor`), opts).catch(
      (err: unknown) => {
        op.terminate();
        throw err;
      },
    );
    await visitor.waitFor((f) => startsWith(f, READY), 10_000);
    op.live((frame) => {
      if (answerPing(op, frame)) return;
      if (decodeDelivery(frame)) set.onDeliver(decoded.phase, decoded.i, decoded.p, performance.now());
    });
    visitor.live((frame) => void answerPing(visitor, frame));
    visitors.push(visitor);
    operators.push(op);
  });
  return {
    set,
    wanted: n,
    setupSeconds: (performance.now() - started) / 1000,
    timedOut: result.timedOut,
    firstError: result.firstError,
  };
}

/**
 * One message through the relay with the official socket.io-client 4 on both ends: proves the relay is
 * an ordinary Socket.IO app and the object arrives intact. Throws if not.
 */
export async function checkWithOfficialClient(port: number): Promise<void> {
  const open = (role: string) =>
    officialClient(`http://127.0.0.1:${port}`, {
      transports: ['websocket'],
      query: { pair: 'official-client-check', role },
      reconnection: false,
      timeout: 15_000,
    });
  const operator = open('operator');
  const visitor = open('visitor');
  try {
    const sent = { type: 'send', clientId: 'check', text: 'Do you ship to Tallinn?' };
    const got = await new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('socket.io-client check: no delivery in 15 s')),
        15_000,
      );
      operator.on('send', (msg: unknown) => {
        clearTimeout(timer);
        resolve(msg);
      });
      for (const s of [operator, visitor]) s.on('connect_error', (err) => reject(err));
      visitor.on('ready', () => visitor.emit('send', sent));
    });
    if (JSON.stringify(got) !== JSON.stringify(sent)) {
      throw new Error(`socket.io-client check: sent ${JSON.stringify(sent)}, got ${JSON.stringify(got)}`);
    }
  } finally {
    operator.disconnect();
    visitor.disconnect();
  }
}
