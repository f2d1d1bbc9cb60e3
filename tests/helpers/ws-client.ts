import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';

type Frame = { type: string; [k: string]: unknown };

/**
 * A test client that records every frame and lets tests wait for a condition (never for a fixed time).
 */
export class TestClient {
  readonly frames: Frame[] = [];
  private waiters: { pred: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  closeCode: number | null = null;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const f = JSON.parse(String(data)) as Frame;
      this.frames.push(f);
      this.waiters = this.waiters.filter((w) => {
        if (!w.pred(f)) return true;
        w.resolve(f);
        return false;
      });
    });
    ws.on('close', (code) => {
      this.closeCode = code;
    });
  }

  static connect(url: string, headers: Record<string, string>): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      const client = new TestClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) =>
        reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode })),
      );
      ws.once('error', reject);
    });
  }

  send(frame: object | string): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Resolves with the first frame (already received or future) matching `pred`. */
  next<T = Frame>(pred: (f: Frame) => boolean, timeoutMs = 5000, from = 0): Promise<T> {
    const seen = this.frames.slice(from).find(pred);
    if (seen) return Promise.resolve(seen as T);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for frame; got ${JSON.stringify(this.frames.slice(-5))}`)),
        timeoutMs,
      );
      this.waiters.push({
        pred,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f as T);
        },
      });
    });
  }

  /** Waits for a frame of this type that arrives after now. */
  nextNew<T = Frame>(type: string, pred: (f: Frame) => boolean = () => true, timeoutMs = 5000): Promise<T> {
    return this.next<T>((f) => f.type === type && pred(f), timeoutMs, this.frames.length);
  }

  ofType<T = Frame>(type: string): T[] {
    return this.frames.filter((f) => f.type === type) as T[];
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((r) => {
      this.ws.once('close', () => r());
      this.ws.close();
    });
  }
}

export const clientId = () => randomUUID().replace(/-/g, '');

export interface VisitorIdentity {
  visitorId: string;
  token: string;
}

/** Opens a visitor socket, says hello and waits for welcome. */
export async function connectVisitor(
  wsUrl: string,
  origin: string,
  opts: { site?: string; identity?: VisitorIdentity; conversationId?: string; lastSeq?: number } = {},
) {
  const q = new URLSearchParams({ site: opts.site ?? 'demo' });
  if (opts.identity) {
    q.set('vid', opts.identity.visitorId);
    q.set('token', opts.identity.token);
  }
  const client = await TestClient.connect(`${wsUrl}/ws/visitor?${q}`, { origin });
  client.send({
    type: 'hello',
    v: 1,
    ...(opts.conversationId ? { conversationId: opts.conversationId } : {}),
    ...(opts.lastSeq !== undefined ? { lastSeq: opts.lastSeq } : {}),
    page: { url: `${origin}/`, title: 'Home' },
  });
  const welcome = await client.next<Frame & { visitorId: string; token: string }>(
    (f) => f.type === 'welcome',
  );
  return { client, identity: { visitorId: welcome.visitorId, token: welcome.token } };
}

export async function connectOperator(wsUrl: string, origin: string, cookie: string) {
  const client = await TestClient.connect(`${wsUrl}/ws/operator`, { origin, cookie });
  client.send({ type: 'hello', v: 1 });
  await client.next((f) => f.type === 'welcome');
  return client;
}

/**
 * Visitor → operator → visitor round trips of an assigned chat, one after another (ms each): what a
 * normal pair feels while something else loads the server.
 */
export async function roundTrips(
  visitor: TestClient,
  operator: TestClient,
  conversationId: string,
  count: number,
): Promise<number[]> {
  const out: number[] = [];
  const carries = (id: string) => (f: Frame) =>
    f.type === 'message' && (f.message as { clientId: string }).clientId === id;
  for (let k = 0; k < count; k++) {
    const id = clientId();
    const t0 = performance.now();
    visitor.send({ type: 'send', clientId: id, text: `ping ${k}` });
    await operator.next(carries(id));
    const reply = clientId();
    operator.send({ type: 'send', conversationId, clientId: reply, text: `pong ${k}` });
    await visitor.next(carries(reply));
    out.push(performance.now() - t0);
  }
  return out.sort((a, b) => a - b);
}
