import { expect, it } from 'vitest';
import { closeAll, type VisitorClient } from './harness/clients.js';
import { withCluster } from './harness/cluster.js';
import { demoSiteId, redisRouting } from './harness/routing-state.js';
import { clusterDescribe } from './harness/services.js';
import { openConsole, openVisitor } from './harness/session.js';
import { waitFor } from './harness/wait.js';

/** Issue #8, test 1: atomic assignment when every node routes at the same moment. */
await clusterDescribe('capacity race across nodes', () => {
  it('40 visitors on 3 nodes at once, 2 operators of capacity 2 on different nodes: 4 active, 36 queued, nobody over capacity, no chat assigned twice', async () => {
    await withCluster({}, async (c) => {
      const [n1, n2, n3] = c.trio();
      // Each operator is created through one node and works on another: admin changes must reach every node.
      const ann = await c.createOperator(n1, 'Ann', 2);
      const bob = await c.createOperator(n3, 'Bob', 2);
      const a = await openConsole(c, n2, ann);
      const b = await openConsole(c, n3, bob);
      const visitors: VisitorClient[] = [];
      try {
        const nodes = [n1, n2, n3];
        visitors.push(
          ...(await Promise.all(
            nodes.flatMap((n, k) =>
              Array.from({ length: k === 0 ? 14 : 13 }, (_, i) => openVisitor(n, `v${k}-${i}`)),
            ),
          )),
        );
        expect(visitors).toHaveLength(40);
        // Every first message at once: 40 conversations routed concurrently by three nodes.
        await Promise.all(visitors.map((v, i) => v.send(`hello from visitor ${i}`)));

        const settled = await waitFor(
          '4 active and 36 queued conversations in the store',
          async () => {
            const convs = await c.conversations();
            const active = convs.filter((x) => x.status === 'active');
            const queued = convs.filter((x) => x.status === 'queued');
            return convs.length === 40 && active.length === 4 && queued.length === 36
              ? { active, queued }
              : undefined;
          },
          { timeoutMs: 15_000 },
        );
        expect(await c.loads()).toEqual({ [ann.id]: 2, [bob.id]: 2 });

        // No chat assigned twice: one `assigned` event per active chat, none for the queued ones.
        const assigned = await c.events('assigned');
        const perChat = new Map<string, number>();
        for (const e of assigned) perChat.set(e.conversationId!, (perChat.get(e.conversationId!) ?? 0) + 1);
        expect(
          [...perChat.values()].every((n) => n === 1),
          JSON.stringify([...perChat]),
        ).toBe(true);
        expect([...perChat.keys()].sort()).toEqual(settled.active.map((x) => x.id).sort());

        // What every client sees agrees with the store: the 4 assigned visitors were told who, the 36
        // queued ones their exact positions, and both consoles show their 2 chats and the same queue.
        const order = await c.queueOrder();
        const byConv = new Map(visitors.map((v) => [v.conversationId!, v]));
        await waitFor(
          'every visitor to be told its assignment or exact queue position',
          () =>
            settled.active.every((x) => byConv.get(x.id)?.operatorId === x.operatorId) &&
            order.every((q) => byConv.get(q.id)?.position === q.position),
          {
            timeoutMs: 5_000,
            last: () =>
              order
                .filter((q) => byConv.get(q.id)?.position !== q.position)
                .slice(0, 5)
                .map((q) => ({ want: q.position, got: byConv.get(q.id)?.position })),
          },
        );
        // Never over capacity, at any moment: no console ever held more than 2 chats at once.
        for (const op of [a, b]) {
          const held = new Set<string>();
          let peak = 0;
          for (const f of op.ofType('chat')) {
            const conv = f.conversation as { id: string; status: string; operator: { id: string } | null };
            if (conv.status === 'active' && conv.operator?.id === op.me?.id) held.add(conv.id);
            else held.delete(conv.id);
            peak = Math.max(peak, held.size);
          }
          expect(peak).toBeLessThanOrEqual(2);
        }
        // Redis (the routing state) agrees with the store: same loads, same queue in the same order.
        const routing = await redisRouting(c, await demoSiteId(c));
        expect(routing.loads).toEqual(await c.loads());
        expect(routing.queue).toEqual(order.map((q) => q.id));
        for (const [op, account] of [
          [a, ann],
          [b, bob],
        ] as const) {
          await waitFor(
            `${account.name}'s console to show its 2 chats and the 36 queued in order`,
            () =>
              op.chats.size === 2 &&
              [...op.chats.values()].every((x) => x.operator?.id === account.id) &&
              op.queue.length === 36 &&
              op.queue.every((q) => order[q.position - 1]?.id === q.conversationId),
            {
              timeoutMs: 5_000,
              last: () => ({ chats: op.chats.size, queue: op.queue.length, presence: op.presence }),
            },
          );
        }
        // Every node reports the same totals as the store. A node's counts come from its queue view, which
        // pub/sub may have handed an older broadcast last: its check corrects that within a second
        // (relay/queue-views.ts), so this waits for convergence instead of reading one instant.
        let health: Awaited<ReturnType<typeof c.health>> = {};
        await waitFor(
          'every node to report 36 queued',
          async () => {
            health = await c.health();
            return Object.values(health).every((h) => h?.ok === true && h.queued === 36);
          },
          { timeoutMs: 5_000, last: () => health },
        );
        // Both consoles' colleague lists show the live loads (presence frames reach every node).
        for (const op of [a, b]) {
          await waitFor(
            `${op.label}'s presence list to show Ann and Bob online with 2 chats each`,
            () =>
              [ann, bob].every(
                (x) => op.presence.find((p) => p.id === x.id)?.status === 'online' && op.loadOf(x.id) === 2,
              ),
            {
              timeoutMs: 5_000,
              last: () => ({ presenceFrames: op.ofType('presence_delta').length, presence: op.presence }),
            },
          );
        }
      } finally {
        await closeAll(a, b, ...visitors);
      }
    });
  });
});
