import type { BenchArgs } from './args.js';
import type { IdleResult } from './idle.js';
import type { PhaseResult } from './load.js';
import type { RelayResult } from './relays.js';

export interface Report {
  args: BenchArgs;
  machine: {
    cores: number;
    cpu: string;
    memGiB: number;
    node: string;
    fdLimit: { soft: number; hard: number };
    /** Cores other processes used just before the run: a busy machine makes every number worse. */
    backgroundCores: number;
    server: string;
  };
  raw: RelayResult | null;
  socketIo: RelayResult | null;
  beseda: RelayResult | null;
  idleRaw: IdleResult | null;
  idleSocketIo: IdleResult | null;
  idleBeseda: IdleResult | null;
  failures: string[];
}

/** DESIGN.md §6; the Socket.IO ratio is issue #14's. */
export const BUDGET = {
  throughputRatio: 0.7,
  socketIoRatio: 2.5,
  p99Ms: 25,
  bytesPerSocket: 15 * 1024,
} as const;

const ms = (v: number | undefined) =>
  v === undefined || Number.isNaN(v) ? '—' : v < 10 ? v.toFixed(2) : v.toFixed(1);
const int = (v: number | undefined) =>
  v === undefined || Number.isNaN(v) ? '—' : Math.round(v).toLocaleString('en-US');
const kb = (bytes: number | undefined) =>
  bytes === undefined || Number.isNaN(bytes) ? '—' : `${(bytes / 1024).toFixed(1)} KB`;
const mb = (bytes: number | undefined) => (bytes === undefined ? '—' : `${(bytes / 2 ** 20).toFixed(0)} MB`);
const pct = (v: number) => `${(v * 100).toFixed(0)} %`;
const verdict = (ok: boolean | null) => (ok === null ? 'NOT MEASURED' : ok ? 'ok' : 'OVER BUDGET');

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => `| ${r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`).join('\n');
}

/** Cores used by the server / the load generator / everything else on the machine during a phase. */
const cpu = (r: PhaseResult | null | undefined) =>
  r ? `${r.serverCores.toFixed(2)} / ${r.loadgenCores.toFixed(2)} / ${r.otherCores.toFixed(2)}` : '—';

function relayRows(r: RelayResult | null, name: string): string[][] {
  const l: PhaseResult | null | undefined = r?.latency;
  const t: PhaseResult | null | undefined = r?.throughput;
  return [
    [
      name,
      r ? `${r.pairsUp}/${r.pairsWanted}` : '—',
      r ? r.setupSeconds.toFixed(1) : '—',
      l ? `${int(l.delivered)}/${int(l.sent)}` : '—',
      ms(l?.p50),
      ms(l?.p99),
      ms(l?.max),
      int(t?.msgPerSec),
      t && t.msgPerSec > 0 ? int((t.serverCores / t.msgPerSec) * 1e6) : '—',
      ms(t?.p99),
      cpu(l),
      cpu(t),
    ],
  ];
}

export function printReport(rep: Report, seconds: number): void {
  const { raw, socketIo, beseda, args } = rep;
  const lines: string[] = [];
  lines.push(
    '',
    `## Routed messages (${args.pairs} pairs, ${args.rate} msg/s open loop, closed loop ${args.inflight} in flight/pair;` +
      ` Beseda: ${Math.ceil(args.pairs / args.capacity)} operators × capacity ${args.capacity})`,
    '',
  );
  lines.push(
    table([
      [
        'relay',
        'pairs up',
        'setup s',
        'open loop delivered',
        'p50 ms',
        'p99 ms',
        'max ms',
        'max msg/s (closed)',
        'server CPU µs/msg²',
        'p99 ms at max',
        'CPU open loop¹',
        'CPU closed loop¹',
      ],
      ['---', '---', '---', '---', '---', '---', '---', '---', '---', '---', '---', '---'],
      ...relayRows(raw, 'raw ws relay'),
      ...relayRows(socketIo, 'Socket.IO relay'),
      ...relayRows(beseda, 'Beseda'),
    ]),
    '',
    `¹ cores used by the server / this load generator / all other processes during the phase (${rep.machine.cores} in total).`,
    '² server CPU time per delivered message in the closed loop: what a message costs, whatever else ran on the machine.',
  );

  const ratioTo = (base: RelayResult | null) =>
    base?.throughput && beseda?.throughput ? beseda.throughput.msgPerSec / base.throughput.msgPerSec : null;
  // The same comparison from CPU cost per message, which other load on the machine does not skew.
  const usPerMsg = (t: PhaseResult | null | undefined) =>
    t && t.msgPerSec > 0 ? t.serverCores / t.msgPerSec : null;
  const besedaUs = usPerMsg(beseda?.throughput);
  const cpuRatioTo = (base: RelayResult | null) => {
    const baseUs = usPerMsg(base?.throughput);
    return baseUs !== null && besedaUs !== null && besedaUs > 0 ? baseUs / besedaUs : null;
  };
  const ratio = ratioTo(raw);
  const cpuRatio = cpuRatioTo(raw);
  const sioRatio = ratioTo(socketIo);
  const sioCpuRatio = cpuRatioTo(socketIo);
  const times = (v: number) => `${v.toFixed(2)}×`;
  const fullLoad = beseda ? beseda.pairsUp >= args.pairs && args.rate >= 5000 : false;
  const p99 = beseda?.latency?.p99;
  const lost = beseda?.latency ? beseda.latency.sent - beseda.latency.delivered : null;
  const p99Ok = p99 === undefined ? null : p99 <= BUDGET.p99Ms && lost === 0;
  const st = beseda?.stored;
  const durable = st && st.sentTotal > 0 ? st.missingAcked === 0 : null;

  const idleRows = [
    ['server', 'sockets', 'RSS before', 'RSS after', 'per socket', 'connect s'],
    ['---', '---', '---', '---', '---', '---'],
    ...(
      [
        ['raw ws relay', rep.idleRaw],
        ['Socket.IO relay', rep.idleSocketIo],
        ['Beseda', rep.idleBeseda],
      ] as const
    ).map(([name, r]) => [
      name,
      r ? `${int(r.connected)}/${int(r.requested)}` : '—',
      mb(r?.rssBefore),
      mb(r?.rssAfter),
      kb(r?.bytesPerSocket),
      r ? r.connectSeconds.toFixed(1) : '—',
    ]),
  ];
  lines.push('', '## Idle visitor sockets', '', table(idleRows));
  const perSocket = rep.idleBeseda?.bytesPerSocket;
  const memOk =
    perSocket === undefined || Number.isNaN(perSocket) ? null : perSocket <= BUDGET.bytesPerSocket;

  lines.push('', '## Budgets (DESIGN.md §6)', '');
  lines.push(
    table([
      ['budget', 'measured', 'verdict'],
      ['---', '---', '---'],
      [
        'Beseda msg/s ≥ 70 % of raw ws',
        ratio === null
          ? '—'
          : `${pct(ratio)} (${int(beseda?.throughput?.msgPerSec)} vs ${int(raw?.throughput?.msgPerSec)} msg/s)` +
            (cpuRatio === null ? '' : `; by server CPU per message ${pct(cpuRatio)}`),
        verdict(ratio === null ? null : ratio >= BUDGET.throughputRatio),
      ],
      [
        `Beseda msg/s ≥ ${BUDGET.socketIoRatio}× Socket.IO`,
        sioRatio === null
          ? '—'
          : `${times(sioRatio)} (${int(beseda?.throughput?.msgPerSec)} vs ${int(socketIo?.throughput?.msgPerSec)} msg/s)` +
            (sioCpuRatio === null ? '' : `; by server CPU per message ${times(sioCpuRatio)}`),
        verdict(sioRatio === null ? null : sioRatio >= BUDGET.socketIoRatio),
      ],
      [
        `p99 visitor→operator ≤ ${BUDGET.p99Ms} ms at 5,000 msg/s, 5,000 pairs`,
        p99 === undefined
          ? '—'
          : `${ms(p99)} ms at ${args.rate} msg/s, ${beseda?.pairsUp} pairs${lost ? `, ${lost} not delivered` : ''}${fullLoad ? '' : ' (not the budget load)'}`,
        fullLoad || p99Ok === null ? verdict(p99Ok) : `${verdict(p99Ok)} (reduced load)`,
      ],
      [
        'every message durably stored',
        st
          ? `${int(st.stored)}/${int(st.sentTotal)} sent found in SQLite after stop; acked missing: ${st.missingAcked}`
          : '—',
        verdict(durable),
      ],
      [
        'idle socket ≤ 15 KB (20,000 in ≤ 400 MB)',
        perSocket === undefined ? '—' : `${kb(perSocket)} × ${int(rep.idleBeseda?.connected)} sockets`,
        verdict(memOk),
      ],
    ]),
  );

  const notes: string[] = [];
  for (const r of [raw, socketIo, beseda]) {
    if (r?.setupNote) notes.push(`${r.name}: ${r.setupNote}`);
    if (r?.loadNote) notes.push(`${r.name}: ${r.loadNote}`);
    if (r && r.errors.count > 0)
      notes.push(`${r.name}: ${r.errors.count} error frames after setup, first: ${r.errors.first}`);
    if (r?.latency && r.latency.duplicates > 0)
      notes.push(`${r.name}: ${r.latency.duplicates} duplicate deliveries`);
  }
  if (beseda?.loginOk === false) notes.push('Beseda: the REST login check failed');
  for (const r of [rep.idleRaw, rep.idleSocketIo, rep.idleBeseda]) {
    if (r?.limitNote) notes.push(`idle: ${r.limitNote}`);
    if (r?.firstError) notes.push(`idle: ${r.failed} failed, first: ${r.firstError}`);
  }
  for (const f of rep.failures) notes.push(`phase failed: ${f}`);
  if (notes.length) lines.push('', 'Notes:', ...notes.map((n) => `- ${n}`));
  lines.push('', `Finished in ${seconds.toFixed(0)} s.`);
  console.log(lines.join('\n'));
}
