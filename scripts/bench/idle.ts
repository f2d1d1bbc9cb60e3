import { type ChildProcess, fork } from 'node:child_process';
import { type ServerChild, track } from './children.js';
import type { IdleJob, IdleReport } from './idle-clients.js';
import { fdLimit, openFds, rssBytes } from './proc.js';
import { sleep } from './stats.js';

export interface IdleResult {
  requested: number;
  target: number;
  connected: number;
  failed: number;
  firstError: string | null;
  rssBefore: number;
  rssAfter: number;
  bytesPerSocket: number;
  connectSeconds: number;
  /** Why fewer than requested were attempted, if so. */
  limitNote: string | null;
}

/** Sockets per client process: well inside the 20,000-descriptor limit of each process. */
const PER_WORKER = 8000;
/** Descriptors a server keeps for itself beyond its sockets (listener, epoll, SQLite, stdio, …) plus slack. */
const FD_SLACK = 64;

/** RSS after asking the child for a full GC and letting it settle, so both relays are read the same way. */
async function settledRss(pid: number): Promise<number> {
  process.kill(pid, 'SIGUSR2');
  await sleep(1500);
  return rssBytes(pid);
}

/**
 * Opens `requested` idle visitor sockets against `server` from several client processes and reports the
 * server's RSS growth per socket. Capped by the server's open-file hard limit, which this container does
 * not let us raise.
 */
export async function idleSockets(
  server: ServerChild,
  kind: IdleJob['kind'],
  requested: number,
  ipBase: number,
): Promise<IdleResult> {
  await sleep(500);
  const rssBefore = await settledRss(server.pid);
  const room = fdLimit(server.pid).soft - openFds(server.pid) - FD_SLACK;
  const target = Math.max(0, Math.min(requested, room));
  const limitNote =
    target < requested
      ? `server fd limit ${fdLimit(server.pid).soft}: ${target} of ${requested} attempted`
      : null;

  const workers: ChildProcess[] = [];
  const started = performance.now();
  try {
    const reports = await Promise.all(
      Array.from({ length: Math.ceil(target / PER_WORKER) }, (_, w) => {
        const job: IdleJob = {
          kind,
          port: server.port,
          count: Math.min(PER_WORKER, target - w * PER_WORKER),
          ipBase: ipBase + w,
          offset: w * PER_WORKER,
        };
        const child = track(
          fork(new URL('./idle-clients.ts', import.meta.url), {
            execArgv: ['--import', 'tsx'],
            stdio: 'inherit',
          }),
        );
        workers.push(child);
        return new Promise<IdleReport>((resolve, reject) => {
          child.once('message', (r) => resolve(r as IdleReport));
          child.once('exit', (code) => reject(new Error(`idle client exited with ${code} before reporting`)));
          child.send(job);
        });
      }),
    );
    const connectSeconds = (performance.now() - started) / 1000;
    const connected = reports.reduce((n, r) => n + r.connected, 0);
    await sleep(1000);
    const rssAfter = await settledRss(server.pid);
    return {
      requested,
      target,
      connected,
      failed: reports.reduce((n, r) => n + r.failed, 0),
      firstError: reports.find((r) => r.firstError)?.firstError ?? null,
      rssBefore,
      rssAfter,
      bytesPerSocket: connected > 0 ? (rssAfter - rssBefore) / connected : Number.NaN,
      connectSeconds,
      limitNote,
    };
  } finally {
    for (const w of workers) {
      if (w.connected) w.send('exit');
      setTimeout(() => w.kill('SIGKILL'), 5000).unref();
    }
  }
}
