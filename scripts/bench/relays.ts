import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchArgs } from './args.js';
import { checkStored, OWNER_EMAIL, OWNER_PASSWORD, type StoredCheck, seedBeseda } from './beseda-store.js';
import { ROOT, type ServerChild, spawnServer, UNLIMITED } from './children.js';
import { type IdleResult, idleSockets } from './idle.js';
import type { Ledger } from './ledger.js';
import { closedLoop, openLoop, type PhaseResult } from './load.js';
import { besedaPairs } from './pairs-beseda.js';
import { rawPairs } from './pairs-raw.js';
import { checkWithOfficialClient, socketIoPairs } from './pairs-socketio.js';
import { RemoteProfiler } from './remote-profiler.js';
import { clientIdOf } from './wire.js';

export interface RelayResult {
  name: string;
  pairsWanted: number;
  pairsUp: number;
  setupSeconds: number;
  setupNote: string | null;
  loadNote: string | null;
  latency: PhaseResult | null;
  throughput: PhaseResult | null;
  errors: { count: number; first: string | null };
  stored: StoredCheck | null;
  loginOk: boolean | null;
}

/** How a relay child is started beyond the bench flags: under a wrapper (callgrind) and how patiently. */
export interface StartOptions {
  wrapper?: readonly string[];
  startTimeoutMs?: number;
}

/** The two baselines: forwarding relays with nothing parsed (raw ws) or only what Socket.IO parses. */
export type Baseline = 'raw' | 'socketio';

const BASELINE_ENTRY: Record<Baseline, string> = {
  raw: 'scripts/bench/raw-relay.ts',
  socketio: 'scripts/bench/socketio-relay.ts',
};

export const startBaseline = (
  kind: Baseline,
  args: Pick<BenchArgs, 'cpuProf'>,
  tag: string,
  start: StartOptions = {},
) =>
  spawnServer({
    name: `${kind}-${tag}`,
    entry: BASELINE_ENTRY[kind],
    env: { PORT: '0' },
    portFrom: (l) => Number(/^LISTENING (\d+)/.exec(l)?.[1] ?? Number.NaN) || null,
    cpuProfDir: args.cpuProf,
    ...start,
  });

export const startBeseda = (
  args: Pick<BenchArgs, 'cpuProf' | 'serverRoot'>,
  tag: string,
  dataDir: string,
  start: StartOptions = {},
) =>
  spawnServer({
    name: `beseda-${tag}`,
    entry: 'server/src/server.ts',
    cwd: serverRoot(args),
    env: {
      // Another checkout has no built UI of its own; the server only needs the folders to exist.
      WIDGET_DIST: join(ROOT, 'widget/dist'),
      CONSOLE_DIST: join(ROOT, 'console/dist'),
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      OWNER_EMAIL,
      OWNER_PASSWORD,
      LOG_LEVEL: 'warn',
      ...UNLIMITED,
    },
    portFrom: (l) => Number(/running at https?:\/\/[^:]+:(\d+)/.exec(l)?.[1] ?? Number.NaN) || null,
    cpuProfDir: args.cpuProf,
    startTimeoutMs: 60_000,
    ...start,
  });

export const serverRoot = (args: Pick<BenchArgs, 'serverRoot'>) => args.serverRoot ?? ROOT;

/** Runs `fn` under the child's V8 profiler when --cpu-prof was given: one profile file per label. */
async function profiled<T>(
  server: ServerChild,
  args: BenchArgs,
  label: string,
  fn: () => Promise<T>,
): Promise<T> {
  if (!args.cpuProf || !server.inspectorUrl) return fn();
  const profiler = await RemoteProfiler.attach(server.inspectorUrl);
  try {
    await profiler.start();
    const out = await fn();
    await profiler.stopTo(join(args.cpuProf, `${server.name}-${label}.cpuprofile`));
    return out;
  } finally {
    profiler.close();
  }
}

function note(
  wanted: number,
  up: number,
  timedOut: boolean,
  firstError: string | null,
  timeoutS: number,
): string | null {
  if (up >= wanted) return null;
  const why = timedOut ? `setup stopped at the ${timeoutS} s limit` : 'setup failed';
  return `${why}: ${up} of ${wanted} pairs up${firstError ? ` (first error: ${firstError})` : ''}`;
}

/**
 * Closed loop first: it drains by itself (only `inflight` per pair outstanding), whereas an open loop
 * above the server's capacity leaves a backlog that would spoil whatever ran after it.
 */
async function drive(
  set: Parameters<typeof openLoop>[0],
  server: ServerChild,
  args: BenchArgs,
): Promise<{ latency: PhaseResult | null; throughput: PhaseResult | null; note: string | null }> {
  if (set.size === 0) return { latency: null, throughput: null, note: null };
  console.log(`  ${set.name}: closed loop, ${args.inflight} in flight per pair, ${args.throughputSeconds} s`);
  const throughput = await closedLoop(set, server.pid, args.inflight, args.throughputSeconds);
  if (throughput.delivered < throughput.sent) {
    const note = `${throughput.sent - throughput.delivered} closed-loop messages still undelivered 30 s after the window; open loop skipped`;
    return { latency: null, throughput, note };
  }
  console.log(`  ${set.name}: open loop, ${args.rate} msg/s for ${args.seconds} s over ${set.size} pairs`);
  const latency = await openLoop(set, server.pid, args.rate, args.seconds);
  const note =
    latency.delivered < latency.sent
      ? `${latency.sent - latency.delivered} open-loop messages still undelivered 30 s after the last send (server below the offered rate)`
      : null;
  return { latency, throughput, note };
}

/** Opens `n` pairs on a baseline relay (each kind has its own source-address range). */
export function baselinePairs(kind: Baseline, server: ServerChild, n: number, timeoutS: number) {
  return kind === 'raw' ? rawPairs(server, n, timeoutS, 1) : socketIoPairs(server, n, timeoutS, 3);
}

export async function benchBaseline(kind: Baseline, args: BenchArgs): Promise<RelayResult> {
  const server = await startBaseline(kind, args, 'pairs');
  try {
    if (kind === 'socketio') await checkWithOfficialClient(server.port);
    console.log(`  ${kind === 'raw' ? 'raw ws' : 'Socket.IO'} relay: opening ${args.pairs} pairs`);
    const est = await baselinePairs(kind, server, args.pairs, args.setupTimeoutSeconds);
    const {
      latency,
      throughput,
      note: loadNote,
    } = await profiled(server, args, 'load', () => drive(est.set, server, args));
    const errors = est.set.errors;
    est.set.close();
    return {
      name: est.set.name,
      pairsWanted: args.pairs,
      pairsUp: est.set.size,
      setupSeconds: est.setupSeconds,
      setupNote: note(args.pairs, est.set.size, est.timedOut, est.firstError, args.setupTimeoutSeconds),
      loadNote,
      latency,
      throughput,
      errors,
      stored: null,
      loginOk: null,
    };
  } finally {
    await server.stop();
  }
}

/** clientIds of every message a ledger sent, and of those the server acked (= committed). */
function idsOf(ledgers: readonly (Ledger | undefined)[]): { sent: Set<string>; acked: Set<string> } {
  const sent = new Set<string>();
  const acked = new Set<string>();
  for (const l of ledgers) {
    if (!l) continue;
    for (let i = 0; i < l.sent; i++) {
      const id = clientIdOf(l.phase, i, l.pairOf[i]!);
      sent.add(id);
      if (l.acked[i]) acked.add(id);
    }
  }
  return { sent, acked };
}

async function login(origin: string): Promise<boolean> {
  const res = await fetch(`${origin}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ email: OWNER_EMAIL, password: OWNER_PASSWORD }),
  });
  return res.status === 200 && (res.headers.get('set-cookie') ?? '').includes('beseda_session=');
}

export async function benchBeseda(args: BenchArgs): Promise<RelayResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'beseda-bench-'));
  try {
    const operators = Math.ceil(args.pairs / args.capacity);
    console.log(`  Beseda: seeding ${operators} operators (capacity ${args.capacity}) in ${dataDir}`);
    const cookies = await seedBeseda(serverRoot(args), dataDir, operators, args.capacity);
    const server = await startBeseda(args, 'pairs', dataDir);
    let stopped = false;
    try {
      const loginOk = await login(server.origin);
      console.log(`  Beseda: connecting ${operators} operators, then ${args.pairs} visitors`);
      const est = await profiled(server, args, 'setup', () =>
        besedaPairs(server, cookies, args.pairs, args.setupTimeoutSeconds, 2),
      );
      console.log(
        `  Beseda: ${est.operatorsUp} operators up in ${est.operatorSeconds.toFixed(1)} s, ${est.set.size} pairs up in ${est.setupSeconds.toFixed(1)} s`,
      );
      const {
        latency,
        throughput,
        note: loadNote,
      } = await profiled(server, args, 'load', () => drive(est.set, server, args));
      const errors = est.set.errors;
      est.set.close();
      // SIGTERM makes the server drain and flush its group commit before exiting; then read the file.
      await server.stop(30_000);
      stopped = true;
      const ids = idsOf([latency?.ledger, throughput?.ledger]);
      for (const id of est.firstClientIds) {
        ids.sent.add(id);
        ids.acked.add(id);
      }
      const stored = await checkStored(serverRoot(args), dataDir, est.conversationIds, ids.sent, ids.acked);
      return {
        name: est.set.name,
        pairsWanted: args.pairs,
        pairsUp: est.set.size,
        setupSeconds: est.setupSeconds,
        setupNote: note(args.pairs, est.set.size, est.timedOut, est.firstError, args.setupTimeoutSeconds),
        loadNote,
        latency,
        throughput,
        errors,
        stored: { ...stored, sentTotal: ids.sent.size, ackedTotal: ids.acked.size },
        loginOk,
      };
    } finally {
      if (!stopped) await server.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function idleBaseline(kind: Baseline, args: BenchArgs): Promise<IdleResult> {
  const server = await startBaseline(kind, args, 'idle');
  try {
    return await idleSockets(server, kind, args.idle, kind === 'raw' ? 10 : 30);
  } finally {
    await server.stop();
  }
}

export async function idleBeseda(args: BenchArgs): Promise<IdleResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'beseda-bench-idle-'));
  try {
    const server = await startBeseda(args, 'idle', dataDir);
    try {
      return await idleSockets(server, 'beseda', args.idle, 20);
    } finally {
      await server.stop(30_000);
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
