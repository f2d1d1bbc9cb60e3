import { readdirSync, readFileSync } from 'node:fs';

/** Linux /proc readings of a child: what `ps` would show, without a dependency. */

export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!m?.[1]) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) * 1024;
}

/** User+system CPU seconds the process (all its threads) has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name is in parentheses and may contain spaces; fields are counted after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / 100; // USER_HZ is 100 on Linux x86_64
}

export function openFds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** The soft and hard open-file limits of a process. */
export function fdLimit(pid: number | 'self'): { soft: number; hard: number } {
  const limits = readFileSync(`/proc/${pid}/limits`, 'utf8');
  const m = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(limits);
  const n = (s: string | undefined) =>
    s === 'unlimited' || s === undefined ? Number.POSITIVE_INFINITY : Number(s);
  return { soft: n(m?.[1]), hard: n(m?.[2]) };
}

/** CPU use of a process between two points, as a share of one core. */
export class CpuMeter {
  private readonly startCpu: number;
  private readonly startAt = performance.now();
  constructor(private readonly pid: number) {
    this.startCpu = cpuSeconds(pid);
  }
  /** Fraction of one core used since construction (1.0 = one core saturated). */
  coresUsed(): number {
    const elapsed = (performance.now() - this.startAt) / 1000;
    return elapsed > 0 ? (cpuSeconds(this.pid) - this.startCpu) / elapsed : 0;
  }
}

/** CPU seconds the whole machine spent busy (all cores, every process), from /proc/stat. */
export function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  // cpu user nice system idle iowait irq softirq steal …: busy = everything but idle and iowait.
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = (f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0);
  return busy / 100;
}

/** Whole-machine CPU use between two points, in cores, to expose other processes competing with the bench. */
export class MachineMeter {
  private readonly startBusy = machineBusySeconds();
  private readonly startAt = performance.now();
  coresUsed(): number {
    const elapsed = (performance.now() - this.startAt) / 1000;
    return elapsed > 0 ? (machineBusySeconds() - this.startBusy) / elapsed : 0;
  }
}
