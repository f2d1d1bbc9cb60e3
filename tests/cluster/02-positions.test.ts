import { expect, it } from 'vitest';
import { closeAll, type OperatorClient, type VisitorClient } from './harness/clients.js';
import { withCluster } from './harness/cluster.js';
import { clusterDescribe } from './harness/services.js';
import { openConsole, openVisitor } from './harness/session.js';
import { waitFor } from './harness/wait.js';

/** Issue #8, test 2: one queue across nodes; a freed slot shifts every position everywhere within 500 ms. */
await clusterDescribe('queue positions across nodes', () => {
  it('gives exact positions to visitors on every node and shows the shift on every node within 500 ms', async () => {
    await withCluster({}, async (c) => {
      const [n1, n2, n3] = c.trio();
      const ann = await c.createOperator(n2, 'Ann', 1);
      // Capacity 0: online, never assigned, but their consoles show the queue on the other nodes.
      const w2 = await c.createOperator(n1, 'Watcher2', 0);
      const w3 = await c.createOperator(n1, 'Watcher3', 0);
      const consoles: OperatorClient[] = [];
      const visitors: VisitorClient[] = [];
      try {
        consoles.push(
          await openConsole(c, n1, ann),
          await openConsole(c, n2, w2),
          await openConsole(c, n3, w3),
        );
        const nodes = [n1, n2, n3];
        // One visitor takes Ann's only slot, then six more queue up one after another on alternating nodes.
        const first = await openVisitor(n3, 'first');
        visitors.push(first);
        await first.send('I was first');
        await waitFor('the first visitor to be assigned to Ann', () => first.operatorId === ann.id);
        for (let i = 0; i < 6; i++) {
          const v = await openVisitor(nodes[i % 3]!, `q${i}`);
          visitors.push(v);
          await v.send(`waiting ${i}`);
        }
        const queued = visitors.slice(1);
        const order = await c.queueOrder();
        expect(order.map((q) => q.id)).toEqual(queued.map((v) => v.conversationId));
        await waitFor(
          'positions 1..6 told to the queued visitors on all nodes',
          () => queued.every((v, i) => v.position === i + 1),
          { timeoutMs: 5_000, last: () => queued.map((v) => v.position) },
        );
        await waitFor(
          'every console to show the same 6 in order',
          () =>
            consoles.every(
              (op) => op.queue.map((q) => q.conversationId).join() === order.map((q) => q.id).join(),
            ),
          { timeoutMs: 5_000, last: () => consoles.map((op) => op.queue.length) },
        );

        // Ann ends the first chat: q0 is assigned, everybody else moves up by one, on every node.
        const started = performance.now();
        consoles[0]!.end(first.conversationId!);
        const shifted = await waitFor(
          'every visitor and every console to show the shift',
          () =>
            queued[0]!.operatorId === ann.id &&
            queued.slice(1).every((v, i) => v.position === i + 1) &&
            consoles.every(
              (op) =>
                op.queue.length === 5 &&
                op.queue.every(
                  (q, i) => q.conversationId === queued[i + 1]!.conversationId && q.position === i + 1,
                ),
            )
              ? performance.now() - started
              : undefined,
          {
            timeoutMs: 5_000,
            last: () => ({
              positions: queued.map((v) => v.position),
              consoles: consoles.map((op) => op.queue.map((q) => q.position)),
            }),
          },
        );
        expect(shifted, `shift seen everywhere after ${shifted.toFixed(0)} ms`).toBeLessThanOrEqual(500);
        expect((await c.queueOrder()).map((q) => q.id)).toEqual(queued.slice(1).map((v) => v.conversationId));
        // Positions only ever moved forward (no visitor was told a worse place on the way).
        for (const v of queued.slice(1)) {
          const seen = v.positions.map((p) => p.position);
          expect(
            seen.every((p, i) => i === 0 || p <= seen[i - 1]!),
            `${v.label}: ${seen}`,
          ).toBe(true);
        }
      } finally {
        await closeAll(...consoles, ...visitors);
      }
    });
  });
});
