import { expect, it } from 'vitest';
import { expectCaughtUp, expectStoredOnce, inFlight } from './harness/checks.js';
import { closeAll, type OperatorClient, type VisitorClient } from './harness/clients.js';
import { withCluster } from './harness/cluster.js';
import { clusterDescribe } from './harness/services.js';
import { openConsole, openVisitor } from './harness/session.js';
import { waitFor, within } from './harness/wait.js';

/** Issue #8, test 3: a chat whose two sides sit on different nodes loses, duplicates and reorders nothing. */
await clusterDescribe('cross-node chat', () => {
  it('visitor on A, operator on B, 400 interleaved messages: contiguous, no duplicates, equal to the store', async () => {
    await withCluster({ nodes: 2 }, async (c) => {
      const [a, b] = [c.node('n1'), c.node('n2')];
      const ann = await c.createOperator(a, 'Ann', 1);
      let op: OperatorClient | null = null;
      let v: VisitorClient | null = null;
      try {
        op = await openConsole(c, b, ann);
        v = await openVisitor(a, 'visitor');
        await v.send('hello');
        const conv = await waitFor('the chat to reach Ann on the other node', () =>
          v!.operatorId === ann.id && op!.chats.has(v!.conversationId!) ? v!.conversationId! : undefined,
        );
        // Both sides type at once, each keeping a few messages in flight, as two busy people would.
        const vIds: string[] = [];
        const oIds: string[] = [];
        const n = 200;
        await within(
          '400 messages acked',
          Promise.all([
            inFlight(
              Array.from({ length: n }, (_, i) => i),
              4,
              async (i) => vIds.push((await v!.send(`visitor line ${i}`)).clientId as string),
            ),
            inFlight(
              Array.from({ length: n }, (_, i) => i),
              4,
              async (i) => oIds.push((await op!.send(conv, `operator line ${i}`)).clientId as string),
            ),
          ]),
          60_000,
        );
        await expectStoredOnce(c, conv, [...vIds, ...oIds]);
        const stored = await expectCaughtUp(c, v, conv, 'visitor');
        await expectCaughtUp(c, op, conv, 'operator');
        expect(stored.filter((m) => m.author === 'visitor')).toHaveLength(n + 1);
        expect(stored.filter((m) => m.author === 'operator')).toHaveLength(n);
        // seq is consecutive in the store: nothing skipped by concurrent writers on two nodes.
        expect(stored.map((m) => m.seq)).toEqual(stored.map((_, i) => i + 1));
      } finally {
        await closeAll(op, v);
      }
    });
  });
});
