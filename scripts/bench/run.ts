import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from './args.js';
import { ROOT } from './children.js';
import { fdLimit, MachineMeter } from './proc.js';
import { benchBaseline, benchBeseda, idleBaseline, idleBeseda } from './relays.js';
import { printReport, type Report } from './report.js';
import { sleep } from './stats.js';

/**
 * `pnpm bench`: the DESIGN.md §6 node budgets, measured against two baselines in the same run on the
 * same machine: a raw `ws` relay (the ceiling of this stack) and the same relay on Socket.IO 4 (what users
 * would otherwise pick). Both servers run as child processes; this process is the load generator. Budgets that are
 * missed are reported as OVER BUDGET, but the exit code is 0: a benchmark informs, it does not gate.
 */
if (process.argv.includes('--cluster')) {
  // `--cluster`: the three-node budgets (scripts/bench/cluster.ts); the node bench below is not run.
  const { runClusterBench } = await import('./cluster.js');
  await runClusterBench(process.argv.slice(2).filter((a) => a !== '--cluster'));
  process.exit(0);
}
const args = parseArgs(process.argv.slice(2));

/** Which server code is measured: commit, and whether the server's files differ from it. */
function serverVersion(root: string): string {
  try {
    const git = (...a: string[]) => execFileSync('git', ['-C', root, ...a], { encoding: 'utf8' }).trim();
    const dirty = git('status', '--porcelain', '--', 'server', 'shared') !== '';
    return `${root} at ${git('rev-parse', '--short', 'HEAD')}${dirty ? ' + uncommitted changes in server/ or shared/' : ''}`;
  } catch {
    return `${root} (not a git checkout)`;
  }
}

const started = performance.now();
const idleCheck = new MachineMeter();
await sleep(2000);
const machine = {
  backgroundCores: idleCheck.coresUsed(),
  cores: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  memGiB: totalmem() / 2 ** 30,
  node: process.version,
  fdLimit: fdLimit('self'),
  server: serverVersion(args.serverRoot ?? ROOT),
};
console.log(
  `beseda bench: ${machine.cores} cores (${machine.cpu}), ${machine.memGiB.toFixed(0)} GiB, node ${machine.node}, open files ${machine.fdLimit.soft}/${machine.fdLimit.hard}`,
);
console.log(`server under test: ${machine.server}`);
if (machine.backgroundCores > 0.25) {
  console.log(
    `WARNING: other processes are using ${machine.backgroundCores.toFixed(2)} of ${machine.cores} cores; the numbers will be pessimistic`,
  );
}
console.log(
  `pairs ${args.pairs} (Beseda operator capacity ${args.capacity}), open loop ${args.rate} msg/s × ${args.seconds} s, closed loop ${args.inflight}/pair × ${args.throughputSeconds} s, idle sockets ${args.idle}`,
);

const report: Report = {
  args,
  machine,
  raw: null,
  socketIo: null,
  beseda: null,
  idleRaw: null,
  idleSocketIo: null,
  idleBeseda: null,
  failures: [],
};

async function phase<T>(name: string, fn: () => Promise<T>): Promise<T | null> {
  console.log(`\n[${name}]`);
  try {
    return await fn();
  } catch (err) {
    // One broken phase should not hide the others' numbers; it is listed under the table.
    const msg = err instanceof Error ? (err.stack ?? err.message) : String(err);
    report.failures.push(`${name}: ${msg}`);
    console.log(`  failed: ${msg.split('\n')[0]}`);
    return null;
  }
}

if (!args.skip.has('raw'))
  report.raw = await phase('raw ws relay: messages', () => benchBaseline('raw', args));
if (!args.skip.has('socketio'))
  report.socketIo = await phase('Socket.IO relay: messages', () => benchBaseline('socketio', args));
if (!args.skip.has('beseda')) report.beseda = await phase('Beseda: messages', () => benchBeseda(args));
if (!args.skip.has('idle')) {
  if (!args.skip.has('raw'))
    report.idleRaw = await phase('raw ws relay: idle sockets', () => idleBaseline('raw', args));
  if (!args.skip.has('socketio'))
    report.idleSocketIo = await phase('Socket.IO relay: idle sockets', () => idleBaseline('socketio', args));
  report.idleBeseda = await phase('Beseda: idle sockets', () => idleBeseda(args));
}
printReport(report, (performance.now() - started) / 1000);
process.exit(0);
