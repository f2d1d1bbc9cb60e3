import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { OperatorStatus } from '@beseda/shared';
import { Redis } from 'ioredis';
import { type RoutingKeys, routingKeys } from './keys.js';
import {
  type ChatState,
  type OperatorState,
  type QueuedChat,
  type RoutingEffect,
  type RoutingEvent,
  type RoutingOptions,
  type RoutingPort,
  type RoutingRefusal,
  RoutingRefused,
  type RoutingSnapshot,
  type Scope,
} from './port.js';

/**
 * The cluster's routing state: the same decisions as decide.ts, made atomically by Lua scripts in Redis
 * (lua/*.lua: one script per event family with lua/common.lua prepended). Time comes from Redis `TIME`,
 * so the nodes' clocks never matter; every mutating script refuses a node whose lease expired.
 */

const lua = (name: string) => readFileSync(new URL(`./lua/${name}.lua`, import.meta.url), 'utf8');
const COMMON = lua('common');
const SCRIPTS = {
  routingOperators: 'operators',
  routingSessions: 'sessions',
  routingChats: 'chats',
  routingTick: 'tick',
  routingNodes: 'nodes',
  routingRebuild: 'rebuild',
} as const;
type ScriptName = keyof typeof SCRIPTS;

const FAMILY: Record<RoutingEvent['type'], ScriptName> = {
  operator_upsert: 'routingOperators',
  scope_settings: 'routingOperators',
  status: 'routingOperators',
  activity: 'routingOperators',
  session_open: 'routingSessions',
  session_close: 'routingSessions',
  enqueue: 'routingChats',
  leave: 'routingChats',
  pick: 'routingChats',
  transfer: 'routingChats',
  move: 'routingChats',
  answered: 'routingChats',
  confirm: 'routingChats',
  unclaim: 'routingChats',
  tick: 'routingTick',
};

/** How long a rebuild may hold its lock before another node may try (it takes well under a second). */
const REBUILD_LOCK_MS = 30_000;
const RELEASE_LOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export interface RedisRoutingOptions extends RoutingOptions {
  /** An ioredis client (shared, not closed by us) or a URL (we own the connection). */
  redis: Redis | string;
  /** Key prefix of this installation, e.g. `beseda:`; every key lives under `${prefix}{r}:`. */
  prefix: string;
  /**
   * Test only: the time (ms) the scripts use instead of Redis `TIME`, so contract and parity tests are
   * deterministic. Production leaves it unset.
   */
  testNow?: () => number;
}

interface ScriptReply {
  effects?: RoutingEffect[] | Record<string, never>;
  epoch?: string;
  refused?: RoutingRefusal;
  message?: string;
  ok?: boolean;
}

type ScriptFn = (root: string, ...args: string[]) => Promise<string>;

export class RedisRouting implements RoutingPort {
  readonly nodeId: string;
  private readonly redis: Redis;
  private readonly ownsClient: boolean;
  private readonly keys: RoutingKeys;
  /** The epoch this node last saw: tells "reaped" from "the state was rebuilt meanwhile". */
  private epoch = '';
  /**
   * new: not registered yet (the first call joins). lost: a script refused this node's expired lease;
   * every call is refused until `heartbeat()` rejoins.
   */
  private membership: 'new' | 'joined' | 'lost' = 'new';
  private mustReannounce = false;
  /** Effects of reaping this node id's previous life on join; handed out by the next sweep. */
  private leftovers: RoutingEffect[] = [];

  constructor(private readonly opts: RedisRoutingOptions) {
    this.nodeId = opts.nodeId;
    this.ownsClient = typeof opts.redis === 'string';
    this.redis = typeof opts.redis === 'string' ? new Redis(opts.redis) : opts.redis;
    this.keys = routingKeys(opts.prefix);
    for (const [command, file] of Object.entries(SCRIPTS)) {
      if (!(command in this.redis)) {
        this.redis.defineCommand(command, { numberOfKeys: 1, lua: `${COMMON}\n${lua(file)}` });
      }
    }
  }

  private async run(script: ScriptName, payload: unknown): Promise<ScriptReply> {
    const fn = (this.redis as unknown as Record<ScriptName, ScriptFn>)[script];
    const now = this.opts.testNow ? String(this.opts.testNow()) : '';
    const raw = await fn.call(
      this.redis,
      this.keys.root,
      this.nodeId,
      now,
      String(this.opts.graceMs),
      String(this.opts.leaseMs),
      this.epoch,
      JSON.stringify(payload),
    );
    const reply = JSON.parse(raw) as ScriptReply;
    if (reply.refused === 'lease_lost') this.membership = 'lost';
    if (reply.refused) throw new RoutingRefused(reply.refused, reply.message);
    // The epoch under which this node's lease is registered. A rebuild wipes the leases, so its own reply
    // must not count: the rebuilding node re-registers like every other on its next script.
    if (reply.epoch && script !== 'routingRebuild') {
      // A new epoch: the state was rebuilt and this node's sessions are not in it — heartbeat says so.
      if (this.epoch !== '' && reply.epoch !== this.epoch) this.mustReannounce = true;
      this.epoch = reply.epoch;
    }
    return reply;
  }

  /** cjson encodes an empty Lua table as `{}`. */
  private static effects(reply: ScriptReply): RoutingEffect[] {
    return Array.isArray(reply.effects) ? reply.effects : [];
  }

  private async join(): Promise<void> {
    const reply = await this.run('routingNodes', { mode: 'join' });
    this.membership = 'joined';
    this.leftovers.push(...RedisRouting.effects(reply));
  }

  private async ready(): Promise<void> {
    if (this.membership === 'lost') throw new RoutingRefused('lease_lost', `${this.nodeId} lost its lease`);
    if (this.membership === 'new') await this.join();
  }

  async dispatch(event: RoutingEvent): Promise<RoutingEffect[]> {
    await this.ready();
    return RedisRouting.effects(await this.run(FAMILY[event.type], event));
  }

  async heartbeat(): Promise<boolean> {
    if (this.membership === 'new') {
      await this.join();
      return true;
    }
    if (this.membership === 'joined' && (await this.run('routingNodes', { mode: 'renew' })).ok) {
      const rebuilt = this.mustReannounce;
      this.mustReannounce = false;
      return !rebuilt;
    }
    // The lease had expired (found now, or by a refused script): rejoin at once — the join reaps what this
    // node id still held, if no sweep did — and say so, so that the shell re-announces its live sessions.
    await this.join();
    this.mustReannounce = false;
    return false;
  }

  async sweep(): Promise<RoutingEffect[]> {
    await this.ready();
    const effects = RedisRouting.effects(await this.run('routingNodes', { mode: 'sweep' }));
    const leftovers = this.leftovers.splice(0);
    return [...leftovers, ...effects];
  }

  async leave(): Promise<RoutingEffect[]> {
    if (this.membership !== 'joined') return [];
    this.membership = 'new';
    return RedisRouting.effects(await this.run('routingNodes', { mode: 'leave' }));
  }

  async isComplete(): Promise<boolean> {
    return (await this.redis.exists(this.keys.epoch)) === 1;
  }

  async rebuild(snapshot: RoutingSnapshot, graceMs: number): Promise<boolean> {
    const token = randomUUID();
    const locked = await this.redis.set(this.keys.rebuild, token, 'PX', REBUILD_LOCK_MS, 'NX');
    if (locked !== 'OK') return false;
    try {
      const reply = await this.run('routingRebuild', { token, epoch: randomUUID(), graceMs, snapshot });
      return reply.ok === true;
    } catch (err) {
      // Let another node (or a retry) rebuild at once rather than after the lock's expiry.
      await this.redis.eval(RELEASE_LOCK, 1, this.keys.rebuild, token).catch(() => undefined);
      throw err;
    }
  }

  async nextDeadline(): Promise<number | null> {
    const top = await this.redis.zrange(this.keys.timers, 0, 0, 'WITHSCORES');
    return top[1] === undefined ? null : Number(top[1]);
  }

  async queue(scope: Scope): Promise<QueuedChat[]> {
    const flat = await this.redis.zrange(this.keys.queue(scope), 0, -1, 'WITHSCORES');
    const out: QueuedChat[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      out.push({ conversationId: flat[i]!, scope, enqueuedAt: Number(flat[i + 1]) });
    }
    return out;
  }

  async operators(scopes?: readonly Scope[]): Promise<OperatorState[]> {
    const ids = scopes
      ? scopes.length === 0
        ? []
        : await this.redis.sunion(...scopes.map((s) => this.keys.scopeOperators(s)))
      : await this.redis.smembers(this.keys.operators);
    const pipe = this.redis.pipeline();
    const sorted = [...ids].sort();
    for (const id of sorted) pipe.hgetall(this.keys.operator(id));
    const rows = (await pipe.exec()) ?? [];
    return rows.flatMap(([, row], i) => {
      const op = toOperator(sorted[i]!, row as Record<string, string>);
      return op ? [op] : [];
    });
  }

  async operator(id: string): Promise<OperatorState | null> {
    return toOperator(id, await this.redis.hgetall(this.keys.operator(id)));
  }

  async chat(conversationId: string): Promise<ChatState | null> {
    const h = await this.redis.hgetall(this.keys.chat(conversationId));
    if (!h.scope) return null;
    return {
      conversationId,
      scope: h.scope,
      status: h.status as ChatState['status'],
      operatorId: h.op || null,
      enqueuedAt: Number(h.at),
      rev: Number(h.rev),
      ringUntil: h.ring ? Number(h.ring) : null,
      pending: h.pending === '1',
    };
  }

  async close(): Promise<void> {
    if (this.ownsClient) this.redis.disconnect();
  }
}

function toOperator(id: string, h: Record<string, string>): OperatorState | null {
  if (!h.status) return null;
  const scopes = JSON.parse(h.scopes ?? '[]') as unknown;
  return {
    id,
    scopes: Array.isArray(scopes) ? (scopes as string[]) : [],
    capacity: Number(h.capacity),
    chosen: h.chosen as OperatorStatus,
    active: h.active === '1',
    status: h.status as OperatorStatus,
    load: Number(h.load),
    idleSince: Number(h.idle),
    connections: Number(h.conns),
    graceUntil: h.grace ? Number(h.grace) : null,
    awayAt: h.aaway ? Number(h.aaway) : null,
    autoAway: h.auto === '1',
  };
}
