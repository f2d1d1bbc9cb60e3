import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { checkStored, seedBeseda } from './beseda-store.js';
import { totalIr } from './callgrind-out.js';
import type { ServerChild } from './children.js';
import { Ledger, type PairSet } from './ledger.js';
import { besedaPairs } from './pairs-beseda.js';
import { type Baseline, baselinePairs, serverRoot, startBaseline, startBeseda } from './relays.js';
import { sleep, until } from './stats.js';
import { clientIdOf } from './wire.js';

/**
 * Instructions per message: a CPU-independent cost figure. Each relay runs as a child under
 * `valgrind --tool=callgrind`, which counts the instructions the server process executes (all its threads,
 * JIT-compiled code included; kernel work such as socket writes is not counted). After the pairs are up
 * and a warm-up (so the JIT has settled), the bench asks callgrind to dump its counters
 * (`callgrind_control -d`) at the start and end of two measured phases of `--messages` messages each
 * (closed loop, one message in flight per pair, every delivery and every ack awaited). A dump resets the
 * counters, so each phase's file holds that phase's instructions only: start-up, setup and shutdown are
 * reported apart, and two phases of the same size show how repeatable the figure is. Instruction counts
 * do not depend on how busy the machine is, so a regression shows as a number, not as noise.
 *
 *   npx tsx scripts/bench/callgrind.ts [--pairs 20] [--messages 5000] [--warmup 1000]
 *                                      [--relays beseda,raw,socketio] [--keep DIR]
 *
 * Callgrind slows the server 20–50×: the default (20 pairs, 1,000 + 2 × 5,000 messages per relay, three
 * relays) takes roughly 10 minutes of one core.
 */
const USAGE =
  'usage: tsx scripts/bench/callgrind.ts [--pairs N] [--messages N] [--warmup N] [--relays beseda,raw,socketio] [--keep DIR]';

type Relay = Baseline | 'beseda';
const RELAYS: readonly Relay[] = ['beseda', 'raw', 'socketio'];
const NAME: Record<Relay, string> = { beseda: 'Beseda', raw: 'raw ws relay', socketio: 'Socket.IO relay' };

interface Options {
  pairs: number;
  messages: number;
  warmup: number;
  relays: Relay[];
  keep: string | null;
}

function parse(argv: readonly string[]): Options {
  const out: Options = { pairs: 20, messages: 5000, warmup: 1000, relays: [...RELAYS], keep: null };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    const count = () => {
      const n = Number(value);
      if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} needs a positive integer\n${USAGE}`);
      return n;
    };
    if (flag === '--pairs') out.pairs = count();
    else if (flag === '--messages') out.messages = count();
    else if (flag === '--warmup') out.warmup = count();
    else if (flag === '--keep' && value) out.keep = resolve(value);
    else if (flag === '--relays') {
      const wanted = (value ?? '').split(',').filter(Boolean);
      const bad = wanted.filter((r) => !RELAYS.includes(r as Relay));
      if (wanted.length === 0 || bad.length) throw new Error(`--relays: unknown ${bad.join(',')}\n${USAGE}`);
      out.relays = wanted as Relay[];
    } else throw new Error(`unknown flag ${flag}\n${USAGE}`);
  }
  if (out.relays.includes('beseda') && out.pairs > 50) {
    throw new Error('--pairs: at most 50 (Beseda runs them on one operator of capacity 50)');
  }
  return out;
}

/**
 * Sends exactly `total` messages, one in flight per pair (the next leaves when the operator got the last),
 * and waits for every delivery and, where the relay acks, every ack (Beseda acks after the commit).
 */
async function fixedRun(set: PairSet, phase: string, total: number): Promise<Ledger> {
  const ledger = new Ledger(phase, total);
  const sendFrom = (p: number) => {
    const i = ledger.take(performance.now(), p);
    if (i >= 0) set.send(p, ledger, i);
  };
  set.onDeliver = (code, i, p, at) => {
    if (code === ledger.code && ledger.deliver(i, at)) sendFrom(p);
  };
  set.onAck = (code, i) => {
    if (code === ledger.code) ledger.ack(i);
  };
  for (let p = 0; p < set.size; p++) sendFrom(p);
  const done = () => ledger.delivered >= total && (!set.acks || ledger.ackCount >= total);
  if (!(await until(done, 30 * 60_000))) {
    throw new Error(`only ${ledger.delivered}/${total} delivered, ${ledger.ackCount} acked after 30 min`);
  }
  return ledger;
}

const run = promisify(execFile);

/** Dumps (and resets) the child's counters into `<out>.<n>` and returns the instructions in it. */
async function dump(pid: number, outFile: string, n: number): Promise<number> {
  await run('callgrind_control', ['-d', String(pid)], { timeout: 10 * 60_000 });
  const file = `${outFile}.${n}`;
  // callgrind_control returns once the command was taken; the file is complete when its totals line is there.
  const text = () => (existsSync(file) ? readFileSync(file, 'utf8') : '');
  await until(() => /^(?:totals|summary):/m.test(text()), 60_000);
  return totalIr(text());
}

interface Measured {
  setupIr: number;
  phases: number[];
  shutdownIr: number;
  minutes: number;
}

/** Deferred per-message work (group commit, search indexing) belongs to the phase that caused it. */
const SETTLE_MS = 3000;

async function measure(relay: Relay, opts: Options, dir: string): Promise<Measured> {
  const outFile = join(dir, `callgrind.${relay}.out`);
  const wrapper = ['valgrind', '--tool=callgrind', `--callgrind-out-file=${outFile}`];
  const generous = { wrapper, startTimeoutMs: 15 * 60_000 };
  const started = performance.now();
  let server: ServerChild;
  let set: PairSet;
  let check: ((ledgers: Ledger[]) => Promise<void>) | null = null;
  const baseline: Baseline | null = relay === 'beseda' ? null : relay;
  const dataDir = baseline ? null : await mkdtemp(join(tmpdir(), 'beseda-callgrind-'));
  try {
    if (baseline) {
      server = await startBaseline(baseline, { cpuProf: null }, 'callgrind', generous);
      set = (await baselinePairs(baseline, server, opts.pairs, 600)).set;
    } else if (dataDir) {
      // One operator with capacity = pairs takes every chat (--pairs is at most 50, the protocol's cap).
      const root = serverRoot({ serverRoot: null });
      const cookies = await seedBeseda(root, dataDir, 1, opts.pairs);
      server = await startBeseda({ cpuProf: null, serverRoot: null }, 'callgrind', dataDir, generous);
      const est = await besedaPairs(server, cookies, opts.pairs, 600, 2);
      set = est.set;
      // Every message must be in the store afterwards: the path counted is the durable one.
      check = async (ledgers) => {
        const ids = new Set(est.firstClientIds);
        for (const l of ledgers)
          for (let i = 0; i < l.sent; i++) ids.add(clientIdOf(l.phase, i, l.pairOf[i]!));
        const stored = await checkStored(root, dataDir, est.conversationIds, ids, ids);
        if (stored.missingAcked > 0) throw new Error(`${stored.missingAcked} acked messages not stored`);
      };
    } else throw new Error('unreachable: Beseda without a data directory');
    try {
      if (set.size < opts.pairs) throw new Error(`${NAME[relay]}: only ${set.size}/${opts.pairs} pairs up`);
      const ledgers = [await fixedRun(set, 'w', opts.warmup)];
      await sleep(SETTLE_MS);
      const setupIr = await dump(server.pid, outFile, 1);
      const phases: number[] = [];
      for (const phase of ['a', 'b']) {
        ledgers.push(await fixedRun(set, phase, opts.messages));
        await sleep(SETTLE_MS);
        phases.push(await dump(server.pid, outFile, phases.length + 2));
      }
      set.close();
      // SIGTERM: the process exits normally and callgrind writes the rest (Beseda flushes its store first).
      await server.stop(15 * 60_000);
      await check?.(ledgers);
      const shutdownIr = totalIr(await readFile(outFile, 'utf8'));
      return { setupIr, phases, shutdownIr, minutes: (performance.now() - started) / 60_000 };
    } finally {
      set.close();
      await server.stop(1000);
    }
  } finally {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

const opts = parse(process.argv.slice(2));
const dir = opts.keep ?? (await mkdtemp(join(tmpdir(), 'beseda-callgrind-out-')));
console.log(
  `callgrind: ${opts.pairs} pairs, warm-up ${fmt(opts.warmup)} then 2 × ${fmt(opts.messages)} messages per relay, load average ${load()}`,
);
const rows: string[][] = [];
const perMessageOf = new Map<Relay, number>();
try {
  for (const relay of opts.relays) {
    const m = await measure(relay, opts, dir);
    const [a, b] = m.phases.map((ir) => ir / opts.messages) as [number, number];
    perMessageOf.set(relay, (a + b) / 2);
    rows.push([
      NAME[relay],
      fmt(m.setupIr),
      `${fmt(a)} / ${fmt(b)}`,
      fmt((a + b) / 2),
      fmt(m.shutdownIr),
      m.minutes.toFixed(1),
    ]);
    console.log(`  ${rows.at(-1)!.join(' | ')}`);
  }
} finally {
  if (!opts.keep) await rm(dir, { recursive: true, force: true });
}
const header = [
  'relay',
  `start-up + ${opts.pairs} pairs + warm-up Ir`,
  'Ir per message, phase a / b',
  'Ir per message',
  'shutdown Ir',
  'minutes',
];
const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
const line = (r: string[]) => `| ${r.map((v, c) => v.padEnd(widths[c]!)).join(' | ')} |`;
console.log(['', line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n'));
const beseda = perMessageOf.get('beseda');
for (const [relay, ir] of perMessageOf) {
  if (beseda !== undefined && relay !== 'beseda') {
    console.log(`Beseda: ${(beseda / ir).toFixed(2)}× the instructions per message of the ${NAME[relay]}`);
  }
}
console.log(`load average at the end ${load()} (instruction counts do not depend on it)`);
process.exit(0);
