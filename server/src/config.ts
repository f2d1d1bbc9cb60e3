import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';

/** Every setting comes from the environment; the defaults run the embedded single-node product. */
export interface Config {
  port: number;
  host: string;
  /** Where the SQLite file lives (ignored when databaseUrl points at PostgreSQL). */
  dataDir: string;
  databaseUrl: string | undefined;
  /** `redis://…`: routing state and fan-out shared with other nodes (needs PostgreSQL: a cluster). */
  redisUrl: string | undefined;
  /** Prefix of every Redis key and channel (one installation per prefix). */
  redisPrefix: string;
  /** This node's id in the cluster (random per process unless set). */
  nodeId: string;
  /** How often a node renews its lease; a node whose lease (nodeLeaseMs) expires is presumed dead. */
  nodeHeartbeatMs: number;
  nodeLeaseMs: number;
  /** Public base URL, used in printed links and for the Secure cookie flag. */
  publicUrl: string | undefined;
  logLevel: string;
  ownerEmail: string;
  ownerPassword: string | undefined;
  /** How often sockets are pinged; a socket that misses one pong is dropped. */
  heartbeatMs: number;
  /** How long an operator whose last console closed stays online (covers a page reload). */
  operatorGraceMs: number;
  sessionTtlMs: number;
  maxConnectionsPerIp: number;
  /** Believe X-Forwarded-For (set when running behind a reverse proxy). */
  trustProxy: boolean;
  /** Frames per second a single socket may send before it gets rate_limited errors. */
  framesPerSecond: number;
  /** Directory with built widget and console (defaults to the workspace's dist folders). */
  widgetDist: string;
  consoleDist: string;
}

const int = (v: string | undefined, d: number): number => {
  if (v === undefined || v === '') return d;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`Expected a number, got "${v}"`);
  return n;
};

const root = resolve(import.meta.dirname, '../..');

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  return {
    port: int(env.PORT, 3000),
    host: env.HOST ?? '127.0.0.1',
    dataDir: resolve(env.DATA_DIR ?? resolve(root, 'data')),
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    redisPrefix: env.REDIS_PREFIX || 'beseda:',
    nodeId: env.NODE_ID || `node-${randomUUID().slice(0, 8)}`,
    nodeHeartbeatMs: int(env.NODE_HEARTBEAT_MS, 1_000),
    nodeLeaseMs: int(env.NODE_LEASE_MS, 4_000),
    publicUrl: env.PUBLIC_URL || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    ownerEmail: env.OWNER_EMAIL ?? 'owner@beseda.local',
    ownerPassword: env.OWNER_PASSWORD || undefined,
    heartbeatMs: int(env.HEARTBEAT_MS, 15_000),
    operatorGraceMs: int(env.OPERATOR_GRACE_MS, 5_000),
    sessionTtlMs: int(env.SESSION_TTL_HOURS, 24 * 14) * 3_600_000,
    maxConnectionsPerIp: int(env.MAX_CONNECTIONS_PER_IP, 200),
    framesPerSecond: int(env.FRAMES_PER_SECOND, 30),
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
    widgetDist: resolve(env.WIDGET_DIST ?? resolve(root, 'widget/dist')),
    consoleDist: resolve(env.CONSOLE_DIST ?? resolve(root, 'console/dist')),
    ...overrides,
  };
}
