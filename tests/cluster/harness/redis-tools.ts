import { readdir, readFile, readlink } from 'node:fs/promises';
import type { RedisClient } from './deps.js';

/**
 * Redis is shared by everyone on this machine, so "FLUSHALL" and "CLIENT KILL TYPE pubsub" are aimed at
 * this test's own cluster only: every key under its prefix, every pub/sub connection its node processes own.
 * For the nodes that is the same event (they keep all state under the prefix and see only their own
 * connections), without breaking other tests running at the same time.
 */

/** Deletes every key under `prefix` (what FLUSHALL would do to this cluster). Returns how many. */
export async function flushPrefix(redis: RedisClient, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${globEscape(prefix)}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

export async function keysUnder(redis: RedisClient, prefix: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${globEscape(prefix)}*`, 'COUNT', 1000);
    cursor = next;
    out.push(...keys);
  } while (cursor !== '0');
  return out.sort();
}

const globEscape = (s: string) => s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);

/** Local TCP ports of `pid`'s connections to `remotePort` (read from /proc: socket inodes → tcp table). */
export async function localPortsTo(pid: number, remotePort: number): Promise<Set<number>> {
  const inodes = new Set<string>();
  for (const fd of await readdir(`/proc/${pid}/fd`).catch(() => [] as string[])) {
    const link = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const m = /^socket:\[(\d+)\]$/.exec(link);
    if (m) inodes.add(m[1]!);
  }
  const ports = new Set<number>();
  for (const table of ['tcp', 'tcp6']) {
    const text = await readFile(`/proc/${pid}/net/${table}`, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10) continue;
      const local = cols[1]!;
      const remote = cols[2]!;
      if (Number.parseInt(remote.split(':')[1]!, 16) !== remotePort) continue;
      if (inodes.has(cols[9]!)) ports.add(Number.parseInt(local.split(':')[1]!, 16));
    }
  }
  return ports;
}

export interface RedisClientInfo {
  id: string;
  addr: string;
  name: string;
  sub: number;
  psub: number;
  flags: string;
}

export async function clientList(redis: RedisClient, type?: 'pubsub' | 'normal'): Promise<RedisClientInfo[]> {
  const raw = String(await redis.call('CLIENT', 'LIST', ...(type ? ['TYPE', type] : [])));
  return raw
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const f = Object.fromEntries(line.split(' ').map((kv) => kv.split('=', 2) as [string, string]));
      return {
        id: f.id ?? '',
        addr: f.addr ?? '',
        name: f.name ?? '',
        sub: Number(f.sub ?? 0),
        psub: Number(f.psub ?? 0),
        flags: f.flags ?? '',
      };
    });
}

/** The pub/sub connections (TYPE pubsub) owned by these processes. */
export async function pubsubClientsOf(redis: RedisClient, pids: number[], redisPort = 6379) {
  const ports = new Set<number>();
  for (const pid of pids) for (const p of await localPortsTo(pid, redisPort)) ports.add(p);
  return (await clientList(redis, 'pubsub')).filter((c) => ports.has(Number(c.addr.split(':').pop())));
}

/** `CLIENT KILL TYPE pubsub`, limited to these processes' connections. Returns how many were killed. */
export async function killPubsubOf(redis: RedisClient, pids: number[], redisPort = 6379): Promise<number> {
  let killed = 0;
  for (const c of await pubsubClientsOf(redis, pids, redisPort)) {
    killed += Number(await redis.client('KILL', 'ID', c.id));
  }
  return killed;
}
