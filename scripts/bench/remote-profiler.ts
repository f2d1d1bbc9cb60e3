import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type Conn, connect } from './ws.js';

/**
 * Drives the V8 profiler of a child started with --inspect over the DevTools protocol, so a profile covers
 * exactly one bench phase (setup and load have very different hot spots). Read the result with
 * profile-summary.ts or Chrome DevTools.
 */
export class RemoteProfiler {
  private nextId = 1;
  private readonly pending = new Map<number, (result: unknown) => void>();

  private constructor(private readonly conn: Conn) {
    conn.live((frame) => {
      const msg = JSON.parse(frame.toString('utf8')) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
      };
      if (msg.id === undefined) return;
      const done = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      done?.(msg.error ? new Error(msg.error.message) : msg.result);
    });
  }

  static async attach(url: string): Promise<RemoteProfiler> {
    const p = new RemoteProfiler(await connect(url, {}));
    await p.call('Profiler.enable');
    return p;
  }

  private call(method: string, params: object = {}): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method} timed out`)), 60_000);
      this.pending.set(id, (r) => {
        clearTimeout(timer);
        if (r instanceof Error) reject(r);
        else resolve(r);
      });
      this.conn.send(JSON.stringify({ id, method, params }));
    });
  }

  async start(): Promise<void> {
    await this.call('Profiler.start');
  }

  async stopTo(file: string): Promise<void> {
    const { profile } = (await this.call('Profiler.stop')) as { profile: unknown };
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(profile));
    console.log(`  profile written: ${file}`);
  }

  close(): void {
    this.conn.terminate();
  }
}
