import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { ROOT } from './deps.js';
import { waitFor } from './wait.js';

/** A port nobody listens on right now (bind 0, read it, close). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const addr = srv.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  srv.close();
  await once(srv, 'close');
  return addr.port;
}

const LOG_LINES = 300;

/**
 * One real server process (`node --import tsx server/src/server.ts`, as `pnpm start` runs it) on a fixed
 * port, so a restart comes back where clients expect it. Keeps the tail of its stdout/stderr for failure
 * messages. kill = SIGKILL (no shutdown hook runs), stop = SIGTERM (drain), pause/resume = SIGSTOP/SIGCONT.
 */
export class NodeProcess {
  private proc: ChildProcess | null = null;
  private exitPromise: Promise<number | string | null> = Promise.resolve(null);
  readonly log: string[] = [];
  /** How the last run ended: exit code, signal name, or null while running. */
  lastExit: number | string | null = null;
  paused = false;
  starts = 0;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
    /** Extra node flags before the entry (e.g. `--import` of a measuring preload). */
    private readonly execArgv: string[] = [],
  ) {}

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }
  get pid(): number | undefined {
    return this.proc?.pid;
  }
  get running(): boolean {
    return this.proc !== null && this.lastExit === null;
  }

  /**
   * Spawns the process and waits until /healthz answers 200 (or the process dies, or 120 s pass: on a busy
   * 2-core machine tsx alone can take most of a minute).
   */
  async start(extraEnv: Record<string, string> = {}): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already running`);
    this.starts++;
    this.lastExit = null;
    this.paused = false;
    this.note(`--- start #${this.starts} on port ${this.port}`);
    const proc = spawn(process.execPath, ['--import', 'tsx', ...this.execArgv, 'server/src/server.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...this.env, ...extraEnv, PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = proc;
    const capture = (stream: string) => (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) this.note(`${stream}: ${line}`);
    };
    proc.stdout!.on('data', capture('out'));
    proc.stderr!.on('data', capture('err'));
    this.exitPromise = new Promise((resolveExit) => {
      proc.once('exit', (code, signal) => {
        this.lastExit = signal ?? code;
        this.note(`--- exited (${signal ?? code})`);
        resolveExit(this.lastExit);
      });
    });
    const outcome = await waitFor(
      `${this.name} to answer /healthz`,
      async () => (this.lastExit !== null ? 'exited' : (await this.health()) !== null ? 'up' : undefined),
      { timeoutMs: 120_000, intervalMs: 100 },
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${this.tail(40)}`);
    });
    if (outcome === 'exited') {
      throw new Error(`${this.name} exited (${this.lastExit}) while starting\n${this.tail(40)}`);
    }
  }

  /** GET /healthz, or null when the node does not answer (quickly: a paused node never does). */
  async health(timeoutMs = 1000): Promise<Record<string, unknown> | null> {
    try {
      const res = await fetch(`${this.origin}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
      if (res.status !== 200) return null;
      return (await res.json()) as Record<string, unknown>;
    } catch {
      return null;
    }
  }

  private note(line: string) {
    this.log.push(`[${new Date().toISOString().slice(11, 23)} ${this.name}] ${line}`);
    if (this.log.length > LOG_LINES) this.log.splice(0, this.log.length - LOG_LINES);
  }

  tail(lines = 60): string {
    return this.log.slice(-lines).join('\n');
  }

  private signal(sig: NodeJS.Signals) {
    if (!this.proc || this.lastExit !== null) throw new Error(`${this.name} is not running (${sig})`);
    this.note(`--- ${sig}`);
    this.proc.kill(sig);
  }

  /** SIGKILL: the process dies at once, no shutdown hook runs. Resolves when it is gone. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.signal('SIGKILL');
    await this.exitPromise;
  }

  /** SIGTERM: a drain (sockets closed 1012, store flushed). Resolves with the exit code. */
  async stop(timeoutMs = 20_000): Promise<number | string | null> {
    if (!this.running) return this.lastExit;
    if (this.paused) this.resume();
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.proc?.kill('SIGKILL'), timeoutMs);
    const result = await this.exitPromise;
    clearTimeout(timer);
    return result;
  }

  pause(): void {
    this.signal('SIGSTOP');
    this.paused = true;
  }

  resume(): void {
    this.signal('SIGCONT');
    this.paused = false;
  }

  /** Waits for the process to exit by itself (e.g. a fault switch that kills it). */
  async exited(timeoutMs: number): Promise<number | string | null> {
    return waitFor(`${this.name} to exit`, () => (this.lastExit !== null ? this.lastExit : undefined), {
      timeoutMs,
    });
  }

  /** Same port, same environment (plus `extraEnv`), after the previous run ended. */
  async restart(extraEnv: Record<string, string> = {}): Promise<void> {
    if (this.running) await this.stop();
    await this.start(extraEnv);
  }
}
