import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = resolve(import.meta.dirname, '../..');

const live = new Set<ChildProcess>();

/** Children must not outlive the bench, whatever way it ends. */
function killAll(): void {
  for (const c of live) c.kill('SIGKILL');
  live.clear();
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

/** Registers any other child (load-generator workers) for the same kill-on-exit guarantee. */
export function track<C extends ChildProcess>(child: C): C {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

export interface ServerChild {
  name: string;
  proc: ChildProcess;
  pid: number;
  port: number;
  origin: string;
  /** DevTools WebSocket of the child when started for profiling, else null. */
  inspectorUrl: string | null;
  /** Graceful stop (SIGTERM, so Beseda drains and flushes its store), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<number | null>;
}

export interface SpawnOptions {
  name: string;
  /** Entry file relative to the repo root, run with tsx as a loader (so the PID is node itself). */
  entry: string;
  env: Record<string, string>;
  /** Finds the listening port in a line of the child's stdout. */
  portFrom: (line: string) => number | null;
  cpuProfDir: string | null;
  startTimeoutMs?: number;
  /** Working directory and root of `entry` (another checkout for --server-root). */
  cwd?: string;
  /** Runs node under this command (e.g. `valgrind --tool=callgrind …`); the PID is still the server's. */
  wrapper?: readonly string[];
}

/** Starts a server as a child process and resolves once it printed the port it listens on. */
export function spawnServer(opts: SpawnOptions): Promise<ServerChild> {
  const preload = pathToFileURL(resolve(import.meta.dirname, 'gc-preload.ts')).href;
  const args = ['--expose-gc', '--import', 'tsx', '--import', preload];
  // Profiling goes through the inspector so each bench phase gets its own profile (see remote-profiler.ts).
  if (opts.cpuProfDir) args.push('--inspect=127.0.0.1:0');
  args.push(opts.entry);
  const [command, ...prefixArgs] = opts.wrapper?.length ? opts.wrapper : [process.execPath];
  if (opts.wrapper?.length) prefixArgs.push(process.execPath);
  const proc = spawn(command!, [...prefixArgs, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(proc);
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  proc.once('exit', () => live.delete(proc));

  return new Promise<ServerChild>((resolvePromise, reject) => {
    let buffered = '';
    let settled = false;
    const timer = setTimeout(
      () => fail(new Error(`${opts.name} did not start within ${opts.startTimeoutMs ?? 30_000} ms`)),
      opts.startTimeoutMs ?? 30_000,
    );
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      proc.kill('SIGKILL');
      reject(err);
    };
    // Server warnings are worth seeing (they would explain a bad number), prefixed so they stand apart;
    // both pipes are always drained, or a chatty child would block on a full pipe and skew the numbers.
    let echoed = 0;
    let inspectorUrl: string | null = null;
    const echo = (chunk: string) => {
      inspectorUrl ??= /Debugger listening on (ws:\/\/\S+)/.exec(chunk)?.[1] ?? null;
      for (const line of prefix(opts.name, chunk)) {
        if (echoed++ < MAX_ECHO) process.stderr.write(line);
        else if (echoed === MAX_ECHO + 1)
          process.stderr.write(`  [${opts.name}] … further output suppressed\n`);
      }
    };
    proc.stderr?.setEncoding('utf8');
    proc.stderr?.on('data', echo);
    proc.stdout?.setEncoding('utf8');
    proc.stdout?.on('data', (chunk: string) => {
      if (settled) {
        echo(chunk);
        return;
      }
      buffered += chunk;
      for (const line of buffered.split('\n')) {
        const port = opts.portFrom(line);
        if (port === null || settled) continue;
        settled = true;
        clearTimeout(timer);
        const origin = `http://127.0.0.1:${port}`;
        resolvePromise({
          name: opts.name,
          proc,
          pid: proc.pid!,
          port,
          origin,
          inspectorUrl,
          async stop(graceMs = 15_000) {
            if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
            proc.kill('SIGTERM');
            const t = setTimeout(() => proc.kill('SIGKILL'), graceMs);
            const code = await exited;
            clearTimeout(t);
            return code;
          },
        });
      }
      buffered = buffered.slice(buffered.lastIndexOf('\n') + 1);
    });
    proc.once('exit', (code, signal) =>
      fail(new Error(`${opts.name} exited before listening (code ${code}, ${signal})`)),
    );
  });
}

/** Lines of child output echoed per child: enough to see what went wrong, not a flood. */
const MAX_ECHO = 12;

function prefix(name: string, chunk: string): string[] {
  return chunk
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => `  [${name}] ${l.slice(0, 300)}\n`);
}

/** Settings every server child gets: limits that protect production would throttle the load generator. */
export const UNLIMITED = {
  MAX_CONNECTIONS_PER_IP: '1000000',
  NEW_VISITORS_PER_MINUTE_PER_IP: '1000000',
  FRAMES_PER_SECOND: '1000000',
} as const;
