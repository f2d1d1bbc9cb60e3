import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ROOT } from './children.js';

/**
 * Summarises a V8 .cpuprofile written by `run.ts --cpu-prof DIR`: self time by function and by package,
 * so the hot spots can be read without opening DevTools.
 *   tsx scripts/bench/profile-summary.ts DIR/beseda-pairs.cpuprofile [top]
 */
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: Node[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: tsx scripts/bench/profile-summary.ts FILE.cpuprofile [top]');
  process.exit(2);
}
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));

// Self time per node from the sample stream (timeDeltas are µs before each sample).
const selfUs = new Map<number, number>();
profile.samples.forEach((id, k) => {
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[k] ?? 0));
});
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

const where = (url: string): string => {
  if (!url) return '(native)';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) return path.slice(nm + 'node_modules/'.length).replace(/^\.pnpm\/[^/]+\/node_modules\//, '');
  return path.startsWith('/') ? relative(ROOT, path) : path;
};
const pkg = (url: string): string => {
  const w = where(url);
  if (!url) return '(native / GC / idle)';
  if (w.startsWith('node:')) return 'node core';
  const m = /^(@[^/]+\/[^/]+|[^/]+)\//.exec(w);
  return url.includes('node_modules') && m ? m[1]! : w.split('/').slice(0, 2).join('/');
};

const fnTotals = new Map<string, number>();
const pkgTotals = new Map<string, number>();
for (const [id, us] of selfUs) {
  const n = byId.get(id);
  if (!n) continue;
  const { functionName, url, lineNumber } = n.callFrame;
  const key = `${functionName || '(anonymous)'}  ${where(url)}${url ? `:${lineNumber + 1}` : ''}`;
  fnTotals.set(key, (fnTotals.get(key) ?? 0) + us);
  pkgTotals.set(pkg(url), (pkgTotals.get(pkg(url)) ?? 0) + us);
}

const show = (title: string, m: Map<string, number>, k: number) => {
  console.log(`\n${title}`);
  for (const [name, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, k)) {
    console.log(
      `${((us / total) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`,
    );
  }
};
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled`);
show('self time by package/area', pkgTotals, 15);
show('self time by function', fnTotals, top);
