import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../server/src/core/clock.js';
import { startServer, type TestServer } from '../helpers/start-server.js';
import { clientId, connectOperator, connectVisitor, type TestClient } from '../helpers/ws-client.js';

type Me = { me: { status: string } };

/**
 * Issue #8 point 2: auto-away is a routing decision on the injected clock, not the console's own timer.
 * The site's `autoAwayMinutes` is a deadline in the routing state; console `activity` frames restart it
 * and end an away it set. Every console of the operator (and every node) sees the same status.
 */
describe('auto-away decided by the server', () => {
  const clock = new FakeClock(Date.now());
  let server: TestServer;
  let tabs: TestClient[] = [];
  beforeAll(async () => {
    server = await startServer({}, { clock });
    await server.app.store.updateSite(server.site.id, { autoAwayMinutes: 2 });
    await server.app.relay.refreshSite(server.site.id);
  });
  afterAll(async () => {
    await Promise.all(tabs.map((t) => t.close()));
    await server.close();
  });

  /**
   * The node loop re-arms its timer on a promise chain after each dispatch, so a deadline can be armed
   * after `advance` returned: keep firing whatever is due now until the awaited frame arrives.
   */
  async function settle<T>(until: Promise<T>): Promise<T> {
    let done = false;
    const mark = () => {
      done = true;
    };
    void until.then(mark, mark);
    for (let i = 0; i < 400 && !done; i++) {
      clock.advance(0);
      await new Promise((r) => setTimeout(r, 10));
    }
    return until;
  }
  const awayAt = async () => {
    const me = (await server.app.store.getOperatorByEmail('owner@test.local'))!;
    return (await server.app.routingState.operator(me.id))!.awayAt;
  };
  /** A `me` frame with this status that arrives from now on. */
  const statusOf = (tab: TestClient, status: string) =>
    tab.next<Me>(
      (f) => f.type === 'me' && (f as unknown as Me).me.status === status,
      5_000,
      tab.frames.length,
    );

  it('an idle operator becomes away after the site period; input brings them back and they get the waiting chat', async () => {
    const cookie = await server.login();
    const a = await connectOperator(server.wsUrl, server.origin, cookie);
    const b = await connectOperator(server.wsUrl, server.origin, cookie);
    tabs = [a, b];
    // Activity in one tab (the other stays idle) counts for the operator, not per tab.
    const started = clock.now();
    expect(await awayAt()).toBe(started + 120_000);
    clock.advance(90_000);
    a.send({ type: 'activity' });
    a.send({ type: 'ping' });
    await a.next((f) => f.type === 'pong');
    expect(await awayAt()).toBe(started + 90_000 + 120_000);
    clock.advance(119_000);
    const awayA = statusOf(a, 'away');
    const awayB = statusOf(b, 'away');
    clock.advance(1_000);
    await settle(Promise.all([awayA, awayB]));
    // Away by inactivity is not a choice: the store keeps "online", so a routing state rebuilt from it (Redis
    // data loss) or a restart does not turn an idle spell into a chosen away that input cannot end.
    const stored = (await server.app.store.getOperatorByEmail('owner@test.local'))!;
    expect(stored.status).toBe('online');
    expect(server.app.relay.presenceOf(stored.id)).toMatchObject({ status: 'away' });
    // An admin change re-sends the stored choice with the account: it does not end the automatic away.
    await server.app.relay.setCapacity(stored.id, stored.capacity);
    expect(server.app.relay.presenceOf(stored.id)).toMatchObject({ status: 'away' });
    expect(await server.app.routingState.operator(stored.id)).toMatchObject({ autoAway: true });

    // Away: a new visitor waits in the queue.
    const { client: visitor } = await connectVisitor(server.wsUrl, server.origin);
    visitor.send({ type: 'send', clientId: clientId(), text: 'anyone there?' });
    await visitor.next((f) => f.type === 'queue');
    // The first input after the automatic away: online again, and the waiting chat is routed.
    const online = statusOf(b, 'online');
    b.send({ type: 'activity' });
    await settle(online);
    await settle(visitor.next((f) => f.type === 'assigned'));
    await visitor.close();
  });

  it('an away the operator chose is not undone by input; activity is a strict frame', async () => {
    const [a] = tabs as [TestClient];
    const away = statusOf(a, 'away');
    a.send({ type: 'status', status: 'away' });
    await settle(away);
    a.send({ type: 'activity' });
    a.send({ type: 'ping' });
    await a.next((f) => f.type === 'pong', 5_000, a.frames.length);
    expect(
      server.app.relay.presenceOf((await server.app.store.getOperatorByEmail('owner@test.local'))!.id),
    ).toMatchObject({
      status: 'away',
    });
    a.send({ type: 'activity', at: 1 });
    const err = await a.next<{ code: string }>((f) => f.type === 'error', 5_000, a.frames.length);
    expect(err.code).toBe('bad_frame');
  });
});
