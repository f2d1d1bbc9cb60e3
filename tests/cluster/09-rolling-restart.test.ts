import { expect, it } from 'vitest';
import { expectCaughtUp, expectStoredOnce } from './harness/checks.js';
import { closeAll, type OperatorClient, type VisitorClient } from './harness/clients.js';
import { withCluster } from './harness/cluster.js';
import type { NodeProcess } from './harness/node-process.js';
import { clusterDescribe } from './harness/services.js';
import { openConsole, openVisitor } from './harness/session.js';
import { waitFor, within } from './harness/wait.js';

/**
 * Issue #8, test 9: a rolling restart (SIGTERM → drain with 1012 → start again) of every node in turn while
 * six chats go on; clients reconnect to whichever node is up, as behind a load balancer.
 */
await clusterDescribe('rolling restart', () => {
  it('restarts every node in turn with 6 active chats and a message every 200 ms: nothing requeued, lost or duplicated', async () => {
    await withCluster({ env: { OPERATOR_GRACE_MS: '5000' } }, async (c) => {
      const [n1, n2, n3] = c.trio();
      const ann = await c.createOperator(n1, 'Ann', 3);
      const bob = await c.createOperator(n2, 'Bob', 3);
      const ops: OperatorClient[] = [];
      const visitors: VisitorClient[] = [];
      const sent: { conv: string; ack: Promise<unknown> }[] = [];
      let ticker: NodeJS.Timeout | null = null;
      try {
        ops.push(await openConsole(c, n1, ann), await openConsole(c, n2, bob));
        for (let i = 0; i < 6; i++) {
          const v = await openVisitor([n1, n2, n3][i % 3]!, `v${i}`);
          visitors.push(v);
          await v.send(`hello ${i}`);
        }
        await waitFor(
          'six chats assigned, three each',
          () => ops.every((op) => op.chats.size === 3) && visitors.every((v) => v.operatorId !== null),
        );
        const owner = new Map(visitors.map((v) => [v.conversationId!, v.operatorId!]));
        // Behind a load balancer: a dropped client comes back on the next node that is up.
        const next = (failed: NodeProcess) => c.another(failed);
        for (const p of [...ops, ...visitors]) p.autoReconnect(next);

        // A message every 200 ms, alternating visitor and operator side, round-robin over the chats.
        let tick = 0;
        ticker = setInterval(() => {
          const v = visitors[tick % 6]!;
          const conv = v.conversationId!;
          const fromVisitor = Math.floor(tick / 6) % 2 === 0;
          const op = ops.find((o) => o.me?.id === owner.get(conv))!;
          const p = fromVisitor ? v.send(`v tick ${tick}`) : op.send(conv, `o tick ${tick}`);
          sent.push({ conv, ack: p });
          tick++;
        }, 200);

        for (const node of [n1, n2, n3]) {
          const exit = await node.stop();
          expect(exit, `${node.name} drains and exits cleanly on SIGTERM`).toBe(0);
          await node.start();
          await waitFor('every client connected again', () => [...ops, ...visitors].every((p) => p.ready), {
            timeoutMs: 15_000,
          });
        }
        clearInterval(ticker);
        ticker = null;
        expect(tick).toBeGreaterThanOrEqual(15);

        // Every message sent during the restarts was acked (outboxes drained) and stored exactly once.
        const acks = (await within(
          'every message sent during the restarts to be acked',
          Promise.all(sent.map((s) => s.ack)),
          20_000,
        )) as {
          clientId: string;
          conversationId: string;
        }[];
        for (const conv of owner.keys()) {
          await expectStoredOnce(
            c,
            conv,
            acks.filter((a) => a.conversationId === conv).map((a) => a.clientId),
          );
        }
        // Nothing requeued: each chat was enqueued and assigned once and is still with its operator.
        expect((await c.events('enqueued')).length).toBe(6);
        expect((await c.events('assigned')).length).toBe(6);
        const rows = await c.conversations();
        expect(rows.map((r) => [r.id, r.status, r.operatorId])).toEqual(
          rows.map((r) => [r.id, 'active', owner.get(r.id)]),
        );
        // The drained nodes said "restarting" (1012) to the sockets they closed.
        const codes = [...ops, ...visitors].flatMap((p) => p.closes.map((x) => x.code));
        expect(codes.length).toBeGreaterThan(0);
        expect(
          codes.every((code) => code === 1012),
          `close codes: ${codes}`,
        ).toBe(true);
        // Every client holds exactly the store's transcript, in order.
        for (const v of visitors) {
          const conv = v.conversationId!;
          await expectCaughtUp(c, v, conv, 'visitor');
          await expectCaughtUp(c, ops.find((o) => o.me?.id === owner.get(conv))!, conv, 'operator');
        }
      } finally {
        if (ticker) clearInterval(ticker);
        await closeAll(...ops, ...visitors);
      }
    });
  });
});
