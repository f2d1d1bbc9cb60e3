import { expect, it } from 'vitest';
import { expectCaughtUp, expectStoredOnce } from './harness/checks.js';
import { closeAll, type OperatorClient, type VisitorClient } from './harness/clients.js';
import { withCluster } from './harness/cluster.js';
import { killPubsubOf, pubsubClientsOf } from './harness/redis-tools.js';
import { clusterDescribe } from './harness/services.js';
import { openConsole, openVisitor } from './harness/session.js';
import { waitFor, within } from './harness/wait.js';

/**
 * Issue #8, test 7: pub/sub is at-most-once. When a node's subscription drops mid-burst, what it missed
 * comes from the store (the node catches its conversations up; clients fill gaps), in order.
 */
await clusterDescribe('subscriber blip', () => {
  it('CLIENT KILL TYPE pubsub during a 100-message burst: all 100 delivered in order', async () => {
    await withCluster({ nodes: 2 }, async (c) => {
      const [n1, n2] = [c.node('n1'), c.node('n2')];
      const ann = await c.createOperator(n1, 'Ann', 1);
      let op: OperatorClient | null = null;
      let v: VisitorClient | null = null;
      try {
        op = await openConsole(c, n2, ann);
        v = await openVisitor(n1, 'visitor');
        await v.send('hi');
        const conv = await waitFor('the chat to reach Ann', () =>
          op!.chats.has(v!.conversationId ?? '') ? v!.conversationId! : undefined,
        );
        const pids = c.nodes.map((n) => n.pid!);
        expect(
          (await pubsubClientsOf(c.redis!, pids)).length,
          'each node subscribes to Redis pub/sub',
        ).toBeGreaterThanOrEqual(2);

        // The whole burst is pipelined; the subscriptions are cut once a third of it is acked.
        const burst = Array.from({ length: 100 }, (_, i) => op!.send(conv, `burst ${i}`));
        await waitFor('30 acks', () => op!.acks.size >= 30, { timeoutMs: 10_000 });
        const killed = await killPubsubOf(c.redis!, pids);
        expect(killed).toBeGreaterThanOrEqual(1);
        const acks = await within('all 100 acks', Promise.all(burst));
        await expectStoredOnce(
          c,
          conv,
          acks.map((a) => a.clientId as string),
        );
        // Nothing follows the burst, so no later frame reveals a gap: the node itself must catch up.
        const stored = await expectCaughtUp(c, v, conv, 'visitor', 10_000);
        const burstSeen = v
          .timeline(conv)
          .appliedOrder.map((s) => v!.timeline(conv).held.get(s)!.text)
          .filter((t) => t.startsWith('burst '));
        expect(burstSeen).toEqual(Array.from({ length: 100 }, (_, i) => `burst ${i}`));
        expect(stored.filter((m) => m.text.startsWith('burst '))).toHaveLength(100);
        await expectCaughtUp(c, op, conv, 'operator');
        // The nodes resubscribed: a message after the blip arrives live again.
        const before = v.frames.length;
        await op.send(conv, 'after the blip');
        await v.next(
          (f) => f.type === 'message' && (f.message as { text: string }).text === 'after the blip',
          5_000,
          before,
        );
      } finally {
        await closeAll(op, v);
      }
    });
  });
});
