import { expect, it } from 'vitest';
import { expectCaughtUp } from './harness/checks.js';
import { closeAll, type OperatorClient, type VisitorClient } from './harness/clients.js';
import { withCluster } from './harness/cluster.js';
import { demoSiteId, redisRouting } from './harness/routing-state.js';
import { clusterDescribe } from './harness/services.js';
import { openConsole, openVisitor } from './harness/session.js';
import { holdsFor, waitFor } from './harness/wait.js';

const GRACE_MS = 3_000;
const LEASE_MS = 4_000;
const env = {
  OPERATOR_GRACE_MS: String(GRACE_MS),
  NODE_LEASE_MS: String(LEASE_MS),
  NODE_HEARTBEAT_MS: '1000',
};

/** Issue #8, test 4: SIGKILL of the node an operator's console is on. */
await clusterDescribe('the operator’s node is killed', () => {
  it('an operator who reconnects to another node within the grace period keeps their chats', async () => {
    await withCluster({ env }, async (c) => {
      const [n1, n2, n3] = c.trio();
      const ann = await c.createOperator(n1, 'Ann', 2);
      let op: OperatorClient | null = null;
      const visitors: VisitorClient[] = [];
      try {
        op = await openConsole(c, n3, ann);
        visitors.push(await openVisitor(n1, 'v1'), await openVisitor(n2, 'v2'));
        for (const v of visitors) await v.send(`hi from ${v.label}`);
        await waitFor('both chats assigned to Ann', () => visitors.every((v) => v.operatorId === ann.id));
        const convs = visitors.map((v) => v.conversationId!);
        // The console reconnects by itself, as the real one does, to a node that is still alive.
        op.autoReconnect(() => n1);
        await n3.kill();
        await op.waitReady();
        expect(op.node).toBe(n1);
        // Past node death detection and the whole grace period: nobody was requeued or told anything.
        await holdsFor(
          'both chats staying with Ann',
          LEASE_MS + GRACE_MS + 1_500,
          async () => {
            const rows = (await c.conversations()).filter((x) => convs.includes(x.id));
            return rows.every((r) => r.status === 'active' && r.operatorId === ann.id);
          },
          () => visitors.map((v) => [v.status, v.position]),
        );
        expect(visitors.map((v) => v.positions.length)).toEqual([0, 0]);
        expect((await c.events('enqueued')).length).toBe(2);
        expect([...op.chats.keys()].sort()).toEqual([...convs].sort());
        // And the chats still work both ways through the surviving nodes.
        for (const [i, conv] of convs.entries()) {
          await op.send(conv, `still here ${i}`);
          await visitors[i]!.send(`great ${i}`);
          await expectCaughtUp(c, visitors[i]!, conv, 'visitor');
          await expectCaughtUp(c, op, conv, 'operator');
        }
      } finally {
        await closeAll(op, ...visitors);
      }
    });
  });

  it('an operator who does not come back in time loses the chats: they are requeued at their original positions and the visitors are told', async () => {
    await withCluster({ env }, async (c) => {
      const [n1, n2, n3] = c.trio();
      const ann = await c.createOperator(n1, 'Ann', 2);
      // Stays online with no free capacity so the requeued chats stay in the queue to be looked at.
      const watcher = await c.createOperator(n1, 'Watcher', 0);
      let op: OperatorClient | null = null;
      let w: OperatorClient | null = null;
      const visitors: VisitorClient[] = [];
      try {
        op = await openConsole(c, n3, ann);
        w = await openConsole(c, n2, watcher);
        for (const [i, node] of [n1, n2, n1, n2].entries()) {
          const v = await openVisitor(node, `v${i + 1}`);
          visitors.push(v);
          await v.send(`hi ${i + 1}`);
        }
        await waitFor(
          'v1 and v2 assigned to Ann, v3 and v4 queued 1 and 2',
          () =>
            visitors[0]!.operatorId === ann.id &&
            visitors[1]!.operatorId === ann.id &&
            visitors[2]!.position === 1 &&
            visitors[3]!.position === 2,
        );
        const killedAt = performance.now();
        const killedWall = Date.now();
        await n3.kill();
        // Detected within 5 s, then the grace period, then requeued by their original enqueue time:
        // the two chats Ann held go back in front of the two that waited behind them.
        const took = await waitFor(
          'all four visitors told their place in the rebuilt queue',
          () =>
            visitors.every((v, i) => v.status === 'queued' && v.position === i + 1)
              ? performance.now() - killedAt
              : undefined,
          {
            timeoutMs: 5_000 + GRACE_MS + 4_000,
            last: () =>
              visitors.map((v) => ({ status: v.status, position: v.position, operator: v.operatorId })),
          },
        );
        expect(took, `requeued after ${took.toFixed(0)} ms`).toBeGreaterThanOrEqual(GRACE_MS);
        expect(took).toBeLessThanOrEqual(5_000 + GRACE_MS + 1_000);
        const order = await c.queueOrder();
        expect(order.map((q) => q.id)).toEqual(visitors.map((v) => v.conversationId));
        expect((await c.conversations()).every((x) => x.operatorId === null)).toBe(true);
        await waitFor(
          'the watcher’s console to show the four in that order',
          () => w!.queue.map((q) => q.conversationId).join() === order.map((q) => q.id).join(),
        );
        // The routing state agrees: nobody holds a chat, the same four queued in the same order.
        const routing = await redisRouting(c, await demoSiteId(c));
        expect(routing.loads).toEqual({});
        expect(routing.queue).toEqual(order.map((q) => q.id));
        // Coverage: Ann stopped counting as online when her node was found dead (the grace period began),
        // not when the grace period ran out.
        const offline = await waitFor('Ann’s offline status in the store', async () =>
          (await c.statusEvents(ann.id)).find((e) => e.status === 'offline'),
        );
        expect(offline.reason).toBe('grace_expired');
        expect(offline.at - killedWall).toBeLessThanOrEqual(5_000 + 500);
        expect(offline.at).toBeGreaterThanOrEqual(killedWall);
      } finally {
        await closeAll(op, w, ...visitors);
      }
    });
  });
});
