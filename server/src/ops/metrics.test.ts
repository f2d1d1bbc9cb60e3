import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { channels } from './channels.js';
import type { LiveStats } from './live-stats.js';
import { metricsPlugin } from './metrics.js';

const stats: LiveStats = {
  visitorsConnected: 3,
  operatorsConnected: 2,
  sites: [{ siteId: 's1', operatorsOnline: 2, queueLength: 4, oldestWaitMs: 12_500 }],
};

async function app(token?: string) {
  const a = Fastify();
  await a.register(metricsPlugin, { liveStats: async () => stats, token, nodeId: 'n1' });
  return a;
}

/** The sample of `name` whose labels include `labels` (label order in the exposition is not fixed). */
function value(body: string, name: string, labels: Record<string, string> = {}): number {
  const line = body
    .split('\n')
    .find(
      (l) =>
        (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) &&
        Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)),
    );
  return Number(line?.split(' ').at(-1));
}

describe('metrics', () => {
  let a: Awaited<ReturnType<typeof app>>;
  afterEach(() => a.close());

  it('turns channel events into counters and histograms, and LiveStats into gauges', async () => {
    a = await app();
    channels.relayMessage.publish({ author: 'visitor' });
    channels.relayMessage.publish({ author: 'visitor' });
    channels.relayAck.publish({ ms: 3 });
    channels.relayAssigned.publish({ ms: 4, decideMs: 1, storeMs: 3, via: 'route', waitMs: 2_000 });
    channels.relayAssigned.publish({
      ms: Number.NaN,
      decideMs: 0,
      storeMs: 0,
      via: 'pick',
      waitMs: Number.NaN,
    }); // a publisher's bug is skipped
    channels.storeBatch.publish({ size: 7, ms: 1.5 });
    channels.hubPublish.publish({ kind: 'conv' });
    channels.hubReceive.publish({ kind: 'conv' });
    channels.transportError.publish({ code: 'bad_frame', via: 'ws' });
    channels.outboxBacklog.publish({ size: 5 });
    const body = (await a.inject('/metrics')).body;
    expect(value(body, 'beseda_messages_routed_total', { author: 'visitor' })).toBe(2);
    expect(value(body, 'beseda_messages_routed_total', { author: 'operator' })).toBe(0);
    expect(value(body, 'beseda_ack_latency_seconds_bucket', { le: '0.005' })).toBe(1);
    expect(value(body, 'beseda_ack_latency_seconds_bucket', { le: '0.0025' })).toBe(0);
    expect(value(body, 'beseda_assignment_seconds_sum', { via: 'route' })).toBe(0.004);
    expect(value(body, 'beseda_queue_wait_seconds_sum', { via: 'route' })).toBe(2);
    expect(value(body, 'beseda_assignment_seconds_count', { via: 'pick' })).toBe(0);
    expect(value(body, 'beseda_store_batch_size_sum')).toBe(7);
    expect(value(body, 'beseda_store_batch_seconds_sum')).toBe(0.0015);
    expect(value(body, 'beseda_hub_published_total', { kind: 'conv' })).toBe(1);
    expect(value(body, 'beseda_hub_received_total', { kind: 'conv' })).toBe(1);
    expect(value(body, 'beseda_errors_total', { code: 'bad_frame', via: 'ws' })).toBe(1);
    expect(value(body, 'beseda_outbox_backlog')).toBe(5);
    expect(value(body, 'beseda_visitors_connected')).toBe(3);
    expect(value(body, 'beseda_operators_connected')).toBe(2);
    expect(value(body, 'beseda_operators_online', { site: 's1' })).toBe(2);
    expect(value(body, 'beseda_queue_length', { site: 's1' })).toBe(4);
    expect(value(body, 'beseda_queue_oldest_wait_seconds', { site: 's1' })).toBe(12.5);
    expect(body).toContain('nodejs_eventloop_lag_seconds');
    expect(body).toContain('process_resident_memory_bytes');
  });

  it('has every series the example Grafana dashboard queries', async () => {
    a = await app();
    const body = (await a.inject('/metrics')).body;
    const dashboard = readFileSync(new URL('../../../docs/grafana-dashboard.json', import.meta.url), 'utf8');
    const used = new Set(dashboard.match(/\b(beseda|nodejs|process)_[a-z0-9_]+/g));
    expect(used.size).toBeGreaterThan(10);
    // Declared (# TYPE) is what counts: a labelled counter has no sample before its first event.
    for (const name of used)
      expect(body, name).toMatch(new RegExp(`^# TYPE ${name.replace(/_(bucket|sum|count)$/, '')} `, 'm'));
  });

  it('stops listening when the app closes', async () => {
    a = await app();
    await a.close();
    expect(channels.relayAck.hasSubscribers).toBe(false);
    a = await app();
  });

  it('needs the bearer token when one is configured', async () => {
    a = await app('metrics-token-0123456789');
    expect((await a.inject('/metrics')).statusCode).toBe(401);
    const wrong = await a.inject({
      url: '/metrics',
      headers: { authorization: 'Bearer metrics-token-012345678X' },
    });
    expect(wrong.statusCode).toBe(401);
    const ok = await a.inject({
      url: '/metrics',
      headers: { authorization: 'Bearer metrics-token-0123456789' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toContain('text/plain');
  });
});
