import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Message } from '@beseda/shared';
import { OperatorClient, VisitorClient } from '../../tests/cluster/harness/clients.js';
import { Cluster } from '../../tests/cluster/harness/cluster.js';
import type { Frame } from '../../tests/cluster/harness/peer.js';
import { missingServices } from '../../tests/cluster/harness/services.js';
import { cpuSeconds, MachineMeter } from './proc.js';
import { percentiles, sleep, until } from './stats.js';

/**
 * `pnpm bench --cluster`: the cluster budgets of DESIGN.md §6 on one machine, single node and three nodes in
 * the same run. Per setup: operators and visitors spread over the nodes (round-robin, as a load balancer
 * would), then
 * 1. assignment latency: first messages at a steady pace into free capacity, measured on the server (the
 *    `beseda:relay:assigned` diagnostics channel, via a preload in each node) and, for comparison, by the
 *    client (send → `assigned` frame);
 * 2. server CPU per routed message: visitor→operator messages at a fixed rate; the CPU time of every server
 *    process over the phase ÷ messages delivered. Redis's own CPU is listed beside it (shared Redis: other
 *    users count too); PostgreSQL's is not measured.
 * The nodes run the harness of tests/cluster (real processes, own database and key prefix, torn down after).
 */
export interface ClusterBenchArgs {
  operators: number;
  capacity: number;
  visitors: number;
  /** First messages per second in the assignment phase. */
  arrivals: number;
  /** Messages per second in the routed-message phase, and its length. */
  rate: number;
  seconds: number;
}

const DEFAULTS: ClusterBenchArgs = {
  operators: 10,
  capacity: 10,
  visitors: 100,
  arrivals: 25,
  rate: 200,
  seconds: 10,
};

export function parseClusterArgs(argv: readonly string[]): ClusterBenchArgs {
  const out = { ...DEFAULTS };
  const keys: Record<string, keyof ClusterBenchArgs> = {
    '--operators': 'operators',
    '--capacity': 'capacity',
    '--visitors': 'visitors',
    '--arrivals': 'arrivals',
    '--rate': 'rate',
    '--seconds': 'seconds',
  };
  for (let i = 0; i < argv.length; i += 2) {
    const key = keys[argv[i]!];
    const n = Number(argv[i + 1]);
    if (!key || !Number.isFinite(n) || n <= 0) {
      throw new Error(
        `usage: tsx scripts/bench/run.ts --cluster [--operators N] [--capacity C] [--visitors V] [--arrivals PER_S] [--rate MSG_PER_S] [--seconds S]`,
      );
    }
    out[key] = n;
  }
  if (out.visitors > out.operators * out.capacity)
    throw new Error('--visitors must fit into operators × capacity');
  return out;
}

interface SetupResult {
  name: string;
  nodes: number;
  serverAssignMs: number[];
  /** Cores the server processes used at rest (every socket open, no messages). */
  idleCores: number;
  /** Server CPU of the message phase minus what the same time at rest costs. */
  marginalCpuS: number;
  /** Per assignment, where the server says the time went: the routing decision and the store write. */
  serverDecideMs: number[];
  serverStoreMs: number[];
  clientAssignMs: number[];
  sent: number;
  delivered: number;
  serverCpuS: number;
  redisCpuS: number | null;
  otherCores: number;
  deliverP50: number;
  deliverP95: number;
}

/** An operator console that stamps each visitor message when it arrives (the text carries its send time). */
class TimedConsole extends OperatorClient {
  readonly latencies: number[] = [];
  protected override onFrame(f: Frame): void {
    super.onFrame(f);
    if (f.type !== 'message') return;
    const m = f.message as Message;
    const sentAt = /^bench (\d+(?:\.\d+)?)$/.exec(m.text)?.[1];
    if (m.author === 'visitor' && sentAt) this.latencies.push(performance.now() - Number(sentAt));
  }
}

async function redisCpu(c: Cluster): Promise<number | null> {
  if (!c.redis) return null;
  const info = await c.redis.info('cpu');
  const get = (k: string) => Number(new RegExp(`^${k}:([\\d.]+)`, 'm').exec(info)?.[1] ?? Number.NaN);
  return get('used_cpu_user') + get('used_cpu_sys');
}

async function runSetup(name: string, mode: 'sqlite' | 'cluster', nodes: number, a: ClusterBenchArgs) {
  const dir = await mkdtemp(join(tmpdir(), 'beseda-cbench-'));
  const preload = pathToFileURL(resolve(import.meta.dirname, 'cluster-assigned-preload.ts')).href;
  console.log(`\n[${name}] starting ${nodes} node(s)`);
  const c = await Cluster.start({
    nodes,
    mode,
    env: {
      BESEDA_BENCH_ASSIGNED_FILE: join(dir, 'assigned'),
      OPERATOR_GRACE_MS: '30000',
      // Every operator signs in from this one address.
      LOGIN_ATTEMPTS_PER_MINUTE: '10000',
    },
    execArgv: [
      '--import',
      preload,
      // BESEDA_BENCH_PROFILE=<dir>: each node writes a CPU profile there (summarise with profile-summary.ts).
      ...(process.env.BESEDA_BENCH_PROFILE
        ? ['--cpu-prof', `--cpu-prof-dir=${resolve(process.env.BESEDA_BENCH_PROFILE, mode)}`]
        : []),
    ],
  });
  const consoles: TimedConsole[] = [];
  const visitors: VisitorClient[] = [];
  try {
    for (let i = 0; i < a.operators; i++) {
      const node = c.nodes[i % nodes]!;
      const acct = await c.createOperator(node, `Op${i}`, a.capacity);
      const op = new TimedConsole(acct.name, await c.login(node, acct.email, acct.password));
      await op.connect(node);
      consoles.push(op);
    }
    for (let i = 0; i < a.visitors; i++) {
      const v = new VisitorClient(`v${i}`);
      await v.connect(c.nodes[i % nodes]!);
      visitors.push(v);
    }

    // 1. Assignment latency: steady arrivals into free capacity.
    console.log(`[${name}] assignment: ${a.visitors} first messages at ${a.arrivals}/s`);
    const clientAssignMs: number[] = [];
    await Promise.all(
      visitors.map(async (v, i) => {
        await sleep((i * 1000) / a.arrivals);
        const t0 = performance.now();
        const from = v.frames.length;
        v.send(`hello ${i}`);
        await v.next((f) => f.type === 'assigned', 30_000, from);
        clientAssignMs.push(performance.now() - t0);
      }),
    );
    const {
      total: serverAssignMs,
      decide: serverDecideMs,
      store: serverStoreMs,
    } = await readAssigned(dir, a.visitors);

    // 2. What the nodes cost at rest with everyone connected (heartbeats, leases, deadline polls, pings):
    // a per-node cost per second, not a per-message one, so it is measured on its own and set apart.
    const pids = c.nodes.map((n) => n.pid!);
    console.log(`[${name}] at rest: ${a.seconds} s with every socket open, no messages`);
    const idle0 = pids.reduce((s, p) => s + cpuSeconds(p), 0);
    const idleStarted = performance.now();
    await sleep(a.seconds * 1000);
    const idleCores =
      (pids.reduce((s, p) => s + cpuSeconds(p), 0) - idle0) / ((performance.now() - idleStarted) / 1000);

    // 3. Server CPU per routed message at a fixed rate.
    console.log(`[${name}] routed messages: ${a.rate} msg/s for ${a.seconds} s`);
    const machine = new MachineMeter();
    const cpu0 = pids.reduce((s, p) => s + cpuSeconds(p), 0);
    const redis0 = await redisCpu(c);
    const total = Math.round(a.rate * a.seconds);
    const started = performance.now();
    for (let k = 0; k < total; k++) {
      const due = started + (k * 1000) / a.rate;
      if (due > performance.now()) await sleep(due - performance.now());
      visitors[k % visitors.length]!.send(`bench ${performance.now()}`);
    }
    const delivered = () => consoles.reduce((s, op) => s + op.latencies.length, 0);
    await until(() => delivered() >= total, 30_000);
    const serverCpuS = pids.reduce((s, p) => s + cpuSeconds(p), 0) - cpu0;
    const phaseS = (performance.now() - started) / 1000;
    const marginalCpuS = Math.max(0, serverCpuS - idleCores * phaseS);
    const redis1 = await redisCpu(c);
    const lat = Float64Array.from(consoles.flatMap((op) => op.latencies));
    const [p50, p95] = percentiles(lat, lat.length, [50, 95]);
    const otherCores = Math.max(0, machine.coresUsed() - serverCpuS / ((performance.now() - started) / 1000));
    return {
      name,
      nodes,
      serverAssignMs,
      serverDecideMs,
      serverStoreMs,
      clientAssignMs,
      idleCores,
      marginalCpuS,
      sent: total,
      delivered: delivered(),
      serverCpuS,
      redisCpuS: redis0 !== null && redis1 !== null ? redis1 - redis0 : null,
      otherCores,
      deliverP50: p50!,
      deliverP95: p95!,
    } satisfies SetupResult;
  } finally {
    await Promise.allSettled([...consoles, ...visitors].map((p) => p.close()));
    await Promise.allSettled(c.nodes.map((n) => n.stop()));
    await c.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The preload's files (one per node); waits briefly for the last flush. */
async function readAssigned(
  dir: string,
  expected: number,
): Promise<{ total: number[]; decide: number[]; store: number[] }> {
  let out = { total: [] as number[], decide: [] as number[], store: [] as number[] };
  const read = async () => {
    out = { total: [], decide: [], store: [] };
    for (const f of await readdir(dir)) {
      if (!f.startsWith('assigned.')) continue;
      for (const line of (await readFile(join(dir, f), 'utf8')).split('\n')) {
        if (!line) continue;
        const [total, decide, store] = line.split(' ').map(Number);
        out.total.push(total!);
        if (decide !== undefined) out.decide.push(decide);
        if (store !== undefined) out.store.push(store);
      }
    }
  };
  const end = performance.now() + 2_000;
  do {
    await read();
    if (out.total.length >= expected) break;
    await sleep(100);
  } while (performance.now() < end);
  return out;
}

const fmt = (n: number | undefined, d = 1) => (n === undefined || Number.isNaN(n) ? '—' : n.toFixed(d));
const pct = (v: number[], p: number) => percentiles(Float64Array.from(v), v.length, [p])[0];

export async function runClusterBench(argv: readonly string[]): Promise<void> {
  const a = parseClusterArgs(argv);
  const missing = await missingServices();
  if (missing.length > 0)
    throw new Error(`the cluster bench needs Redis and PostgreSQL: ${missing.join('; ')}`);
  console.log(
    `beseda cluster bench: ${cpus().length} cores, node ${process.version}; ${a.operators} operators × capacity ${a.capacity}, ${a.visitors} visitors (${a.arrivals}/s), ${a.rate} msg/s × ${a.seconds} s`,
  );
  const results: SetupResult[] = [];
  for (const [name, mode, nodes] of [
    ['single node (SQLite, in-memory routing)', 'sqlite', 1],
    ['cluster (3 nodes, PostgreSQL + Redis)', 'cluster', 3],
  ] as const) {
    try {
      results.push(await runSetup(name, mode, nodes, a));
    } catch (err) {
      // The other setup's numbers are still worth printing; the failure is listed instead of a row.
      console.log(`[${name}] failed: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  if (results.length < 2) {
    console.log('\nno comparison: a setup failed (see above)');
    for (const r of results)
      console.log(
        JSON.stringify({
          ...r,
          serverAssignMs: r.serverAssignMs.length,
          clientAssignMs: r.clientAssignMs.length,
        }),
      );
    return;
  }

  console.log(
    '\n| setup | assignment p50 / p95 ms (server) | n | assignment p50 / p95 ms (client) | delivered | delivery p50 / p95 ms | server CPU µs/msg | Redis CPU µs/msg | other cores |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of results) {
    const server =
      r.serverAssignMs.length > 0
        ? `${fmt(pct(r.serverAssignMs, 50), 2)} / ${fmt(pct(r.serverAssignMs, 95), 2)}`
        : 'not published';
    console.log(
      `| ${r.name} | ${server} | ${r.serverAssignMs.length} | ${fmt(pct(r.clientAssignMs, 50))} / ${fmt(pct(r.clientAssignMs, 95))} | ${r.delivered}/${r.sent} | ${fmt(r.deliverP50)} / ${fmt(r.deliverP95)} | ${fmt((r.serverCpuS / Math.max(1, r.delivered)) * 1e6, 0)} | ${r.redisCpuS === null ? '—' : fmt((r.redisCpuS / Math.max(1, r.delivered)) * 1e6, 0)} | ${fmt(r.otherCores, 2)} |`,
    );
  }
  console.log('\nwhere the server-side assignment time goes (p50 / p95 ms):');
  for (const r of results)
    if (r.serverDecideMs.length > 0)
      console.log(
        `  ${r.name}: routing decision ${fmt(pct(r.serverDecideMs, 50), 2)} / ${fmt(pct(r.serverDecideMs, 95), 2)}, fenced store write ${fmt(pct(r.serverStoreMs, 50), 2)} / ${fmt(pct(r.serverStoreMs, 95), 2)}`,
      );
  const [single, cluster] = results as [SetupResult, SetupResult];
  const perMsg = (r: SetupResult, cpu: number) => cpu / Math.max(1, r.delivered);
  const ratio = perMsg(cluster, cluster.marginalCpuS) / perMsg(single, single.marginalCpuS);
  const rawRatio = perMsg(cluster, cluster.serverCpuS) / perMsg(single, single.serverCpuS);
  console.log('\nserver CPU at rest and per message beyond it:');
  for (const r of results)
    console.log(
      `  ${r.name}: ${fmt(r.idleCores, 3)} cores at rest (${fmt(r.idleCores / r.nodes, 3)} per node); ${fmt(perMsg(r, r.marginalCpuS) * 1e6, 0)} µs per message beyond that (${fmt(perMsg(r, r.serverCpuS) * 1e6, 0)} µs including the rest cost)`,
    );
  const p95 = pct(cluster.serverAssignMs, 95);
  console.log('\n| budget (DESIGN.md §6) | measured | verdict |\n| --- | --- | --- |');
  console.log(
    `| assignment p95 ≤ 5 ms across 3 nodes (server side) | ${cluster.serverAssignMs.length > 0 ? `${fmt(p95, 2)} ms` : `not published by this server; client-side p95 ${fmt(pct(cluster.clientAssignMs, 95))} ms`} | ${cluster.serverAssignMs.length === 0 ? 'not measured' : p95! <= 5 ? 'ok' : 'OVER BUDGET'} |`,
  );
  console.log(
    `| server CPU per routed message ≤ 1.5× single node (beyond the rest cost) | ${fmt(ratio, 2)}× (including the rest cost: ${fmt(rawRatio, 2)}×) | ${ratio <= 1.5 ? 'ok' : 'OVER BUDGET'} |`,
  );
}
