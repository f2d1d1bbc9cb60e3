import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../server/src/core/clock.js';
import { startServer, type TestServer } from '../helpers/start-server.js';
import { clientId, connectOperator, connectVisitor } from '../helpers/ws-client.js';

/** The sample of `name` whose labels include `labels`. */
function sample(body: string, name: string, labels: Record<string, string> = {}): number {
  const line = body
    .split('\n')
    .find(
      (l) =>
        (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) &&
        Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)),
    );
  return Number(line?.split(' ').at(-1));
}

describe('/metrics after real chats', () => {
  let server: TestServer;
  let clock: FakeClock;
  beforeEach(async () => {
    clock = new FakeClock(Date.now());
    server = await startServer({}, { clock });
  });
  afterEach(() => server.close());

  const scrape = async () => (await fetch(`${server.origin}/metrics`)).text();

  it('reports connections, operators online, the queue and its oldest wait per site, and HTTP errors by code', async () => {
    const site = { site: server.site.id };
    let body = await scrape();
    expect(sample(body, 'beseda_visitors_connected')).toBe(0);
    expect(sample(body, 'beseda_operators_online', site)).toBe(0);

    // One operator with capacity 1: the first visitor is served, the second waits.
    const alice = await server.createOperator('Alice', 1);
    const op = await connectOperator(
      server.wsUrl,
      server.origin,
      await server.login(alice.email, alice.password),
    );
    const served = await connectVisitor(server.wsUrl, server.origin);
    served.client.send({ type: 'send', clientId: clientId(), text: 'first' });
    await served.client.next((f) => f.type === 'assigned');
    const waiting = await connectVisitor(server.wsUrl, server.origin);
    const cid = clientId();
    waiting.client.send({ type: 'send', clientId: cid, text: 'second' });
    await waiting.client.next((f) => f.type === 'ack' && f.clientId === cid);

    clock.advance(42_000);
    body = await scrape();
    expect(sample(body, 'beseda_visitors_connected')).toBe(2);
    expect(sample(body, 'beseda_operators_connected')).toBe(1);
    expect(sample(body, 'beseda_operators_online', site)).toBe(1);
    expect(sample(body, 'beseda_queue_length', site)).toBe(1);
    expect(sample(body, 'beseda_queue_oldest_wait_seconds', site)).toBe(42);
    // Published by the relay on the diagnostics channels.
    expect(sample(body, 'beseda_messages_routed_total', { author: 'visitor' })).toBe(2);
    expect(sample(body, 'beseda_assignment_seconds_count', { via: 'route' })).toBe(1);
    expect(sample(body, 'beseda_hub_published_total', { kind: 'conv' })).toBeGreaterThan(0);

    const bad = await fetch(`${server.origin}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 42 }),
    });
    expect(bad.status).toBe(400);
    body = await scrape();
    expect(sample(body, 'beseda_errors_total', { code: 'validation', via: 'http' })).toBe(1);
    for (const series of [
      'beseda_messages_routed_total',
      'beseda_ack_latency_seconds_bucket',
      'beseda_assignment_seconds_bucket',
      'beseda_queue_wait_seconds_bucket',
      'beseda_store_batch_size_bucket',
      'beseda_store_batch_seconds_bucket',
      'beseda_hub_published_total',
      'beseda_hub_received_total',
      'beseda_outbox_backlog',
      'nodejs_eventloop_lag_seconds',
      'process_cpu_seconds_total',
    ])
      expect(body, series).toContain(series);

    await Promise.all([op.close(), served.client.close(), waiting.client.close()]);
    // The server sees the closes a moment after the clients do.
    for (;;) {
      body = await scrape();
      if (sample(body, 'beseda_visitors_connected') + sample(body, 'beseda_operators_connected') === 0) break;
    }
  });
});
