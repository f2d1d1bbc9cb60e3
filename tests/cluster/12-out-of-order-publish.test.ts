import type { Message } from '@beseda/shared';
import { describe, expect, it } from 'vitest';
import { expectCaughtUp } from './harness/checks.js';
import { closeAll, type OperatorClient, type VisitorClient } from './harness/clients.js';
import { type Cluster, withCluster } from './harness/cluster.js';
import type { Peer } from './harness/peer.js';
import { clusterDescribe } from './harness/services.js';
import { openConsole, openVisitor } from './harness/session.js';
import { waitFor } from './harness/wait.js';

/**
 * Issue #8, test 12: on ONE node, live frames may leave out of seq order (a first reply waits for its event
 * write between commit and publish; group commits finish in any order). A client that resumes from its
 * contiguous watermark must lose nothing, visitor and console alike. Many concurrent replies, visitor
 * messages and internal notes in six chats; every client drops its socket mid-burst and resumes.
 */
async function scenario(c: Cluster) {
  const node = c.node('n1');
  const ann = await c.createOperator(node, 'Ann', 3);
  const bob = await c.createOperator(node, 'Bob', 3);
  const ops: OperatorClient[] = [];
  const visitors: VisitorClient[] = [];
  try {
    ops.push(await openConsole(c, node, ann), await openConsole(c, node, bob));
    for (let i = 0; i < 6; i++) {
      const v = await openVisitor(node, `v${i}`);
      visitors.push(v);
      await v.send(`hello ${i}`);
    }
    await waitFor('six chats assigned', () => ops.every((op) => op.chats.size === 3));
    for (const p of [...ops, ...visitors]) p.autoReconnect(() => node);
    const opOf = (v: VisitorClient) => ops.find((o) => o.chats.has(v.conversationId!))!;

    // Everything at once: 10 visitor messages, 10 replies (the first one of each chat is a first reply)
    // and 2 internal notes per chat, all pipelined.
    const pending: Promise<unknown>[] = [];
    for (const v of visitors) {
      const conv = v.conversationId!;
      const op = opOf(v);
      for (let i = 0; i < 10; i++) {
        pending.push(v.send(`visitor ${i}`), op.send(conv, `reply ${i}`));
        if (i % 5 === 2) pending.push(op.send(conv, `note ${i}`, { internal: true }));
      }
    }
    // Mid-burst every client loses its socket once and resumes from its watermark.
    await waitFor('the burst to be under way', () => visitors.every((v) => v.ofType('message').length >= 4));
    for (const p of [...visitors, ...ops]) p.drop();
    await Promise.all(pending);

    for (const v of visitors) {
      const conv = v.conversationId!;
      const all = await c.messages(conv);
      expect(all.filter((m) => m.author === 'note')).toHaveLength(2);
      await expectCaughtUp(c, v, conv, 'visitor');
      await expectCaughtUp(c, opOf(v), conv, 'operator');
      expectPrevRight(v, conv, all, 'visitor');
      expectPrevRight(opOf(v), conv, all, 'operator');
    }
  } finally {
    await closeAll(...ops, ...visitors);
  }
}

/** Every live frame's `prev` is the previous message that audience may see (notes are skipped for visitors). */
function expectPrevRight(
  peer: Peer,
  conv: string,
  stored: { seq: number; author: string }[],
  audience: string,
) {
  const visible = stored.filter((m) => audience === 'operator' || m.author !== 'note').map((m) => m.seq);
  const wrong = peer
    .ofType('message')
    .filter((f) => (f.message as Message).conversationId === conv)
    .map((f) => {
      const seq = (f.message as Message).seq;
      const want = visible.filter((s) => s < seq).at(-1) ?? 0;
      return { seq, prev: f.prev, want };
    })
    .filter((x) => x.prev !== x.want);
  expect(wrong, `${peer.label}: frames whose prev is not the previous visible seq`).toEqual([]);
}

describe('out-of-order publish on the single-node default (SQLite)', () => {
  it('a visitor and a console resuming from their watermark lose nothing', async () => {
    await withCluster({ nodes: 1, mode: 'sqlite' }, async (c) => {
      // The store checks read PostgreSQL; in SQLite mode the same checks go through a one-node cluster below.
      expect(c.sql).toBeNull();
      await scenarioWithoutStore(c);
    });
  });
});

await clusterDescribe('out-of-order publish on one node with PostgreSQL and Redis', () => {
  it('a visitor and a console resuming from their watermark lose nothing', async () => {
    await withCluster({ nodes: 1 }, scenario);
  });
});

/**
 * The SQLite variant cannot read the store from here, so it compares the two sides with each other: the
 * console (which sees everything) and the visitor must agree on every non-note message, and the console's
 * seqs must be 1..N without a hole.
 */
async function scenarioWithoutStore(c: Cluster) {
  const node = c.node('n1');
  const ann = await c.createOperator(node, 'Ann', 3);
  const ops: OperatorClient[] = [];
  const visitors: VisitorClient[] = [];
  try {
    ops.push(await openConsole(c, node, ann));
    for (let i = 0; i < 3; i++) {
      const v = await openVisitor(node, `v${i}`);
      visitors.push(v);
      await v.send(`hello ${i}`);
    }
    const op = ops[0]!;
    await waitFor('three chats assigned', () => op.chats.size === 3);
    for (const p of [op, ...visitors]) p.autoReconnect(() => node);
    const pending: Promise<unknown>[] = [];
    const expected = new Map<string, number>();
    for (const v of visitors) {
      const conv = v.conversationId!;
      for (let i = 0; i < 10; i++) {
        pending.push(v.send(`visitor ${i}`), op.send(conv, `reply ${i}`));
        if (i % 5 === 2) pending.push(op.send(conv, `note ${i}`, { internal: true }));
      }
    }
    await waitFor('the burst to be under way', () => visitors.every((v) => v.ofType('message').length >= 4));
    for (const p of [...visitors, op]) p.drop();
    const acks = (await Promise.all(pending)) as { conversationId: string; seq: number }[];
    for (const a of acks)
      expected.set(a.conversationId, Math.max(expected.get(a.conversationId) ?? 0, a.seq));
    for (const v of visitors) {
      const conv = v.conversationId!;
      const ot = op.timeline(conv);
      const vt = v.timeline(conv);
      await waitFor(`${v.label} and the console to hold everything up to the last ack`, () => {
        const all = ot.seqs();
        const last = expected.get(conv)!;
        const notes = all.filter((s) => ot.held.get(s)!.author === 'note');
        return (
          ot.buffered.size === 0 &&
          vt.buffered.size === 0 &&
          all.length === last &&
          all.every((s, i) => s === i + 1) &&
          vt.seqs().join() === all.filter((s) => !notes.includes(s)).join()
        );
      });
      expect(vt.texts()).toEqual(ot.texts().filter((_, i) => ot.held.get(ot.seqs()[i]!)!.author !== 'note'));
      expect(vt.inOrder() && ot.inOrder()).toBe(true);
      const stored = ot.seqs().map((s) => ot.held.get(s)!);
      expectPrevRight(v, conv, stored, 'visitor');
      expectPrevRight(op, conv, stored, 'operator');
    }
  } finally {
    await closeAll(...ops, ...visitors);
  }
}
