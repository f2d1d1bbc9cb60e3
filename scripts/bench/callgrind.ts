import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkStored, seedBeseda } from './beseda-store.js';
import { perMessage, totalIr } from './callgrind-out.js';
import type { ServerChild } from './children.js';
import { Ledger, type PairSet } from './ledger.js';
import { besedaPairs } from './pairs-beseda.js';
import { type Baseline, baselinePairs, serverRoot, startBaseline, startBeseda } from './relays.js';
import { until } from './stats.js';
import { clientIdOf } from './wire.js';

/**
 * Instructions per message: a CPU-independent cost figure. Each relay runs as a child under
 * `valgrind --tool=callgrind`, which counts the instructions the server process executes (all its threads,
 * JIT code included; kernel work such as socket writes is not counted). A fixed closed-loop run
 * (`--pairs` pairs, one message in flight per pair) sends N messages in one process and 2N in another;
 * (Ir(2N) − Ir(N)) / N is the cost of a message with start-up, pair setup and shutdown subtracted. The
 * figure does not depend on how busy the machine is, so a regression shows as a number, not as noise; what
 * remains is start-up noise (GC and JIT timing differ a little between processes: ~±20·10⁶ Ir for the baselines), which
 * is why N should be thousands. The two processes of a relay run side by side.
 *
 *   npx tsx scripts/bench/callgrind.ts [--pairs 20] [--messages 5000] [--relays beseda,raw,socketio]
 *                                      [--keep DIR]
 *
 * Callgrind slows the server 20–100×: Beseda with 10 pairs and 1,000 + 2,000 messages took ~4 minutes, the raw
 * relay with 20 pairs and 5,000 + 10,000 ~3.5 minutes (busy 2-core machine). Beseda's setup waits 30 s per
 * visitor step (pairs-beseda.ts), which a very busy machine can exceed at 20 pairs: use fewer pairs then.
 * (Dumping the counters per phase with `callgrind_control -d` would remove the start-up noise, but it
 * wrote no file for the Beseda server here, although it worked for a plain node process.)
 */
const USAGE =
  'usage: tsx scripts/bench/callgrind.ts [--pairs N] [--messages N] [--relays beseda,raw,socketio] [--keep DIR]';

type Relay = Baseline | 'beseda';
const RELAYS: readonly Relay[] = ['beseda', 'raw', 'socketio'];
const NAME: Record<Relay, string> = { beseda: 'Beseda', raw: 'raw ws relay', socketio: 'Socket.IO relay' };

interface Options {
  pairs: number;
  messages: number;
  relays: Relay[];
  keep: string | null;
}

function parse(argv: readonly string[]): Options {
  const out: Options = { pairs: 20, messages: 5000, relays: [...RELAYS], keep: null };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    const count = () => {
      const n = Number(value);
      if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} needs a positive integer\n${USAGE}`);
      return n;
    };
    if (flag === '--pairs') out.pairs = count();
    else if (flag === '--messages') out.messages = count();
    else if (flag === '--keep' && value) out.keep = resolve(value);
    else if (flag === '--relays') {
      const wanted = (value ?? '').split(',').filter(Boolean);
      const bad = wanted.filter((r) => !RELAYS.includes(r as Relay));
      if (wanted.length === 0 || bad.length) throw new Error(`--relays: unknown ${bad.join(',')}\n${USAGE}`);
      out.relays = wanted as Relay[];
    } else throw new Error(`unknown flag ${flag}\n${USAGE}`);
  }
  return out;
}

/**
 * Sends exactly `total` messages, one in flight per pair (the next leaves when the operator got the last),
 * and waits for every delivery and, where the relay acks, every ack (Beseda acks after the commit).
 */
async function fixedRun(set: PairSet, total: number): Promise<Ledger> {
  const ledger = new Ledger('c', total);
  const sendFrom = (p: number) => {
    const i = ledger.take(performance.now(), p);
    if (i >= 0) set.send(p, ledger, i);
  };
  set.onDeliver = (phase, i, p, at) => {
    if (phase === ledger.code && ledger.deliver(i, at)) sendFrom(p);
  };
  set.onAck = (phase, i) => {
    if (phase === ledger.code) ledger.ack(i);
  };
  for (let p = 0; p < set.size; p++) sendFrom(p);
  const done = () => ledger.delivered >= total && (!set.acks || ledger.ackCount >= total);
  if (!(await until(done, 30 * 60_000))) {
    throw new Error(`only ${ledger.delivered}/${total} delivered, ${ledger.ackCount} acked after 30 min`);
  }
  return ledger;
}

interface Run {
  messages: number;
  ir: number;
  seconds: number;
}

const GENEROUS = { startTimeoutMs: 15 * 60_000 };

async function runOnce(relay: Relay, opts: Options, messages: number, dir: string): Promise<Run> {
  const outFile = join(dir, `callgrind.${relay}.${messages}.out`);
  const wrapper = ['valgrind', '--tool=callgrind', `--callgrind-out-file=${outFile}`];
  const started = performance.now();
  let server: ServerChild;
  let set: PairSet;
  let check: ((ledger: Ledger) => Promise<void>) | null = null;
  const dataDir = relay === 'beseda' ? await mkdtemp(join(tmpdir(), 'beseda-callgrind-')) : null;
  try {
    if (dataDir) {
      // One operator with capacity = pairs takes every chat (--pairs is at most 50, the protocol's cap).
      const root = serverRoot({ serverRoot: null });
      const cookies = await seedBeseda(root, dataDir, 1, opts.pairs);
      server = await startBeseda({ cpuProf: null, serverRoot: null }, 'callgrind', dataDir, {
        wrapper,
        ...GENEROUS,
      });
      const est = await besedaPairs(server, cookies, opts.pairs, 600, 2);
      set = est.set;
      // Every message of the run must be in the store afterwards: the counted path is the durable one.
      check = async (ledger) => {
        const ids = new Set(est.firstClientIds);
        for (let i = 0; i < ledger.sent; i++) ids.add(clientIdOf(ledger.phase, i, ledger.pairOf[i]!));
        const stored = await checkStored(root, dataDir, est.conversationIds, ids, ids);
        if (stored.missingAcked > 0) throw new Error(`${stored.missingAcked} acked messages not stored`);
      };
    } else {
      server = await startBaseline(relay as Baseline, { cpuProf: null }, 'callgrind', {
        wrapper,
        ...GENEROUS,
      });
      set = (await baselinePairs(relay as Baseline, server, opts.pairs, 600)).set;
    }
    try {
      if (set.size < opts.pairs) throw new Error(`${NAME[relay]}: only ${set.size}/${opts.pairs} pairs up`);
      const ledger = await fixedRun(set, messages);
      set.close();
      // SIGTERM: the process exits normally and callgrind writes its counts (Beseda flushes its store first).
      await server.stop(15 * 60_000);
      await check?.(ledger);
    } finally {
      set.close();
      await server.stop(1000);
    }
  } finally {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
  const ir = totalIr(await readFile(outFile, 'utf8'));
  return { messages, ir, seconds: (performance.now() - started) / 1000 };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

const opts = parse(process.argv.slice(2));
if (opts.relays.includes('beseda') && opts.pairs > 50) {
  throw new Error('--pairs: at most 50 (Beseda runs them on one operator of capacity 50)');
}
const dir = opts.keep ?? (await mkdtemp(join(tmpdir(), 'beseda-callgrind-out-')));
console.log(
  `callgrind: ${opts.pairs} pairs, ${fmt(opts.messages)} and ${fmt(2 * opts.messages)} messages per relay, load average ${load()}`,
);
const rows: string[][] = [];
const perMessageOf = new Map<Relay, number>();
try {
  for (const relay of opts.relays) {
    // The two processes run side by side: instruction counts do not depend on sharing the cores.
    const [small, big] = await Promise.all([
      runOnce(relay, opts, opts.messages, dir),
      runOnce(relay, opts, 2 * opts.messages, dir),
    ]);
    console.log(
      `  ${NAME[relay]}: ${fmt(small.messages)} messages, ${fmt(small.ir)} Ir, ${small.seconds.toFixed(0)} s`,
    );
    console.log(
      `  ${NAME[relay]}: ${fmt(big.messages)} messages, ${fmt(big.ir)} Ir, ${big.seconds.toFixed(0)} s`,
    );
    const cost = perMessage(small, big);
    perMessageOf.set(relay, cost.ir);
    rows.push([NAME[relay], fmt(small.ir), fmt(big.ir), fmt(cost.fixed), fmt(cost.ir)]);
  }
} finally {
  if (!opts.keep) await rm(dir, { recursive: true, force: true });
}
const header = [
  'relay',
  `Ir, ${fmt(opts.messages)} msgs`,
  `Ir, ${fmt(2 * opts.messages)} msgs`,
  'start-up + setup + stop',
  'Ir per message',
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
