import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Helpers for tests that run the compiled server (`node server/dist/server.js`) as a real process. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SERVER_JS = `${ROOT}server/dist/server.js`;

function newestSource(): number {
  let newest = 0;
  for (const dir of ['server/src', 'shared/src']) {
    for (const f of readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' }))
      newest = Math.max(newest, statSync(join(ROOT, dir, f)).mtimeMs);
  }
  for (const f of ['server/build.mjs', 'server/package.json'])
    newest = Math.max(newest, statSync(join(ROOT, f)).mtimeMs);
  return newest;
}

const stale = () => !existsSync(SERVER_JS) || statSync(SERVER_JS).mtimeMs < newestSource();

/**
 * Makes sure server/dist is what `pnpm build` would produce from the current sources. `pnpm test` builds
 * first, so normally nothing happens; a test file run on its own rebuilds a stale dist (esbuild, ~1 s).
 * Test files run in parallel: a lock directory lets one build while the others wait, so no test starts a
 * server from a half-written dist.
 */
export function buildServer(): void {
  if (!stale()) return;
  const lock = join(ROOT, 'server/.build-lock');
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`${lock} held for 60 s; remove it if no build is running`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  try {
    if (stale()) execFileSync(process.execPath, ['server/build.mjs'], { cwd: ROOT, stdio: 'pipe' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface ServerProcess {
  proc: ChildProcess;
  origin: string;
  /** stdout + stderr so far. */
  output(): string;
  exited: Promise<number | null>;
}

/** Starts `node server/dist/server.js` with these env vars (plus PORT=0) and waits until it listens. */
export async function spawnServer(env: Record<string, string>, args: string[] = []): Promise<ServerProcess> {
  const proc = spawn(process.execPath, [SERVER_JS, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const origin = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk;
      const m = out.match(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) resolve(m[1]!);
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening:\n${out}`)));
  });
  return { proc, origin, output: () => out, exited };
}

/** Runs the compiled server to completion (config errors, --print-config). */
export function runServer(
  env: Record<string, string>,
  args: string[] = [],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [SERVER_JS, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (c) => {
      stdout += c;
    });
    proc.stderr.on('data', (c) => {
      stderr += c;
    });
    proc.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Polls `check` until it returns true (never a fixed sleep). */
export async function until(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
