import type { ServerChild } from './children.js';
import { type Ledger, type PairSet, pool } from './ledger.js';
import type { Established } from './pairs-raw.js';
import { decodeAck, decodeDelivery, decoded, ERROR_PREFIX, sendFrame } from './wire.js';
import { type Conn, connect, sourceAddress, startsWith } from './ws.js';

const p = (s: string) => Buffer.from(s);
const WELCOME = p('{"type":"welcome"');
const ME = p('{"type":"me"');
const ASSIGNED = p('{"type":"assigned"');
const MESSAGE = p('{"type":"message"');

/** Reads a string field out of the head of a frame; welcome frames can be megabytes of presence. */
function field(frame: Buffer, re: RegExp): string | null {
  return re.exec(frame.toString('utf8', 0, Math.min(frame.length, 1024)))?.[1] ?? null;
}

/** Chats per operator implied by the seeding (operators = ceil(pairs / capacity)). */
const capacityOf = (operators: number, pairs: number) => Math.max(1, Math.ceil(pairs / operators));

export interface BesedaEstablished extends Established {
  operatorsUp: number;
  operatorSeconds: number;
  /** Conversation of each pair, for the storage check at the end. */
  conversationIds: string[];
  /** clientIds of the first messages (committed before the chat could be assigned). */
  firstClientIds: string[];
}

/**
 * Connects every seeded operator (hello → welcome, online), then visitors one by one: hello, a first
 * message, and the `assigned` frame that says which operator took the chat. The pair is that visitor's
 * socket and that operator's socket. Setup stops at the deadline; the load phases use what is up.
 */
export async function besedaPairs(
  server: ServerChild,
  cookies: readonly string[],
  n: number,
  timeoutS: number,
  ipBase: number,
): Promise<BesedaEstablished> {
  const started = performance.now();
  const deadline = started + timeoutS * 1000;
  const url = `ws://127.0.0.1:${server.port}`;
  const headers = { origin: server.origin };
  const visitors: Conn[] = [];
  const conversationIds: string[] = [];
  const firstClientIds: string[] = [];
  const operatorById = new Map<string, Conn>();
  const pings: ReturnType<typeof setInterval>[] = [];

  const set: PairSet = {
    name: 'Beseda',
    get size() {
      return visitors.length;
    },
    acks: true,
    send(pair, ledger: Ledger, i) {
      visitors[pair]!.send(sendFrame(ledger.phase, i, pair));
    },
    onDeliver: () => {},
    onAck: () => {},
    errors: { count: 0, first: null },
    close() {
      for (const p of pings) clearInterval(p);
      for (const s of visitors) s.terminate();
      for (const s of operatorById.values()) s.terminate();
    },
  };
  const noteError = (frame: Buffer) => {
    set.errors.count++;
    set.errors.first ??= frame.toString('utf8', 0, 300);
  };
  const onOperatorFrame = (frame: Buffer) => {
    if (startsWith(frame, MESSAGE)) {
      if (decodeDelivery(frame)) set.onDeliver(decoded.phase, decoded.i, decoded.p, performance.now());
    } else if (startsWith(frame, ERROR_PREFIX)) noteError(frame);
  };
  const onVisitorFrame = (frame: Buffer) => {
    if (decodeAck(frame)) set.onAck(decoded.phase, decoded.i);
    else if (startsWith(frame, ERROR_PREFIX)) noteError(frame);
  };

  const connectOperator = async (k: number) => {
    const conn = await connect(`${url}/ws/operator`, {
      headers: { ...headers, cookie: cookies[k]! },
      localAddress: sourceAddress(ipBase, k),
      skipUTF8Validation: true,
    });
    conn.send('{"type":"hello","v":1}');
    const welcome = await conn.waitFor((f) => startsWith(f, WELCOME), 60_000);
    const id = field(welcome, /"me":\{"id":"([^"]+)"/);
    if (!id) throw new Error('welcome without me.id');
    if (field(welcome, /"me":\{[^}]*"status":"(\w+)"/) !== 'online') {
      conn.send('{"type":"status","status":"online"}');
      await conn.waitFor((f) => startsWith(f, ME) && field(f, /"status":"(\w+)"/) === 'online', 60_000);
    }
    conn.live(onOperatorFrame);
    operatorById.set(id, conn);
    // Like a real console: an application ping every 5 s, or the server takes 12 s of silence for a dead
    // network (4408) and the operator's chats stop being delivered mid-run.
    const ping = setInterval(() => conn.send('{"type":"ping"}'), 5_000);
    ping.unref();
    pings.push(ping);
  };

  const connectVisitor = async (k: number) => {
    const conn = await connect(`${url}/ws/visitor?site=demo`, {
      headers,
      localAddress: sourceAddress(ipBase, cookies.length + k),
      skipUTF8Validation: true,
    });
    try {
      conn.send(JSON.stringify({ type: 'hello', v: 1, page: { url: `${server.origin}/`, title: 'Bench' } }));
      await conn.waitFor((f) => startsWith(f, WELCOME), 30_000);
      const firstId = `first${String(k).padStart(8, '0')}`;
      conn.send(JSON.stringify({ type: 'send', clientId: firstId, text: 'Hello, is anyone there?' }));
      const assigned = await conn.waitFor((f) => startsWith(f, ASSIGNED), 30_000);
      const conversationId = field(assigned, /"conversationId":"([^"]+)"/);
      const operatorId = field(assigned, /"operator":\{"id":"([^"]+)"/);
      if (!conversationId || !operatorId || !operatorById.has(operatorId)) {
        throw new Error(
          `assigned to an operator the bench does not hold: ${assigned.toString('utf8', 0, 200)}`,
        );
      }
      conn.live(onVisitorFrame);
      visitors.push(conn);
      conversationIds.push(conversationId);
      firstClientIds.push(firstId);
    } catch (err) {
      conn.terminate();
      throw err;
    }
  };

  // Rounds: a few operators come online, then just enough visitors to fill them. Every status change and
  // every assignment sends the whole presence list to every connected operator, so bringing operators in
  // as they are needed halves that (server-side, quadratic) setup cost; it is not part of what is measured.
  const perRound = Math.max(1, Math.ceil(16 / capacityOf(cookies.length, n)));
  let operatorSeconds = 0;
  let visitorsTried = 0;
  let timedOut = false;
  let firstError: string | null = null;
  for (let first = 0; first < cookies.length && visitorsTried < n; first += perRound) {
    const t0 = performance.now();
    const count = Math.min(perRound, cookies.length - first);
    const ops = await pool(count, 16, deadline, (k) => connectOperator(first + k));
    operatorSeconds += (performance.now() - t0) / 1000;
    const want = Math.min(n - visitorsTried, count * capacityOf(cookies.length, n));
    const from = visitorsTried;
    visitorsTried += want;
    const vis = await pool(want, 16, deadline, (k) => connectVisitor(from + k));
    firstError ??= ops.firstError ?? vis.firstError;
    if (ops.timedOut || vis.timedOut) {
      timedOut = true;
      break;
    }
    if (operatorById.size === 0 && ops.failed > 0) break; // refused outright: no point going on
  }

  return {
    set,
    wanted: n,
    setupSeconds: (performance.now() - started) / 1000,
    timedOut,
    firstError,
    operatorsUp: operatorById.size,
    operatorSeconds,
    conversationIds,
    firstClientIds,
  };
}
