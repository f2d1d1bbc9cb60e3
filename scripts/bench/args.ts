import { resolve } from 'node:path';

/** Command-line flags of `pnpm bench`. Defaults follow DESIGN.md §6; `--quick` is a smoke run. */
export interface BenchArgs {
  /** Visitor–operator pairs held open while messages flow. */
  pairs: number;
  /** Chats per Beseda operator; operators = ceil(pairs / capacity). */
  capacity: number;
  /** Open-loop visitor→operator messages per second, summed over all pairs. */
  rate: number;
  /** Length of the open-loop (latency) phase. */
  seconds: number;
  /** Length of the closed-loop (throughput) measurement window, after a 1 s warm-up. */
  throughputSeconds: number;
  /** Messages each pair keeps in flight during the closed-loop phase. */
  inflight: number;
  /** Idle visitor sockets for the memory phase. */
  idle: number;
  /** Give up establishing pairs after this long and measure with what is up (setup is not the benchmark). */
  setupTimeoutSeconds: number;
  /** Write V8 CPU profiles of the server children to this directory. */
  cpuProf: string | null;
  /** Checkout whose server is benchmarked (default: this one); e.g. a `git archive` of another commit. */
  serverRoot: string | null;
  /** Skip phases: "raw", "socketio", "beseda", "idle" (comma list; raw/socketio also skip their idle phase). */
  skip: Set<string>;
}

const DEFAULTS: BenchArgs = {
  pairs: 5000,
  // The protocol's maximum. With capacity 1 (5,000 operators) the server cannot even bring the operators
  // online in reasonable time: every status change and assignment sends the full presence list to every
  // operator (O(operators²) per event), measured at 81 s for 500 operators. See docs/benchmarks.md.
  capacity: 50,
  rate: 5000,
  seconds: 10,
  throughputSeconds: 5,
  inflight: 2,
  idle: 20_000,
  setupTimeoutSeconds: 120,
  cpuProf: null,
  serverRoot: null,
  skip: new Set(),
};

const QUICK: Partial<BenchArgs> = { pairs: 200, rate: 1000, seconds: 3, throughputSeconds: 2, idle: 2000 };

const USAGE = `usage: tsx scripts/bench/run.ts [--quick] [--pairs N] [--capacity C] [--rate MSG_PER_S] [--seconds S]
       [--throughput-seconds S] [--inflight K] [--idle M] [--setup-timeout S] [--cpu-prof DIR]
       [--server-root DIR] [--skip raw,socketio,beseda,idle]`;

function positive(name: string, v: string | undefined): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} needs a positive number\n${USAGE}`);
  return n;
}

export function parseArgs(argv: readonly string[]): BenchArgs {
  const out: BenchArgs = { ...DEFAULTS, skip: new Set() };
  if (argv.includes('--quick')) Object.assign(out, QUICK);
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    switch (flag) {
      case '--quick':
        continue;
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
        break;
      case '--pairs':
        out.pairs = Math.floor(positive('pairs', value));
        break;
      case '--capacity':
        out.capacity = Math.min(50, Math.floor(positive('capacity', value)));
        break;
      case '--rate':
        out.rate = positive('rate', value);
        break;
      case '--seconds':
        out.seconds = positive('seconds', value);
        break;
      case '--throughput-seconds':
        out.throughputSeconds = positive('throughput-seconds', value);
        break;
      case '--inflight':
        out.inflight = Math.floor(positive('inflight', value));
        break;
      case '--idle':
        out.idle = Math.floor(positive('idle', value));
        break;
      case '--setup-timeout':
        out.setupTimeoutSeconds = positive('setup-timeout', value);
        break;
      case '--cpu-prof':
        if (!value) throw new Error(`--cpu-prof needs a directory\n${USAGE}`);
        out.cpuProf = value;
        break;
      case '--server-root':
        if (!value) throw new Error(`--server-root needs a directory\n${USAGE}`);
        out.serverRoot = resolve(value);
        break;
      case '--skip':
        for (const s of (value ?? '').split(',')) if (s) out.skip.add(s.trim());
        break;
      default:
        throw new Error(`unknown flag ${flag}\n${USAGE}`);
    }
    i++;
  }
  return out;
}
