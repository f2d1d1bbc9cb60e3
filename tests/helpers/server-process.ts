import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { serverProcessArgs } from './server-under-test.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerProcess {
  proc: ChildProcess;
  origin: string;
  wsUrl: string;
  /** Resident memory of the server process as it reports it on /metrics (METRICS_TOKEN unset). */
  rss(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The server as its own process (the build BESEDA_TEST_SERVER chooses), for tests that measure the
 * server's own memory or kill it. Resolves once it logs that it listens (so LOG_LEVEL must stay at
 * `info` or below).
 */
export async function startServerProcess(
  env: Record<string, string>,
  startTimeoutMs = 50_000,
): Promise<ServerProcess> {
  const proc = spawn(process.execPath, serverProcessArgs(), {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const origin = await new Promise<string>((resolve, reject) => {
    // Never leave a process behind when it does not come up (the test's hook would time out first).
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`server did not listen within ${startTimeoutMs} ms:\n${out}`));
    }, startTimeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk;
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${out}`));
    });
  });
  // Keep draining its output so a chatty log never blocks the process on a full pipe.
  proc.stdout.removeAllListeners('data').resume();
  proc.stderr.removeAllListeners('data').resume();
  return {
    proc,
    origin,
    wsUrl: origin.replace('http', 'ws'),
    async rss() {
      const body = await (await fetch(`${origin}/metrics`)).text();
      // `process_resident_memory_bytes{node="…"} 123456` (every series carries the node label).
      const m = /^process_resident_memory_bytes(?:\{[^}]*\})? (\S+)$/m.exec(body);
      if (!m) throw new Error(`no process_resident_memory_bytes on /metrics: ${body.slice(0, 300)}`);
      return Number(m[1]);
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGKILL');
        await exited;
      }
    },
  };
}
