import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { intervalsFromStatusEvents } from '../../server/src/metrics/source.js';
import { connectSqlite } from '../../server/src/store/sqlite/sqlite-store.js';
import type { ChatEventRecord } from '../../server/src/store/types.js';
import { startServer, type TestServer } from '../helpers/start-server.js';
import { connectOperator, type TestClient } from '../helpers/ws-client.js';

/**
 * Coverage follows the sites an online operator serves (issue #12.10): a site added to someone who is
 * already online is covered from that moment, not from their next status change; a site taken away stops
 * being covered by them at once.
 */
describe('coverage when an online operator’s sites change', () => {
  let s: TestServer;
  let console_: TestClient | null = null;
  beforeEach(async () => {
    s = await startServer();
  });
  afterEach(async () => {
    await console_?.close();
    await s.close();
  });

  async function statusEvents(): Promise<ChatEventRecord[]> {
    const { client } = await connectSqlite(join(s.dataDir, 'beseda.db'));
    try {
      const rows = client
        .prepare(
          "select operator_id as operatorId, at, data from events where type = 'operator_status' order by id",
        )
        .all() as { operatorId: string; at: number; data: string }[];
      return rows.map((r) => ({
        siteId: null,
        conversationId: null,
        operatorId: r.operatorId,
        type: 'operator_status',
        at: r.at,
        data: JSON.parse(r.data),
      }));
    } finally {
      client.close();
    }
  }

  it('a new site given to an online operator is covered from then on; a removed one is closed', async () => {
    const admin = await s.login();
    const ann = await s.createOperator('Ann', 2);
    console_ = await connectOperator(s.wsUrl, s.origin, await s.login(ann.email, ann.password));
    const created = await fetch(`${s.origin}/api/admin/sites`, {
      method: 'POST',
      headers: { cookie: admin, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Blog', operatorIds: [ann.id] }),
    });
    expect(created.status).toBe(201);
    const blog = ((await created.json()) as { site: { id: string } }).site.id;
    const addedAt = Date.now();

    const open = (events: ChatEventRecord[]) =>
      intervalsFromStatusEvents(events).filter((i) => i.operatorId === ann.id && i.to === null);
    let intervals = open(await statusEvents());
    expect(intervals.map((i) => i.siteId).sort()).toEqual([s.site.id, blog].sort());
    const blogInterval = intervals.find((i) => i.siteId === blog)!;
    expect(Math.abs(blogInterval.from - addedAt)).toBeLessThan(2_000);

    // Taking the demo site away closes her interval there; Blog stays covered without a gap.
    const patched = await fetch(`${s.origin}/api/admin/operators/${ann.id}`, {
      method: 'PATCH',
      headers: { cookie: admin, 'content-type': 'application/json' },
      body: JSON.stringify({ siteIds: [blog] }),
    });
    expect(patched.status).toBe(200);
    intervals = open(await statusEvents());
    expect(intervals.map((i) => i.siteId)).toEqual([blog]);
    expect(intervals[0]?.from).toBe(blogInterval.from);
  });
});
