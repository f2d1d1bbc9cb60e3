import { expect, it } from 'vitest';
import { expectCaughtUp } from './harness/checks.js';
import { closeAll, newIdentity, type OperatorClient, VisitorClient } from './harness/clients.js';
import { withCluster } from './harness/cluster.js';
import { clusterDescribe } from './harness/services.js';
import { openConsole } from './harness/session.js';
import { waitFor } from './harness/wait.js';

const ROUNDS = 5;

/**
 * Issue #8, test 10: one visitor (one stored identity) with two tabs that a load balancer sent to two nodes;
 * both tabs send their first message at once, pipelined before welcome (PROTOCOL-NOTES 4).
 */
await clusterDescribe('two tabs of one visitor on two nodes', () => {
  it('both sending their first message at once make one visitor and one conversation', async () => {
    await withCluster({ nodes: 2 }, async (c) => {
      const [n1, n2] = [c.node('n1'), c.node('n2')];
      // Online with no capacity: the chats stay queued, so each visitor's conversation is easy to count.
      const ann = await c.createOperator(n1, 'Ann', 0);
      const tabs: VisitorClient[] = [];
      let op: OperatorClient | null = null;
      try {
        op = await openConsole(c, n1, ann);
        for (let round = 0; round < ROUNDS; round++) {
          const identity = newIdentity();
          const t1 = new VisitorClient(`r${round}-tab1`, identity);
          const t2 = new VisitorClient(`r${round}-tab2`, identity);
          tabs.push(t1, t2);
          // Queued before connecting, so each send leaves right behind its hello.
          const acks = [t1.send(`tab one, round ${round}`), t2.send(`tab two, round ${round}`)];
          await Promise.all([t1.connect(n1), t2.connect(n2)]);
          const [a1, a2] = await Promise.all(acks);
          expect(a1!.conversationId, `round ${round}: both tabs' messages in one conversation`).toBe(
            a2!.conversationId,
          );
          const conv = a1!.conversationId as string;
          const visitors = await c.sql!`select id from visitors where id = ${identity.vid}`;
          expect(visitors).toHaveLength(1);
          const convs = (await c.conversations()).filter((x) => x.visitorId === identity.vid);
          expect(convs.map((x) => x.id)).toEqual([conv]);
          expect((await c.messages(conv)).map((m) => m.author)).toEqual(['visitor', 'visitor']);
          // Each tab ends up showing both messages (its own and the other tab's).
          await expectCaughtUp(c, t1, conv, 'visitor');
          await expectCaughtUp(c, t2, conv, 'visitor');
          await waitFor(
            'both tabs to show the same queue position',
            () => t1.position !== null && t1.position === t2.position,
          );
        }
        expect((await c.conversations()).filter((x) => x.status === 'queued')).toHaveLength(ROUNDS);
      } finally {
        await closeAll(op, ...tabs);
      }
    });
  });
});
