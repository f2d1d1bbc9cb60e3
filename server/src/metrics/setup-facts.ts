import { sqliteClientOf } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/types.js';
import { metricsForStore } from './for-store.js';
import { PostgresMetrics } from './postgres-metrics.js';

/**
 * What the owner's first-run checklist (issue #12.10) reads from the database besides the site and its
 * operators: the newest pages the widget reported from and whether any conversation exists. Read-only
 * queries on the store's own tables, in either dialect (the Store interface has no such query).
 */
export interface SetupFacts {
  /** Newest first, at most `PAGE_SAMPLE`; page URLs as the widget reported them. */
  recentPages: { url: string; at: number }[];
  conversations: number;
}

/** How many recent page views are looked at: enough to find a real page among local test visits. */
export const PAGE_SAMPLE = 200;

export async function setupFacts(store: Store, siteId: string): Promise<SetupFacts | null> {
  const db = sqliteClientOf(store);
  if (db) {
    const recentPages = db
      .prepare(
        `SELECT pv.url AS url, pv.at AS at FROM page_views pv JOIN visitors v ON v.id = pv.visitor_id
         WHERE v.site_id = ? ORDER BY pv.at DESC LIMIT ?`,
      )
      .all(siteId, PAGE_SAMPLE) as { url: string; at: number }[];
    const conversations = db
      .prepare('SELECT count(*) FROM conversations WHERE site_id = ?')
      .pluck()
      .get(siteId) as number;
    return { recentPages, conversations };
  }
  const metrics = metricsForStore(store);
  return metrics instanceof PostgresMetrics ? metrics.setupFacts(siteId, PAGE_SAMPLE) : null;
}

const LOCAL_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|0\.0\.0\.0)$|\.localhost$/i;

/**
 * The newest page on a real website: not on this machine (localhost, 127.x) and not on the Beseda server
 * itself (its demo page), so a test from the owner's laptop does not count as "installed".
 */
export function installedOn(
  pages: readonly { url: string; at: number }[],
  serverHost: string | null,
): { url: string; at: number } | null {
  for (const p of pages) {
    let host: string;
    try {
      host = new URL(p.url).host;
    } catch {
      continue;
    }
    const name = host.replace(/:\d+$/, '');
    if (LOCAL_HOST.test(name)) continue;
    if (serverHost && host.toLowerCase() === serverHost.toLowerCase()) continue;
    return p;
  }
  return null;
}
