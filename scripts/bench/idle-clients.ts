import { pool } from './ledger.js';
import { answerPing, connectSocketIo, socketIoUrl } from './pairs-socketio.js';
import { type Conn, connect, sourceAddress, startsWith } from './ws.js';

/**
 * Child process of the memory phase: opens `count` idle visitor sockets and holds them until told to go.
 * A separate process because one process may hold at most ~20,000 descriptors here, and the server side
 * of the measurement must not share its event loop with the clients anyway.
 */
export interface IdleJob {
  kind: 'raw' | 'socketio' | 'beseda';
  port: number;
  count: number;
  ipBase: number;
  /** Offset of this worker's sockets, so raw pair ids and source addresses stay unique across workers. */
  offset: number;
}

export interface IdleReport {
  connected: number;
  failed: number;
  firstError: string | null;
  seconds: number;
}

const WELCOME = Buffer.from('{"type":"welcome"');

async function run(job: IdleJob): Promise<IdleReport> {
  const started = performance.now();
  const origin = `http://127.0.0.1:${job.port}`;
  const held: Conn[] = [];
  const result = await pool(job.count, 128, started + 120_000, async (k) => {
    const n = job.offset + k;
    const opts = { localAddress: sourceAddress(job.ipBase, n), skipUTF8Validation: true };
    if (job.kind === 'raw') {
      held.push(await connect(`ws://127.0.0.1:${job.port}/visitor?pair=idle-${n}`, opts));
      return;
    }
    if (job.kind === 'socketio') {
      // Joined to the namespace, and answering Engine.IO pings (25 s) so the server keeps the socket.
      const conn = await connectSocketIo(socketIoUrl(job.port, `pair=idle-${n}&role=visitor`), opts);
      conn.live((frame) => void answerPing(conn, frame));
      held.push(conn);
      return;
    }
    // A Beseda visitor is only fully there after hello: subscribed to its topics, welcome sent.
    const conn = await connect(`ws://127.0.0.1:${job.port}/ws/visitor?site=demo`, {
      ...opts,
      headers: { origin },
    });
    conn.send(JSON.stringify({ type: 'hello', v: 1, page: { url: `${origin}/`, title: 'Idle' } }));
    await conn.waitFor((f) => startsWith(f, WELCOME), 30_000);
    conn.live(() => {});
    held.push(conn);
  });
  return {
    connected: held.length,
    failed: result.failed,
    firstError: result.firstError,
    seconds: (performance.now() - started) / 1000,
  };
}

process.once('message', (job: IdleJob) => {
  void run(job).then((report) => process.send?.(report));
});
// The parent says when the measurement is over; exiting closes every socket at once.
process.on('message', (msg) => {
  if (msg === 'exit') process.exit(0);
});
process.on('disconnect', () => process.exit(0));
