import { expect, it } from 'vitest';
import { closeAll, type OperatorClient, type VisitorClient } from './harness/clients.js';
import { withCluster } from './harness/cluster.js';
import { clusterDescribe } from './harness/services.js';
import { openConsole, openVisitor } from './harness/session.js';
import { waitFor } from './harness/wait.js';

/**
 * Each node remembers the active chats it served so a message is stored without reading its conversation
 * first (relay/active-chats.ts). What it remembers goes stale when another node ends or transfers the chat;
 * the store's `requireActive` check must then send the message where it belongs, never into the old chat.
 */
await clusterDescribe('stale chat memory', () => {
  it('a chat ended on another node: the visitor’s next message opens a new chat, the old one gets nothing', async () => {
    await withCluster({ nodes: 2 }, async (c) => {
      const [a, b] = [c.node('n1'), c.node('n2')];
      const ann = await c.createOperator(a, 'Ann', 2);
      let op: OperatorClient | null = null;
      let v: VisitorClient | null = null;
      try {
        op = await openConsole(c, b, ann);
        v = await openVisitor(a, 'visitor');
        await v.send('hello');
        const first = await waitFor('the chat to reach Ann', () =>
          v!.operatorId === ann.id && op!.chats.has(v!.conversationId!) ? v!.conversationId! : undefined,
        );
        // Node A now remembers the chat as active (it made the assignment); this send uses that memory.
        expect((await v.send('while active')).conversationId).toBe(first);
        op.end(first);
        await waitFor('the visitor to see the chat ended', () => (v!.status === 'ended' ? true : undefined));
        const after = await v.send('after the end');
        expect(after.conversationId).not.toBe(first);
        expect((await c.messages(first)).map((m) => m.text)).not.toContain('after the end');
        expect((await c.messages(after.conversationId as string))[0]?.text).toBe('after the end');
        await waitFor('the new chat to reach Ann', () =>
          op!.chats.has(after.conversationId as string) ? true : undefined,
        );
      } finally {
        await closeAll(op, v);
      }
    });
  });

  it('a chat transferred on another node: the previous operator’s console can no longer write into it', async () => {
    await withCluster({ nodes: 2 }, async (c) => {
      const [a, b] = [c.node('n1'), c.node('n2')];
      const ann = await c.createOperator(a, 'Ann', 1);
      const bob = await c.createOperator(a, 'Bob', 1);
      let annOnA: OperatorClient | null = null;
      let annOnB: OperatorClient | null = null;
      let bobOnB: OperatorClient | null = null;
      let v: VisitorClient | null = null;
      try {
        annOnA = await openConsole(c, a, ann, 'Ann on A');
        v = await openVisitor(b, 'visitor');
        await v.send('hello');
        const conv = await waitFor('the chat to reach Ann', () =>
          annOnA!.chats.has(v!.conversationId ?? '') ? v!.conversationId! : undefined,
        );
        await annOnA.send(conv, 'Ann on A answers'); // node A remembers the chat as Ann's
        bobOnB = await openConsole(c, b, bob, 'Bob on B');
        annOnB = await openConsole(c, b, ann, 'Ann on B');
        annOnB.transfer(conv, bob.id);
        await waitFor('Bob to get the chat', () => (bobOnB!.chats.has(conv) ? true : undefined));
        await expect(annOnA.send(conv, 'Ann again, too late')).rejects.toThrow(/forbidden/);
        await bobOnB.send(conv, 'Bob here');
        const texts = (await c.messages(conv)).map((m) => m.text);
        expect(texts).not.toContain('Ann again, too late');
        expect(texts).toContain('Bob here');
      } finally {
        await closeAll(annOnA, annOnB, bobOnB, v);
      }
    });
  });
});
