import { Worker } from 'node:worker_threads';

/** How often the worker moves the WAL into the database file. */
const CHECKPOINT_EVERY_MS = 1_000;

// CommonJS, evaluated in the worker; better-sqlite3 is resolved from this module's own location.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');
const Database = createRequire(workerData.from)('better-sqlite3');
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    // A busy database or a full disk: the next round tries again; the writer is not affected.
    parentPort.postMessage({ error: String(err && err.message) });
  }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

/**
 * SQLite's automatic checkpoint runs inside whichever commit crosses the threshold: it copies the WAL
 * back into the database file and fsyncs it on the event loop, stalling every socket meanwhile (a third
 * of the commit cost under load). The node turns it off (`wal_autocheckpoint = 0`) and a worker thread
 * with its own connection checkpoints every second instead. PASSIVE never blocks the writer; once a
 * checkpoint has caught up, the writer starts the WAL over from its beginning, so it does not grow.
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private stopped: Promise<void> | null = null;

  constructor(file: string, onError: (message: string) => void, everyMs = CHECKPOINT_EVERY_MS) {
    this.worker = new Worker(WORKER, {
      eval: true,
      workerData: { file, everyMs, from: import.meta.url },
    });
    this.worker.on('message', (m: { error?: string }) => {
      if (m.error) onError(m.error);
    });
    this.worker.on('error', (err) => onError(err.message));
    // Never keeps the process alive: the main connection checkpoints on close anyway.
    this.worker.unref();
  }

  /** A last checkpoint, then the worker's connection closes. */
  stop(): Promise<void> {
    this.stopped ??= new Promise<void>((resolve) => {
      // Unreferenced, the worker would not keep the process alive until it has finished.
      this.worker.ref();
      this.worker.once('exit', () => resolve());
      this.worker.postMessage('stop');
      setTimeout(() => void this.worker.terminate(), 2_000).unref();
    });
    return this.stopped;
  }
}
