import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/start-server.js';
import { clientId, connectVisitor } from '../helpers/ws-client.js';
import { buildServer, ROOT } from './ops-process.js';

const run = promisify(execFile);
const cli = (command: 'backup' | 'restore', file: string, dataDir: string) =>
  run(process.execPath, ['server/dist/ops/backup-cli.js', command, file], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir },
  });

// These tests start processes (the compiled server, the backup CLI): give a busy machine time.
const SLOW = 60_000;

let work: string;
beforeAll(async () => {
  buildServer();
  work = await mkdtemp(join(tmpdir(), 'beseda-backup-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

interface Acked {
  conversationId: string;
  seq: number;
  text: string;
}

describe('pnpm backup / pnpm restore (SQLite)', () => {
  it(
    'takes a consistent backup under write load; the restore holds every message acked before it',
    async () => {
      const server: TestServer = await startServer({ framesPerSecond: 10_000 });
      const acked: Acked[] = [];
      let stop = false;
      // Four visitors write as fast as their acks come back (one message in flight each).
      const writers = await Promise.all([1, 2, 3, 4].map(() => connectVisitor(server.wsUrl, server.origin)));
      const loops = writers.map(async ({ client }, w) => {
        for (let i = 0; !stop; i++) {
          const cid = clientId();
          const text = `writer ${w} message ${i}`;
          client.send({ type: 'send', clientId: cid, text });
          const ack = await client.next<{ conversationId: string; seq: number }>(
            (f) => f.type === 'ack' && f.clientId === cid,
            10_000,
          );
          acked.push({ conversationId: ack.conversationId, seq: ack.seq, text });
        }
      });
      const waitForAcks = async (n: number) => {
        while (acked.length < n) await new Promise((r) => setTimeout(r, 10));
      };
      await waitForAcks(200);

      const file = join(work, 'beseda-backup.db');
      const before = acked.slice();
      const { stdout } = await cli('backup', file, server.dataDir);
      expect(stdout).toMatch(/integrity ok/);
      await waitForAcks(acked.length + 50); // the server kept writing after the backup
      stop = true;
      await Promise.all(loops);
      await Promise.all(writers.map((w) => w.client.close()));
      await server.close();

      const restoredDir = join(work, 'restored');
      await cli('restore', file, restoredDir);
      const restored = await startServer({}, { dataDir: restoredDir });
      try {
        const byConversation = new Map<string, { seq: number; text: string }[]>();
        for (const id of new Set(acked.map((a) => a.conversationId)))
          byConversation.set(id, await restored.app.store.listMessages(id, 0));
        // Everything acked before the backup started is there, with its seq and text ...
        for (const a of before)
          expect(byConversation.get(a.conversationId)).toContainEqual(expect.objectContaining(a));
        // ... and each conversation is a gap-free prefix of what the live server stored.
        for (const messages of byConversation.values())
          expect(messages.map((m) => m.seq)).toEqual(messages.map((_, i) => i + 1));
        const restoredCount = [...byConversation.values()].reduce((n, m) => n + m.length, 0);
        expect(restoredCount).toBeGreaterThanOrEqual(before.length);
        // The 50 acked after the backup returned are not in it (at most one in-flight message per writer
        // may have been committed just before the snapshot and acked just after).
        expect(restoredCount).toBeLessThanOrEqual(acked.length - 50 + writers.length);
      } finally {
        await restored.close();
      }
    },
    SLOW,
  );

  it(
    'refuses to restore over existing data or from a damaged file',
    async () => {
      const server = await startServer();
      const file = join(work, 'second.db');
      await cli('backup', file, server.dataDir);
      await expect(cli('backup', file, server.dataDir)).rejects.toMatchObject({ stderr: /already exists/ });
      await expect(cli('restore', file, server.dataDir)).rejects.toMatchObject({
        stderr: /already holds a database; restore into an empty DATA_DIR/,
      });
      await server.close();

      const damaged = join(work, 'damaged.db');
      await copyFile(file, damaged);
      const fh = await open(damaged, 'r+');
      const { size } = await fh.stat();
      await fh.write(Buffer.alloc(8192, 0x5a), 0, 8192, Math.floor(size / 2 / 4096) * 4096);
      await fh.close();
      await expect(cli('restore', damaged, join(work, 'never'))).rejects.toMatchObject({
        stderr: /failed the integrity check|cannot be opened|malformed/,
      });
    },
    SLOW,
  );
});
