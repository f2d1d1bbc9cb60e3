import { timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import { ERRORS } from '@beseda/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { channels } from './channels.js';
import type { LiveStatsSource } from './live-stats.js';

// Same relative path from src/ops and dist/ops.
const VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

/**
 * Prometheus metrics at GET /metrics. Counters and histograms are fed by the diagnostics channels (the
 * live path publishes, only this module knows prom-client); gauges are read from `liveStats` at scrape time.
 * Each app has its own registry, so several apps in one process (tests) do not collide.
 */
export const metricsPlugin = fp<{ liveStats: LiveStatsSource; token: string | undefined; nodeId: string }>(
  async (app, opts) => {
    const register = new Registry();
    register.setDefaultLabels({ node: opts.nodeId });
    // Process CPU, memory, GC, handles, and event-loop lag (nodejs_eventloop_lag_* from monitorEventLoopDelay).
    collectDefaultMetrics({ register, eventLoopMonitoringPrecision: 10 });
    const unsubscribe = instrument(register);
    liveGauges(register, opts.liveStats);
    new Gauge({
      name: 'beseda_info',
      help: 'Build information (always 1)',
      labelNames: ['version'],
      registers: [register],
    }).set({ version: VERSION }, 1);

    app.get('/metrics', { logLevel: 'warn' }, async (req, reply) => {
      if (opts.token && !bearerMatches(req, opts.token)) return unauthorized(reply);
      const body = await register.metrics();
      return reply
        .header('content-type', register.contentType)
        .header('cache-control', 'no-store')
        .send(body);
    });
    app.addHook('onClose', async () => {
      unsubscribe();
      register.clear();
    });
  },
  { name: 'ops-metrics' },
);

function bearerMatches(req: FastifyRequest, token: string): boolean {
  const header = req.headers.authorization ?? '';
  const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

function unauthorized(reply: FastifyReply) {
  return reply
    .code(401)
    .header('www-authenticate', 'Bearer realm="metrics"')
    .send({ error: 'unauthorized', message: ERRORS.unauthorized.message });
}

const MS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** Observes a millisecond figure in seconds; a missing or non-finite one (a publisher's bug) is skipped. */
function seconds(ms: number | undefined, observe: (s: number) => void): void {
  if (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0) observe(ms / 1000);
}

/** Subscribes the counters and histograms to the channels; returns one function that unsubscribes all. */
function instrument(register: Registry): () => void {
  const registers = [register];
  const routed = new Counter({
    name: 'beseda_messages_routed_total',
    help: 'Messages stored and delivered, by author',
    labelNames: ['author'],
    registers,
  });
  const ack = new Histogram({
    name: 'beseda_ack_latency_seconds',
    help: 'Client send → ack written (includes the durable store write)',
    buckets: MS_BUCKETS,
    registers,
  });
  const assignment = new Histogram({
    name: 'beseda_assignment_seconds',
    help: 'Routing decision → assignment stored and confirmed, by how the chat was assigned',
    labelNames: ['via'],
    buckets: MS_BUCKETS,
    registers,
  });
  const queueWait = new Histogram({
    name: 'beseda_queue_wait_seconds',
    help: 'Visitor enqueued → operator assigned, by how the chat was assigned (0 for transfers)',
    labelNames: ['via'],
    buckets: [0.1, 1, 5, 15, 30, 60, 120, 300, 600, 1800],
    registers,
  });
  const batchSize = new Histogram({
    name: 'beseda_store_batch_size',
    help: 'Writes per group commit',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
    registers,
  });
  const batchTime = new Histogram({
    name: 'beseda_store_batch_seconds',
    help: 'Duration of one group commit',
    buckets: MS_BUCKETS,
    registers,
  });
  const published = new Counter({
    name: 'beseda_hub_published_total',
    help: 'Payloads published to the hub, by topic family',
    labelNames: ['kind'],
    registers,
  });
  const received = new Counter({
    name: 'beseda_hub_received_total',
    help: 'Payloads received from the hub, by topic family',
    labelNames: ['kind'],
    registers,
  });
  const errors = new Counter({
    name: 'beseda_errors_total',
    help: 'Errors answered to clients, by error code and transport',
    labelNames: ['code', 'via'],
    registers,
  });
  const backlog = new Gauge({
    name: 'beseda_outbox_backlog',
    help: 'Stored but not yet published messages (cluster outbox)',
    registers,
  });
  backlog.set(0);
  // Known label values start at 0, so rate() works from the first scrape and dashboards show the series.
  for (const author of ['visitor', 'operator', 'note', 'system']) routed.labels(author).inc(0);
  for (const via of ['route', 'pick', 'transfer']) {
    assignment.zero({ via });
    queueWait.zero({ via });
  }
  for (const kind of ['conv', 'visitor', 'op', 'site-ops']) {
    published.labels(kind).inc(0);
    received.labels(kind).inc(0);
  }
  const subscriptions = [
    channels.relayMessage.subscribe((e) => routed.inc({ author: e.author })),
    channels.relayAck.subscribe((e) => seconds(e.ms, (s) => ack.observe(s))),
    channels.relayAssigned.subscribe((e) => {
      seconds(e.ms, (s) => assignment.observe({ via: e.via }, s));
      seconds(e.waitMs, (s) => queueWait.observe({ via: e.via }, s));
    }),
    channels.storeBatch.subscribe((e) => {
      if (Number.isFinite(e.size)) batchSize.observe(e.size);
      seconds(e.ms, (s) => batchTime.observe(s));
    }),
    channels.hubPublish.subscribe((e) => published.inc({ kind: e.kind })),
    channels.hubReceive.subscribe((e) => received.inc({ kind: e.kind })),
    channels.transportError.subscribe((e) => errors.inc({ code: e.code, via: e.via })),
    channels.outboxBacklog.subscribe((e) => {
      if (Number.isFinite(e.size)) backlog.set(e.size);
    }),
  ];
  return () => {
    for (const off of subscriptions) off();
  };
}

/** Gauges computed at scrape time from one LiveStats snapshot (read once per scrape, shared by all). */
function liveGauges(register: Registry, source: LiveStatsSource): void {
  let pending: ReturnType<LiveStatsSource> | null = null;
  // The four per-site gauges and two node gauges collect in the same scrape: share one snapshot.
  const snapshot = () => {
    pending ??= source().finally(() => {
      pending = null;
    });
    return pending;
  };
  const registers = [register];
  new Gauge({
    name: 'beseda_visitors_connected',
    help: 'Visitor sockets open on this node',
    registers,
    async collect() {
      this.set((await snapshot()).visitorsConnected);
    },
  });
  new Gauge({
    name: 'beseda_operators_connected',
    help: 'Operator console sockets open on this node',
    registers,
    async collect() {
      this.set((await snapshot()).operatorsConnected);
    },
  });
  const perSite = (
    name: string,
    help: string,
    pick: (s: Awaited<ReturnType<LiveStatsSource>>['sites'][number]) => number,
  ) =>
    new Gauge({
      name,
      help,
      labelNames: ['site'],
      registers,
      async collect() {
        this.reset();
        for (const site of (await snapshot()).sites) this.set({ site: site.siteId }, pick(site));
      },
    });
  perSite(
    'beseda_operators_online',
    'Operators online per site (installation-wide)',
    (s) => s.operatorsOnline,
  );
  perSite('beseda_queue_length', 'Visitors waiting per site (installation-wide)', (s) => s.queueLength);
  perSite(
    'beseda_queue_oldest_wait_seconds',
    'Wait of the longest-waiting visitor per site (installation-wide)',
    (s) => s.oldestWaitMs / 1000,
  );
}
