import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectSqlite } from '../../server/src/store/sqlite/sqlite-store.js';
import { connectOperator } from '../helpers/ws-client.js';
import { buildServer, type ServerProcess, spawnServer, until } from './ops-process.js';

const PASSWORD = 'owner-password';
const STAMP_MS = 500;

async function login(origin: string): Promise<string> {
  const res = await fetch(`${origin}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'owner@beseda.local', password: PASSWORD }),
  });
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

/**
 * Issue #8 point 8: a crash must not count as covered. A single node records that it is alive every
 * PRESENCE_HEARTBEAT_MS; after SIGKILL and a restart long after, the operator's online interval ends at the
 * last stamp, not at the restart.
 */
describe('coverage across a crash of a single node', () => {
  const servers: ServerProcess[] = [];
  let dataDir = '';
  afterAll(async () => {
    for (const s of servers) s.proc.kill('SIGKILL');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('closes the online interval at the last alive stamp, not at the restart', async () => {
    buildServer();
    dataDir = await mkdtemp(join(tmpdir(), 'beseda-crash-cov-'));
    const env = {
      DATA_DIR: dataDir,
      OWNER_PASSWORD: PASSWORD,
      LOG_LEVEL: 'info',
      PRESENCE_HEARTBEAT_MS: String(STAMP_MS),
    };
    const first = await spawnServer(env);
    servers.push(first);
    const op = await connectOperator(
      first.origin.replace('http', 'ws'),
      first.origin,
      await login(first.origin),
    );
    await op.next((f) => f.type === 'me' || f.type === 'welcome');
    const onlineSince = Date.now();
    // Let at least two stamps happen while the operator is online.
    await until(() => Date.now() > onlineSince + 3 * STAMP_MS);
    const killedAt = Date.now();
    first.proc.kill('SIGKILL');
    await first.exited;
    // The downtime: far longer than one stamp period.
    await until(() => Date.now() > killedAt + 8 * STAMP_MS);
    const restartedAt = Date.now();
    const second = await spawnServer(env);
    servers.push(second);

    const { client: db } = await connectSqlite(join(dataDir, 'beseda.db'));
    try {
      const rows = () =>
        db
          .prepare(
            "select at, json_extract(data, '$.status') as status, json_extract(data, '$.reason') as reason from events where type = 'operator_status' order by id",
          )
          .all() as { at: number; status: string; reason: string }[];
      // The first start wrote one too (for the owner's stored status); the one after the crash follows the
      // operator's online event.
      const afterCrash = () =>
        rows().filter(
          (r, i, all) => r.reason === 'restart' && all.slice(0, i).some((x) => x.status === 'online'),
        );
      await until(() => afterCrash().length > 0);
      const offline = afterCrash()[0]!;
      expect(offline.status).toBe('offline');
      // At the last stamp: before the kill, at most one period (plus scheduling slack) earlier.
      expect(offline.at).toBeLessThanOrEqual(killedAt);
      expect(offline.at).toBeGreaterThan(killedAt - STAMP_MS - 1_000);
      expect(offline.at).toBeLessThan(restartedAt);
    } finally {
      db.close();
    }
    await op.close().catch(() => undefined);
  }, 60_000);
});
