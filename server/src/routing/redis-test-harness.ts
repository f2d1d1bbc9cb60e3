import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { CONTRACT_GRACE_MS, CONTRACT_LEASE_MS, type RoutingHarness } from './contract.js';
import type { RoutingEffect, RoutingPort } from './port.js';
import { RedisRouting } from './redis-routing.js';

/** Test support for RedisRouting: reachability probe, test clock, unique prefixes and key clean-up. */

export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export async function redisReachable(): Promise<boolean> {
  const probe = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1000,
  });
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  const match = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
}

const EMPTY = { operators: [], chats: [], settings: {} };

/**
 * Two RedisRouting nodes on one fresh prefix, each with its own connection (so they really race), on a test
 * clock passed to the scripts. `advance` walks time in steps no longer than half a lease, renewing leases
 * and firing each deadline at its own time, as a shell with a timer and a heartbeat loop would.
 */
export async function redisHarness(): Promise<RoutingHarness & { clients: Redis[] }> {
  let t = 1_000_000;
  const clients = [new Redis(redisUrl), new Redis(redisUrl)];
  const prefixes: string[] = [];
  const extra: RoutingPort[] = [];
  const make = (nodeId: string, client: Redis, prefix: string) =>
    new RedisRouting({
      redis: client,
      prefix,
      nodeId,
      graceMs: CONTRACT_GRACE_MS,
      leaseMs: CONTRACT_LEASE_MS,
      testNow: () => t,
    });
  const prefix = `beseda-test:${randomUUID()}:`;
  prefixes.push(prefix);
  const n1 = make('n1', clients[0]!, prefix);
  const n2 = make('n2', clients[1]!, prefix);
  await n1.rebuild(EMPTY, CONTRACT_GRACE_MS);
  return {
    clients,
    nodes: [n1, n2],
    now: () => t,
    leases: true,
    async advance(ms, opts) {
      const alive = opts?.heartbeat ?? [n1, n2, ...extra];
      const end = t + ms;
      const out: RoutingEffect[] = [];
      while (t < end) {
        const deadline = await n1.nextDeadline();
        t = Math.min(end, t + CONTRACT_LEASE_MS / 2, deadline !== null && deadline > t ? deadline : end);
        for (const node of alive) await node.heartbeat();
        if (alive.includes(n1)) out.push(...(await n1.dispatch({ type: 'tick' })));
      }
      return out;
    },
    async fresh() {
      const p = `beseda-test:${randomUUID()}:`;
      prefixes.push(p);
      const node = make('n3', clients[0]!, p);
      extra.push(node);
      return node;
    },
    async close() {
      for (const p of prefixes) await deleteKeys(clients[0]!, p);
      for (const c of clients) c.disconnect();
    },
  };
}
