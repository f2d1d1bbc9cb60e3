import { subscribe } from 'node:diagnostics_channel';
import { appendFileSync } from 'node:fs';

/**
 * Loaded into each server child by the cluster bench (`--import`): records the server's own assignment
 * latency, published on `beseda:relay:assigned` as `{ ms, decideMs, storeMs }`, to BESEDA_BENCH_ASSIGNED_FILE.<NODE_ID>, so the
 * figure is measured where the decision is made, not through the client's sockets. Buffered, flushed every
 * 200 ms and on exit (the bench stops nodes with SIGTERM).
 */
const file = process.env.BESEDA_BENCH_ASSIGNED_FILE;
if (file) {
  const target = `${file}.${process.env.NODE_ID ?? process.pid}`;
  let buffered: string[] = [];
  const flush = () => {
    if (buffered.length === 0) return;
    appendFileSync(target, `${buffered.join('\n')}\n`);
    buffered = [];
  };
  subscribe('beseda:relay:assigned', (msg) => {
    const m = msg as { ms?: unknown; decideMs?: unknown; storeMs?: unknown } | null;
    // One line per assignment: total, then (if the server reports them) the decision and the store write.
    if (typeof m?.ms === 'number')
      buffered.push([m.ms, m.decideMs, m.storeMs].filter((x) => typeof x === 'number').join(' '));
  });
  setInterval(flush, 200).unref();
  process.on('exit', flush);
}
