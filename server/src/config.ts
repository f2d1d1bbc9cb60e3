import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Type as T, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

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
  /** Single node: how often it records that it is alive, so a crash counts at most this long as covered. */
  presenceHeartbeatMs: number;
  sessionTtlMs: number;
  /** Sign-in attempts a minute from one address (an office behind one NAT may need more). */
  loginAttemptsPerMinute: number;
  maxConnectionsPerIp: number;
  /** Believe X-Forwarded-For (set when running behind a reverse proxy). */
  trustProxy: boolean;
  /** Frames per second a single socket may send before it gets rate_limited errors. */
  framesPerSecond: number;
  /** Directory with built widget and console (defaults to the workspace's dist folders). */
  widgetDist: string;
  consoleDist: string;
  /** When set, GET /metrics needs `Authorization: Bearer <metricsToken>`. */
  metricsToken: string | undefined;
  /** On SIGTERM: how long /readyz answers 503 before sockets close (lets load balancers notice). */
  drainDelayMs: number;
  /** New visitor sessions one client address may open per minute (resumes of known visitors are free). */
  newVisitorsPerMinutePerIp: number;
}

/** All problems of one configuration, one human line each (server.ts prints them and exits non-zero). */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Kind = 'int' | 'string' | 'bool' | 'path';

/** One environment variable: its schema, default, meaning (the README table is checked against these). */
export interface EnvVar {
  key: keyof Config;
  kind: Kind;
  schema: TSchema;
  /** Shown in the README; `undefined` = unset. */
  defaultDoc: string;
  doc: string;
  secret?: boolean;
  /** env value → config value (after validation); defaults to identity. */
  toConfig?: (v: number) => number;
  fromConfig?: (v: number) => number;
}

const root = resolve(import.meta.dirname, '../..');
const ms = (min: number, max: number) => T.Integer({ minimum: min, maximum: max });
const URL_OF = (schemes: string) => T.String({ pattern: `^(${schemes})://[^\\s]+$` });
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** The one schema: env var name → how to read, check and document it. Order = README order. */
export const ENV: Record<string, EnvVar> = {
  PORT: { key: 'port', kind: 'int', schema: ms(0, 65_535), defaultDoc: '3000', doc: 'HTTP + WebSocket port' },
  HOST: {
    key: 'host',
    kind: 'string',
    schema: T.String({ minLength: 1 }),
    defaultDoc: '127.0.0.1',
    doc: 'interface to listen on (`0.0.0.0` to expose it)',
  },
  DATA_DIR: {
    key: 'dataDir',
    kind: 'path',
    schema: T.String({ minLength: 1 }),
    defaultDoc: './data',
    doc: 'where the SQLite database (`beseda.db`, WAL mode) lives',
  },
  DATABASE_URL: {
    key: 'databaseUrl',
    kind: 'string',
    schema: URL_OF('postgres|postgresql'),
    defaultDoc: '—',
    doc: '`postgres://…` to use PostgreSQL instead of SQLite (required for a cluster)',
    secret: true,
  },
  REDIS_URL: {
    key: 'redisUrl',
    kind: 'string',
    schema: URL_OF('redis|rediss'),
    defaultDoc: '—',
    doc: '`redis://…`: join a cluster (shared routing state and fan-out); needs a PostgreSQL `DATABASE_URL`',
    secret: true,
  },
  REDIS_PREFIX: {
    key: 'redisPrefix',
    kind: 'string',
    schema: T.String({ minLength: 1, maxLength: 64, pattern: '^[^\\s{}]+$' }),
    defaultDoc: 'beseda:',
    doc: 'prefix of every Redis key and channel (one installation per prefix)',
  },
  NODE_ID: {
    key: 'nodeId',
    kind: 'string',
    schema: T.String({ pattern: '^[A-Za-z0-9._-]{1,64}$' }),
    defaultDoc: 'random',
    doc: "this node's name in the cluster (metrics, logs)",
  },
  NODE_HEARTBEAT_MS: {
    key: 'nodeHeartbeatMs',
    kind: 'int',
    schema: ms(100, 60_000),
    defaultDoc: '1000',
    doc: 'how often a cluster node renews its lease',
  },
  NODE_LEASE_MS: {
    key: 'nodeLeaseMs',
    kind: 'int',
    schema: ms(300, 600_000),
    defaultDoc: '4000',
    doc: 'a node whose lease is this old is presumed dead (at least 2 × `NODE_HEARTBEAT_MS`)',
  },
  PUBLIC_URL: {
    key: 'publicUrl',
    kind: 'string',
    schema: URL_OF('http|https'),
    defaultDoc: '—',
    doc: 'public base URL (printed links; `https:` turns on Secure cookies)',
  },
  OWNER_EMAIL: {
    key: 'ownerEmail',
    kind: 'string',
    schema: T.String({ pattern: '^[^@\\s]+@[^@\\s]+$' }),
    defaultDoc: 'owner@beseda.local',
    doc: 'the owner account created on first start',
  },
  OWNER_PASSWORD: {
    key: 'ownerPassword',
    kind: 'string',
    schema: T.String({ minLength: 8 }),
    defaultDoc: 'generated',
    doc: 'its password on first start (at least 8 characters)',
    secret: true,
  },
  LOG_LEVEL: {
    key: 'logLevel',
    kind: 'string',
    schema: T.Union(LOG_LEVELS.map((l) => T.Literal(l))),
    defaultDoc: 'info',
    doc: `pino log level (${LOG_LEVELS.join(', ')})`,
  },
  HEARTBEAT_MS: {
    key: 'heartbeatMs',
    kind: 'int',
    schema: ms(1_000, 600_000),
    defaultDoc: '15000',
    doc: 'WebSocket ping interval; a socket missing one pong is dropped',
  },
  OPERATOR_GRACE_MS: {
    key: 'operatorGraceMs',
    kind: 'int',
    schema: ms(0, 3_600_000),
    defaultDoc: '5000',
    doc: 'how long an operator whose last console closed stays online (a reload)',
  },
  PRESENCE_HEARTBEAT_MS: {
    key: 'presenceHeartbeatMs',
    kind: 'int',
    schema: ms(100, 600_000),
    defaultDoc: '15000',
    doc: 'single node: how often it records being alive; a crash counts at most this long as covered',
  },
  SESSION_TTL_HOURS: {
    key: 'sessionTtlMs',
    kind: 'int',
    schema: ms(1, 24 * 366),
    defaultDoc: '336',
    doc: 'console session lifetime',
    toConfig: (h) => h * 3_600_000,
    fromConfig: (v) => v / 3_600_000,
  },
  LOGIN_ATTEMPTS_PER_MINUTE: {
    key: 'loginAttemptsPerMinute',
    kind: 'int',
    schema: ms(1, 100_000),
    defaultDoc: '10',
    doc: 'console sign-in attempts a minute per client address (failed ones also back off per account)',
  },
  MAX_CONNECTIONS_PER_IP: {
    key: 'maxConnectionsPerIp',
    kind: 'int',
    schema: ms(1, 1_000_000),
    defaultDoc: '200',
    doc: 'concurrent visitor sockets per client address',
  },
  FRAMES_PER_SECOND: {
    key: 'framesPerSecond',
    kind: 'int',
    // The benchmark lifts the limit to 1,000,000.
    schema: ms(1, 1_000_000),
    defaultDoc: '30',
    doc: 'frames one socket may send per second (bursts of twice that)',
  },
  TRUST_PROXY: {
    key: 'trustProxy',
    kind: 'bool',
    schema: T.Boolean(),
    defaultDoc: 'off',
    doc: '`1` to believe `X-Forwarded-For` (only behind a reverse proxy; per-IP limits use it)',
  },
  METRICS_TOKEN: {
    key: 'metricsToken',
    kind: 'string',
    schema: T.String({ minLength: 16 }),
    defaultDoc: '—',
    doc: '`GET /metrics` then needs `Authorization: Bearer <token>` (at least 16 characters)',
    secret: true,
  },
  DRAIN_DELAY_MS: {
    key: 'drainDelayMs',
    kind: 'int',
    schema: ms(0, 120_000),
    defaultDoc: '0',
    doc: "on SIGTERM, `/readyz` answers 503 this long before sockets close (set above the balancer's probe interval)",
  },
  WIDGET_DIST: {
    key: 'widgetDist',
    kind: 'path',
    schema: T.String({ minLength: 1 }),
    defaultDoc: 'widget/dist',
    doc: 'built widget to serve',
  },
  CONSOLE_DIST: {
    key: 'consoleDist',
    kind: 'path',
    schema: T.String({ minLength: 1 }),
    defaultDoc: 'console/dist',
    doc: 'built console to serve',
  },
  NEW_VISITORS_PER_MINUTE_PER_IP: {
    key: 'newVisitorsPerMinutePerIp',
    kind: 'int',
    schema: ms(1, 1_000_000),
    defaultDoc: '300',
    doc: 'new visitor sessions per minute per client address (beyond: 429 `rate_limited`; returning visitors are not counted)',
  },
};

const DEFAULTS = (): Config => ({
  port: 3000,
  host: '127.0.0.1',
  dataDir: resolve(root, 'data'),
  databaseUrl: undefined,
  redisUrl: undefined,
  redisPrefix: 'beseda:',
  nodeId: `node-${randomUUID().slice(0, 8)}`,
  nodeHeartbeatMs: 1_000,
  nodeLeaseMs: 4_000,
  publicUrl: undefined,
  logLevel: 'info',
  ownerEmail: 'owner@beseda.local',
  ownerPassword: undefined,
  heartbeatMs: 15_000,
  operatorGraceMs: 5_000,
  presenceHeartbeatMs: 15_000,
  loginAttemptsPerMinute: 10,
  sessionTtlMs: 336 * 3_600_000,
  maxConnectionsPerIp: 200,
  framesPerSecond: 30,
  trustProxy: false,
  widgetDist: resolve(root, 'widget/dist'),
  consoleDist: resolve(root, 'console/dist'),
  metricsToken: undefined,
  drainDelayMs: 0,
  newVisitorsPerMinutePerIp: 300,
});

const BOOL: Record<string, boolean> = {
  '1': true,
  true: true,
  yes: true,
  on: true,
  '0': false,
  false: false,
  no: false,
  off: false,
};

function readVar(name: string, spec: EnvVar, raw: string): { value?: unknown; problem?: string } {
  const shown = spec.secret ? '(secret)' : JSON.stringify(raw);
  let value: unknown = raw;
  if (spec.kind === 'int') {
    value = /^-?\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
    if (Number.isNaN(value)) return { problem: `${name}=${shown}: expected a whole number` };
  } else if (spec.kind === 'bool') {
    value = BOOL[raw.trim().toLowerCase()];
    if (value === undefined)
      return { problem: `${name}=${shown}: expected 1/0, true/false, yes/no or on/off` };
  } else if (spec.kind === 'path') {
    value = resolve(raw);
  }
  const first = Value.Errors(spec.schema, value).First();
  if (!first) return { value };
  return { problem: `${name}=${shown}: ${describe(spec, first.message)}` };
}

function describe(spec: EnvVar, fallback: string): string {
  const s = spec.schema as { minimum?: number; maximum?: number; minLength?: number; pattern?: string };
  if (spec.kind === 'int') return `expected a whole number from ${s.minimum} to ${s.maximum}`;
  if (spec.key === 'logLevel') return `expected one of ${LOG_LEVELS.join(', ')}`;
  if (s.pattern?.includes('://'))
    return `expected a ${s.pattern.slice(2, s.pattern.indexOf(')')).split('|').join(':// or ')}:// URL`;
  if (s.minLength && s.minLength > 1) return `must be at least ${s.minLength} characters`;
  if (spec.key === 'ownerEmail') return 'expected an email address';
  return fallback.toLowerCase();
}

/** Problems that only a combination of settings has (a single variable cannot know them). */
function crossChecks(c: Config): string[] {
  const problems: string[] = [];
  if (c.redisUrl && !/^postgres(ql)?:\/\//i.test(c.databaseUrl ?? ''))
    problems.push(
      'REDIS_URL is set but DATABASE_URL is not a postgres:// URL: cluster nodes must share one PostgreSQL database (a SQLite file is local to one node)',
    );
  if (c.nodeLeaseMs < 2 * c.nodeHeartbeatMs)
    problems.push(
      `NODE_LEASE_MS=${c.nodeLeaseMs} must be at least 2 × NODE_HEARTBEAT_MS (${2 * c.nodeHeartbeatMs}), or one late heartbeat declares a live node dead`,
    );
  return problems;
}

/**
 * Reads and validates the environment. Every problem is collected (not just the first) and thrown as one
 * ConfigError. `overrides` (tests) replace env values before the combination checks.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const config = DEFAULTS() as unknown as Record<string, unknown>;
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(ENV)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const { value, problem } = readVar(name, spec, raw);
    if (problem) problems.push(problem);
    else config[spec.key] = spec.toConfig ? spec.toConfig(value as number) : value;
  }
  const merged = { ...(config as unknown as Config), ...overrides };
  problems.push(...crossChecks(merged));
  if (problems.length > 0) throw new ConfigError(problems);
  return merged;
}

/** `user:password@` in a URL becomes `user:***@`; other secrets become `***`. */
export function maskSecret(value: string): string {
  try {
    const url = new URL(value);
    if (!url.password) return value;
    url.password = '***';
    return url.toString();
  } catch {
    return '***';
  }
}

/** The effective configuration as `NAME=value` lines, secrets masked (`--print-config`). */
export function printableConfig(config: Config, env: NodeJS.ProcessEnv = process.env): string {
  return Object.entries(ENV)
    .map(([name, spec]) => {
      const v = config[spec.key];
      let shown = v === undefined ? '' : String(spec.fromConfig ? spec.fromConfig(v as number) : v);
      if (spec.secret && v !== undefined) shown = spec.key.endsWith('Url') ? maskSecret(shown) : '***';
      const origin = env[name] ? '' : '  # default';
      return `${name}=${shown}${origin}`;
    })
    .join('\n');
}
