import { setTimeout as delay } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { expectCaughtUp } from './harness/checks.js';
import { closeAll, type OperatorClient, VisitorClient } from './harness/clients.js';
import { withCluster } from './harness/cluster.js';
import { clusterDescribe } from './harness/services.js';
import { openConsole, openVisitor } from './harness/session.js';
import { waitFor, within } from './harness/wait.js';

const PAUSE_MS = 6_000;
const env = { OPERATOR_GRACE_MS: '1000', NODE_HEARTBEAT_MS: '1000', NODE_LEASE_MS: '4000' };

/**
 * Issue #8, test 6: a node that stops for longer than its lease (GC pause, SIGSTOP, a frozen VM) must not act
 * on stale decisions when it wakes: its writes are refused by the fence and its sockets closed with 1012.
 */
await clusterDescribe('a paused node', () => {
  it('SIGSTOP for 6 s then SIGCONT: its writes are refused, its sockets closed 1012, no chat assigned twice', async () => {
    await withCluster({ nodes: 2, env }, async (c) => {
      const [n1, n2] = [c.node('n1'), c.node('n2')];
      const ann = await c.createOperator(n1, 'Ann', 1);
      const bob = await c.createOperator(n1, 'Bob', 1);
      let a: OperatorClient | null = null;
      let b: OperatorClient | null = null;
      const visitors: VisitorClient[] = [];
      try {
        a = await openConsole(c, n2, ann);
        const v1 = await openVisitor(n1, 'v1');
        visitors.push(v1);
        await v1.send('hello');
        await waitFor('v1 assigned to Ann (on the node to be paused)', () => v1.operatorId === ann.id);
        const conv = v1.conversationId!;
        b = await openConsole(c, n1, bob);
        // A visitor on the paused node whose first message arrives while the node is frozen.
        const v2 = new VisitorClient('v2').autoReconnect(() => n1);
        visitors.push(v2);
        await v2.connect(n2);

        n2.pause();
        const pausedAt = performance.now();
        // Frames that reach the frozen node's socket buffers: a stale operator reply and a first message.
        const staleReply = a.send(conv, 'reply written while my node was frozen');
        const firstMessage = v2.send('anyone there?');
        await delay(PAUSE_MS); // the pause itself is the scenario, not a wait for a result
        n2.resume();
        const resumedAt = performance.now();

        // Ann's lease ran out during the pause: her chat went to Bob (the only free operator).
        await waitFor('v1’s chat to be with Bob', async () => {
          const row = (await c.conversations()).find((x) => x.id === conv);
          return row?.status === 'active' && row.operatorId === bob.id;
        });
        // The woken node closes its sockets with 1012 instead of acting on what it held.
        await waitFor(
          'the woken node to close its sockets with 1012',
          () => a!.closes.some((x) => x.node === 'n2') && v2.closes.some((x) => x.node === 'n2'),
          { timeoutMs: 5_000, last: () => [a!.closes, v2.closes] },
        );
        expect(a.closes.find((x) => x.node === 'n2')!.code).toBe(1012);
        expect(v2.closes.find((x) => x.node === 'n2')!.code).toBe(1012);
        expect(a.closes.find((x) => x.node === 'n2')!.at - resumedAt).toBeLessThanOrEqual(5_000);
        // The stale reply from a console that no longer holds the chat was not written by the woken node
        // (it is never acked: the socket it came on is gone).
        void staleReply;
        const stored = await c.messages(conv);
        expect(stored.filter((m) => m.text === 'reply written while my node was frozen')).toEqual([]);

        // No chat assigned twice: one operator per chat, nobody over capacity, loads agree with the store.
        await within('v2’s first message to be acked on the other node', firstMessage);
        const rows = await c.conversations();
        const loads = await c.loads();
        expect(
          Object.values(loads).every((n) => n <= 1),
          JSON.stringify(loads),
        ).toBe(true);
        expect(rows.filter((x) => x.visitorId === v2.identity.vid)).toHaveLength(1);
        // The woken node rejoins cleanly: it answers, routes a new visitor, and its data agrees with the store.
        await waitFor('n2 to answer again', async () => (await n2.health()) !== null);
        const v3 = await openVisitor(n2, 'v3');
        visitors.push(v3);
        await v3.send('after the pause');
        await waitFor('v3 to be queued or assigned consistently', async () => {
          const row = (await c.conversations()).find((x) => x.id === v3.conversationId);
          return row && (row.status === 'queued' ? v3.position !== null : v3.operatorId === row.operatorId);
        });
        await expectCaughtUp(c, v1, conv, 'visitor');
        await expectCaughtUp(c, b, conv, 'operator');
        expect(performance.now() - pausedAt).toBeGreaterThanOrEqual(PAUSE_MS);
      } finally {
        await closeAll(a, b, ...visitors);
      }
    });
  });
});
