import { Ledger, type PairSet } from './ledger.js';
import { CpuMeter, MachineMeter } from './proc.js';
import { percentiles, sleep, until } from './stats.js';

export interface PhaseResult {
  sent: number;
  delivered: number;
  /** Delivered messages per second over the measured window. */
  msgPerSec: number;
  p50: number;
  p99: number;
  max: number;
  acked: number;
  duplicates: number;
  /** CPU use of the server child and of this load generator during the window, in cores. */
  serverCores: number;
  loadgenCores: number;
  /** CPU used by everything else on the machine in the same window (other jobs skew the numbers). */
  otherCores: number;
  ledger: Ledger;
}

/**
 * How long to wait for stragglers after the last send before reporting the rest as undelivered. Long
 * enough for an open loop somewhat above the server's capacity to drain, so a slow server shows up as
 * latency rather than as loss.
 */
const DRAIN_MS = 30_000;

function wire(set: PairSet, ledger: Ledger, onDelivered?: (p: number) => void): void {
  set.onDeliver = (phase, i, p, at) => {
    if (phase !== ledger.code) return; // a straggler from an earlier phase
    if (ledger.deliver(i, at)) onDelivered?.(p);
  };
  set.onAck = (phase, i) => {
    if (phase === ledger.code) ledger.ack(i);
  };
}

/**
 * Open loop: messages leave at a fixed total rate whatever the server does (round-robin over pairs), so
 * a slow server shows up as growing latency rather than as a politely reduced offered load.
 */
export async function openLoop(
  set: PairSet,
  serverPid: number,
  rate: number,
  seconds: number,
): Promise<PhaseResult> {
  const total = Math.round(rate * seconds);
  const ledger = new Ledger('l', total);
  wire(set, ledger);
  const server = new CpuMeter(serverPid);
  const self = new CpuMeter(process.pid);
  const machine = new MachineMeter();
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      const due = Math.min(total, Math.floor(((now - start) / 1000) * rate));
      while (ledger.sent < due) {
        const p = ledger.sent % set.size;
        set.send(p, ledger, ledger.take(now, p));
      }
      if (ledger.sent >= total) {
        clearInterval(timer);
        resolve();
      }
    };
    // 1 ms ticks: at 5,000 msg/s that is bursts of ~5, close enough to an even spread.
    const timer = setInterval(tick, 1);
  });
  const sendSeconds = (performance.now() - start) / 1000;
  await until(() => ledger.delivered >= ledger.sent, DRAIN_MS);
  const serverCores = server.coresUsed();
  const loadgenCores = self.coresUsed();
  const otherCores = Math.max(0, machine.coresUsed() - serverCores - loadgenCores);
  const [p50, p99, max] = percentiles(ledger.latencies, ledger.delivered, [50, 99, 100]);
  if (set.acks) await until(() => ledger.ackCount >= ledger.delivered, 2000);
  return {
    sent: ledger.sent,
    delivered: ledger.delivered,
    msgPerSec: ledger.delivered / sendSeconds,
    p50: p50!,
    p99: p99!,
    max: max!,
    acked: ledger.ackCount,
    duplicates: ledger.duplicates,
    serverCores,
    loadgenCores,
    otherCores,
    ledger,
  };
}

/**
 * Closed loop: every pair keeps `inflight` messages outstanding and sends the next one the moment the
 * operator got one, so the relay runs as fast as it can. Throughput = deliveries inside the window after
 * a warm-up; latency is that of saturation, reported for context only.
 */
export async function closedLoop(
  set: PairSet,
  serverPid: number,
  inflight: number,
  seconds: number,
  warmupSeconds = 1,
): Promise<PhaseResult> {
  const ledger = new Ledger('t', 2_000_000);
  let running = true;
  const sendFrom = (p: number) => {
    const i = ledger.take(performance.now(), p);
    if (i >= 0) set.send(p, ledger, i);
  };
  wire(set, ledger, (p) => {
    if (running) sendFrom(p);
  });
  for (let k = 0; k < inflight; k++) for (let p = 0; p < set.size; p++) sendFrom(p);
  await sleep(warmupSeconds * 1000);
  const fromDelivered = ledger.delivered;
  const server = new CpuMeter(serverPid);
  const self = new CpuMeter(process.pid);
  const machine = new MachineMeter();
  const start = performance.now();
  await sleep(seconds * 1000);
  const windowSeconds = (performance.now() - start) / 1000;
  const inWindow = ledger.delivered - fromDelivered;
  const serverCores = server.coresUsed();
  const loadgenCores = self.coresUsed();
  const otherCores = Math.max(0, machine.coresUsed() - serverCores - loadgenCores);
  running = false;
  await until(() => ledger.delivered >= ledger.sent, DRAIN_MS);
  const window = ledger.latencies.subarray(fromDelivered, fromDelivered + inWindow);
  const [p50, p99, max] = percentiles(window, inWindow, [50, 99, 100]);
  if (set.acks) await until(() => ledger.ackCount >= ledger.delivered, 2000);
  return {
    sent: ledger.sent,
    delivered: ledger.delivered,
    msgPerSec: inWindow / windowSeconds,
    p50: p50!,
    p99: p99!,
    max: max!,
    acked: ledger.ackCount,
    duplicates: ledger.duplicates,
    serverCores,
    loadgenCores,
    otherCores,
    ledger,
  };
}
