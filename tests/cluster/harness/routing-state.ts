import { routingKeys } from '../../../server/src/routing/keys.js';
import type { Cluster } from './cluster.js';

/**
 * The routing state as Redis holds it (read with the server's own key helper), so tests can check that
 * Redis and PostgreSQL agree: loads per operator and the queue of a scope (the site) in position order.
 */
export async function redisRouting(c: Cluster, siteId: string) {
  const redis = c.redis;
  if (!redis) throw new Error('no Redis in sqlite mode');
  const k = routingKeys(c.prefix);
  const ids = await redis.smembers(k.operators);
  const loads: Record<string, number> = {};
  const status: Record<string, string> = {};
  for (const id of ids) {
    const [load, st] = await redis.hmget(k.operator(id), 'load', 'status');
    if (Number(load) > 0) loads[id] = Number(load);
    status[id] = st ?? '';
  }
  const flat = await redis.zrange(k.queue(siteId), 0, -1, 'WITHSCORES');
  const queue: { id: string; at: number }[] = [];
  for (let i = 0; i < flat.length; i += 2) queue.push({ id: flat[i]!, at: Number(flat[i + 1]) });
  return { loads, status, queue: queue.map((q) => q.id), epoch: await redis.get(k.epoch) };
}

/** The demo site's id (the routing scope of every test chat). */
export async function demoSiteId(c: Cluster): Promise<string> {
  if (!c.sql) throw new Error('no PostgreSQL in sqlite mode');
  const [row] = await c.sql`select id from sites where key = 'demo'`;
  return row!.id as string;
}
