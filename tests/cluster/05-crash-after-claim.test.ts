import { expect, it } from 'vitest';
import { expectCaughtUp } from './harness/checks.js';
import { closeAll, type OperatorClient, VisitorClient } from './harness/clients.js';
import { withCluster } from './harness/cluster.js';
import { demoSiteId, redisRouting } from './harness/routing-state.js';
import { clusterDescribe } from './harness/services.js';
import { openConsole } from './harness/session.js';
import { waitFor, within } from './harness/wait.js';

/**
 * Issue #8, test 5: a node dies between the routing claim (Redis) and the store write (PostgreSQL).
 * `BESEDA_TEST_FAULT=crash_after_claim` makes the node SIGKILL itself right after its first successful claim.
 */
await clusterDescribe('crash between claim and write', () => {
  it('leaves the chat consistently assigned or queued, with total load equal to active chats within 6 s', async () => {
    await withCluster(
      { nodes: 2, nodeEnv: { n2: { BESEDA_TEST_FAULT: 'crash_after_claim' } } },
      async (c) => {
        const [n1, n2] = [c.node('n1'), c.node('n2')];
        const ann = await c.createOperator(n1, 'Ann', 1);
        let op: OperatorClient | null = null;
        let v: VisitorClient | null = null;
        try {
          op = await openConsole(c, n1, ann);
          v = new VisitorClient('visitor').autoReconnect(() => n1);
          await v.connect(n2);
          const sent = v.send('help please');
          const exit = await n2.exited(10_000);
          expect(exit, 'the fault switch kills the node with SIGKILL').toBe('SIGKILL');
          const crashedAt = performance.now();
          await within('the message to be acked (retried on n1 by the outbox)', sent);
          const conv = v.conversationId!;

          const siteId = await demoSiteId(c);
          let last: unknown = null;
          const consistent = async () => {
            const rows = (await c.conversations()).filter((x) => x.id === conv);
            if (rows.length !== 1) return undefined;
            const row = rows[0]!;
            const active = (await c.conversations()).filter((x) => x.status === 'active').length;
            // Total load in the routing state (Redis) against active chats in the store.
            const routing = await redisRouting(c, siteId);
            const load = Object.values(routing.loads).reduce((s, n) => s + n, 0);
            last = {
              row,
              active,
              routing,
              visitor: [v!.status, v!.operatorId, v!.position],
              consoleChats: [...op!.chats.keys()],
            };
            const assignedOk =
              row.status === 'active' &&
              row.operatorId === ann.id &&
              op!.chats.has(conv) &&
              v!.operatorId === ann.id;
            const queuedOk =
              row.status === 'queued' &&
              row.operatorId === null &&
              !op!.chats.has(conv) &&
              v!.status === 'queued' &&
              routing.queue.includes(conv);
            return (assignedOk || queuedOk) && load === active ? row.status : undefined;
          };
          const outcome = await waitFor('the chat to be consistently assigned or queued', consistent, {
            timeoutMs: 6_000,
            last: () => last,
          });
          expect(performance.now() - crashedAt).toBeLessThanOrEqual(6_000);
          // Ann was free: a queue that drains by itself ends with her holding the chat.
          if (outcome === 'queued') {
            await waitFor(
              'the queued chat to reach the free operator',
              async () => (await consistent()) === 'active',
              { last: () => last },
            );
          }
          expect(await c.loads()).toEqual({ [ann.id]: 1 });
          const assigned = (await c.events('assigned')).filter((e) => e.conversationId === conv);
          expect(assigned).toHaveLength(1);
          // The message the dead node received is stored once, and both sides hold the same transcript.
          const stored = await expectCaughtUp(c, v, conv, 'visitor');
          expect(stored.filter((m) => m.text === 'help please')).toHaveLength(1);
          await expectCaughtUp(c, op, conv, 'operator');
        } finally {
          await closeAll(op, v);
        }
      },
    );
  });
});
