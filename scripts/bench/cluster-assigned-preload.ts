import { subscribe } from 'node:diagnostics_channel';
import { appendFileSync } from 'node:fs';

/**
 * Loaded into each server child by the cluster bench (`--import`): records the server's own assignment
 * latency, published on `beseda:relay:assigned` as `{ ms }`, to BESEDA_BENCH_ASSIGNED_FILE.<NODE_ID>, so the
 * figure is measured where the decision is made, not through the client's sockets. Buffered, flushed every
 * 200 ms and on exit (the bench stops nodes with SIGTERM).
 */
const file = process.env.BESEDA_BENCH_ASSIGNED_FILE;
if (file) {
  const target = `${file}.${process.env.NODE_ID ?? process.pid}`;
  let buffered: number[] = [];
  const flush = () => {
    if (buffered.length === 0) return;
    appendFileSync(target, `${buffered.join('\n')}\n`);
    buffered = [];
  };
  subscribe('beseda:relay:assigned', (msg) => {
    const ms = (msg as { ms?: unknown } | null)?.ms;
    if (typeof ms === 'number') buffered.push(ms);
  });
  setInterval(flush, 200).unref();
  process.on('exit', flush);
}
