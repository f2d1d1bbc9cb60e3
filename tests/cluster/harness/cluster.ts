import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgres, Redis, type RedisClient, type Sql } from './deps.js';
import { freePort, NodeProcess } from './node-process.js';
import { flushPrefix } from './redis-tools.js';
import { PG_ADMIN_URL, REDIS_URL } from './services.js';

export const OWNER_EMAIL = 'owner@test.local';
export const OWNER_PASSWORD = 'owner-password';

export interface ClusterOptions {
  /** How many nodes (n1, n2, …). Default 3. */
  nodes?: number;
  /** `cluster`: PostgreSQL + Redis (default); `sqlite`: the single-node default, no services. */
  mode?: 'cluster' | 'sqlite';
  /** Environment for every node (overrides the harness defaults). */
  env?: Record<string, string>;
  /** Extra environment for one node, by name (`n3`: { BESEDA_TEST_FAULT: … }). */
  nodeEnv?: Record<string, Record<string, string>>;
  /** Extra node flags for every node (the cluster bench loads a measuring preload). */
  execArgv?: string[];
}

export interface OperatorAccount {
  id: string;
  name: string;
  email: string;
  password: string;
  capacity: number;
}

export interface StoredMessage {
  seq: number;
  clientId: string | null;
  author: string;
  operatorId: string | null;
  text: string;
}

const rand = () => randomBytes(5).toString('hex');

/**
 * Several real server processes sharing one fresh PostgreSQL database and one Redis key prefix (each test its
 * own), plus direct connections to both so tests can check what the store and Redis hold. `close()` kills
 * every node, drops the database and deletes the prefix's keys.
 */
export class Cluster {
  readonly nodes: NodeProcess[] = [];
  private cookies = new Map<string, string>();
  private dataDir = '';

  private constructor(
    readonly mode: 'cluster' | 'sqlite',
    readonly dbName: string,
    readonly prefix: string,
    /** The test's database (null in sqlite mode). */
    readonly sql: Sql | null,
    readonly redis: RedisClient | null,
  ) {}

  static async start(opts: ClusterOptions = {}): Promise<Cluster> {
    const mode = opts.mode ?? 'cluster';
    const id = rand();
    const dbName = `beseda_c_${id}`;
    const prefix = `beseda-test-${id}:`;
    let sql: Sql | null = null;
    let redis: RedisClient | null = null;
    if (mode === 'cluster') {
      const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
      try {
        await admin.unsafe(`create database ${dbName}`);
      } finally {
        await admin.end({ timeout: 2 });
      }
      sql = postgres(databaseUrl(dbName), { max: 4, onnotice: () => {} });
      redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
    }
    const cluster = new Cluster(mode, dbName, prefix, sql, redis);
    try {
      await cluster.spawnNodes(opts);
    } catch (err) {
      const e = err as Error;
      e.message = `${e.message}\n${cluster.logs()}`;
      await cluster.close();
      throw e;
    }
    return cluster;
  }

  private async spawnNodes(opts: ClusterOptions) {
    this.dataDir = await mkdtemp(join(tmpdir(), 'beseda-cluster-'));
    const count = opts.nodes ?? 3;
    for (let i = 1; i <= count; i++) {
      const name = `n${i}`;
      const env: Record<string, string> = {
        HOST: '127.0.0.1',
        DATABASE_URL: this.mode === 'cluster' ? databaseUrl(this.dbName) : '',
        REDIS_URL: this.mode === 'cluster' ? REDIS_URL : '',
        REDIS_PREFIX: this.prefix,
        NODE_ID: name,
        OPERATOR_GRACE_MS: '3000',
        NODE_HEARTBEAT_MS: '1000',
        NODE_LEASE_MS: '4000',
        OWNER_EMAIL,
        OWNER_PASSWORD,
        LOG_LEVEL: 'warn',
        DATA_DIR: join(this.dataDir, name),
        // The tests drive bursts (400 messages, 100-message bursts) through single sockets; the per-socket
        // flood limit is a different feature with its own tests.
        FRAMES_PER_SECOND: '2000',
        MAX_CONNECTIONS_PER_IP: '2000',
        NEW_VISITORS_PER_MINUTE_PER_IP: '100000',
        ...opts.env,
        ...opts.nodeEnv?.[name],
      };
      this.nodes.push(new NodeProcess(name, await freePort(), env, opts.execArgv));
    }
    // One after another: the first node creates the schema and the owner, and on a busy 2-core machine
    // starting several tsx processes at once makes each of them slow (Fastify gives a plugin 10 s).
    for (const n of this.nodes) await n.start();
  }

  node(name: string): NodeProcess {
    const n = this.nodes.find((x) => x.name === name);
    if (!n) throw new Error(`no node ${name}`);
    return n;
  }

  /** The first three nodes, typed as a tuple for destructuring. */
  trio(): [NodeProcess, NodeProcess, NodeProcess] {
    return [this.node('n1'), this.node('n2'), this.node('n3')];
  }

  /** Nodes that run and are not paused. */
  alive(): NodeProcess[] {
    return this.nodes.filter((n) => n.running && !n.paused);
  }

  /** A live node other than `except` (round-robin from the one after the first excluded). */
  another(...except: NodeProcess[]): NodeProcess {
    const alive = this.alive().filter((n) => !except.includes(n));
    if (alive.length === 0) throw new Error('no other live node');
    const start = except[0] ? this.nodes.indexOf(except[0]) : 0;
    const ordered = [...this.nodes.slice(start + 1), ...this.nodes.slice(0, start + 1)];
    return ordered.find((n) => alive.includes(n))!;
  }

  logs(lines = 80): string {
    return this.nodes.map((n) => `--- ${n.name} (port ${n.port}) log tail:\n${n.tail(lines)}`).join('\n');
  }

  // ---- REST ----

  async login(node: NodeProcess, email: string, password: string): Promise<string> {
    const res = await fetch(`${node.origin}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: node.origin },
      body: JSON.stringify({ email, password }),
    });
    if (res.status !== 200)
      throw new Error(`login ${email} on ${node.name}: ${res.status} ${await res.text()}`);
    const cookie = res.headers.get('set-cookie');
    if (!cookie) throw new Error('login: no cookie');
    return cookie.split(';')[0]!;
  }

  /** The owner's session cookie (one login per node name, reused). */
  async ownerCookie(node: NodeProcess): Promise<string> {
    const key = node.name;
    let c = this.cookies.get(key);
    if (!c) {
      c = await this.login(node, OWNER_EMAIL, OWNER_PASSWORD);
      this.cookies.set(key, c);
    }
    return c;
  }

  async rest<T = unknown>(
    node: NodeProcess,
    method: string,
    path: string,
    body?: unknown,
    cookie?: string,
  ): Promise<{ status: number; body: T }> {
    const res = await fetch(`${node.origin}${path}`, {
      method,
      headers: {
        origin: node.origin,
        cookie: cookie ?? (await this.ownerCookie(node)),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }

  /** Creates an operator of every site through the admin REST API of `node`. */
  async createOperator(node: NodeProcess, name: string, capacity: number): Promise<OperatorAccount> {
    const email = `${name.toLowerCase()}@test.local`;
    const password = `pw-${name}-secret`;
    const res = await this.rest<{ operator: { id: string } }>(node, 'POST', '/api/admin/operators', {
      email,
      name,
      role: 'operator',
      capacity,
      password,
    });
    if (res.status !== 201)
      throw new Error(`create operator ${name}: ${res.status} ${JSON.stringify(res.body)}`);
    return { id: res.body.operator.id, name, email, password, capacity };
  }

  async patchOperator(node: NodeProcess, id: string, patch: Record<string, unknown>) {
    const res = await this.rest(node, 'PATCH', `/api/admin/operators/${id}`, patch);
    if (res.status !== 200) throw new Error(`patch operator: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** /healthz of every live node, by node name. */
  async health(): Promise<Record<string, Record<string, unknown> | null>> {
    const alive = this.alive();
    const answers = await Promise.all(alive.map((n) => n.health()));
    return Object.fromEntries(alive.map((n, i) => [n.name, answers[i] ?? null]));
  }

  // ---- the store (PostgreSQL is the source of truth) ----

  private db(): Sql {
    if (!this.sql) throw new Error('no PostgreSQL in sqlite mode');
    return this.sql;
  }

  async conversations(): Promise<
    { id: string; visitorId: string; status: string; operatorId: string | null; enqueuedAt: number | null }[]
  > {
    const rows = await this.db()`
      select id, visitor_id, status, operator_id, enqueued_at from conversations order by created_at, id`;
    return rows.map((r) => ({
      id: r.id as string,
      visitorId: r.visitor_id as string,
      status: r.status as string,
      operatorId: (r.operator_id as string | null) ?? null,
      enqueuedAt: r.enqueued_at === null ? null : Number(r.enqueued_at),
    }));
  }

  /** Queued conversations in queue order (original enqueue time, ties by id) with their 1-based position. */
  async queueOrder(): Promise<{ id: string; position: number }[]> {
    const rows = await this.db()`
      select id from conversations where status = 'queued' order by enqueued_at, id`;
    return rows.map((r, i) => ({ id: r.id as string, position: i + 1 }));
  }

  async messages(conversationId: string): Promise<StoredMessage[]> {
    const rows = await this.db()`
      select seq, client_id, author, operator_id, text from messages
      where conversation_id = ${conversationId} order by seq`;
    return rows.map((r) => ({
      seq: r.seq as number,
      clientId: (r.client_id as string | null) ?? null,
      author: r.author as string,
      operatorId: (r.operator_id as string | null) ?? null,
      text: r.text as string,
    }));
  }

  async events(
    type?: string,
  ): Promise<
    { id: number; type: string; conversationId: string | null; operatorId: string | null; data: unknown }[]
  > {
    const rows = type
      ? await this.db()`select id, type, conversation_id, operator_id, data from events where type = ${type} order by id`
      : await this.db()`select id, type, conversation_id, operator_id, data from events order by id`;
    return rows.map((r) => ({
      id: Number(r.id),
      type: r.type as string,
      conversationId: (r.conversation_id as string | null) ?? null,
      operatorId: (r.operator_id as string | null) ?? null,
      data: r.data,
    }));
  }

  /** An operator's presence changes as stored (what coverage is computed from), oldest first. */
  async statusEvents(operatorId: string): Promise<{ at: number; status: string; reason: string }[]> {
    const rows = await this.db()`
      select at, data from events where type = 'operator_status' and operator_id = ${operatorId} order by id`;
    return rows.map((r) => {
      const data = (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, string>;
      return { at: Number(r.at), status: data.status ?? '', reason: data.reason ?? '' };
    });
  }

  /** Active chats per operator id, from the store. */
  async loads(): Promise<Record<string, number>> {
    const rows = await this.db()`
      select operator_id, count(*)::int as n from conversations where status = 'active' group by operator_id`;
    return Object.fromEntries(rows.map((r) => [String(r.operator_id), r.n as number]));
  }

  async close(): Promise<void> {
    // SIGKILL also ends a stopped (paused) process.
    await Promise.allSettled(this.nodes.map((n) => n.kill()));
    if (this.redis) {
      await flushPrefix(this.redis, this.prefix).catch(() => 0);
      this.redis.disconnect();
    }
    if (this.sql) {
      await this.sql.end({ timeout: 2 });
      const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists ${this.dbName} with (force)`).catch(() => {});
      await admin.end({ timeout: 2 });
    }
    if (this.dataDir) await rm(this.dataDir, { recursive: true, force: true });
  }
}

export const databaseUrl = (db: string) => {
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${db}`;
  return u.toString();
};

/**
 * Runs `body` against a fresh cluster and always tears it down. A failure carries the tail of every node's
 * stdout/stderr, since what a node logged is usually the diagnosis.
 */
export async function withCluster(opts: ClusterOptions, body: (c: Cluster) => Promise<void>): Promise<void> {
  const cluster = await Cluster.start(opts);
  try {
    await body(cluster);
  } catch (err) {
    if (err instanceof Error) err.message = `${err.message}\n${cluster.logs()}`;
    throw err;
  } finally {
    await cluster.close();
  }
}
