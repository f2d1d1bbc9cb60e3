import type { ServerChild } from './children.js';
import { type Ledger, type PairSet, pool } from './ledger.js';
import { decodeDelivery, decoded, sendFrame } from './wire.js';
import { type Conn, connect, sourceAddress, startsWith } from './ws.js';

const READY = Buffer.from('{"type":"ready"}');

export interface Established {
  set: PairSet;
  wanted: number;
  setupSeconds: number;
  timedOut: boolean;
  firstError: string | null;
}

/** Opens `n` operator+visitor socket pairs on the raw relay; each pair is up once the relay said `ready`. */
export async function rawPairs(
  server: ServerChild,
  n: number,
  timeoutS: number,
  ipBase: number,
): Promise<Established> {
  const started = performance.now();
  const url = `ws://127.0.0.1:${server.port}`;
  const visitors: Conn[] = [];
  const operators: Conn[] = [];
  const set: PairSet = {
    name: 'raw ws relay',
    get size() {
      return visitors.length;
    },
    acks: false,
    send(p, ledger: Ledger, i) {
      visitors[p]!.send(sendFrame(ledger.phase, i, p));
    },
    onDeliver: () => {},
    onAck: () => {},
    errors: { count: 0, first: null },
    close() {
      for (const s of [...visitors, ...operators]) s.terminate();
    },
  };
  const onOperatorFrame = (frame: Buffer) => {
    if (decodeDelivery(frame)) set.onDeliver(decoded.phase, decoded.i, decoded.p, performance.now());
  };
  const result = await pool(n, 64, started + timeoutS * 1000, async (k) => {
    const opts = { localAddress: sourceAddress(ipBase, k), skipUTF8Validation: true };
    const op = await connect(`${url}/operator?pair=${k}`, opts);
    const visitor = await connect(`${url}/visitor?pair=${k}`, opts).catch((err: unknown) => {
      op.terminate();
      throw err;
    });
    await visitor.waitFor((f) => startsWith(f, READY), 10_000);
    op.live(onOperatorFrame);
    visitor.live(() => {});
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
