import type { Message } from '@beseda/shared';
import { expect, it } from 'vitest';
import { expectCaughtUp, expectStoredOnce } from './harness/checks.js';
import { closeAll, type OperatorClient, type VisitorClient } from './harness/clients.js';
import { withCluster } from './harness/cluster.js';
import { newClientId } from './harness/peer.js';
import { clusterDescribe } from './harness/services.js';
import { openConsole, openVisitor } from './harness/session.js';
import { waitFor, within } from './harness/wait.js';

/** Issue #8, test 8: a visitor whose node died resumes on another node with exactly what it missed. */
await clusterDescribe('resume elsewhere', () => {
  it('SIGKILL the visitor’s node, the operator sends 5, the visitor resumes on a third node: exactly those 5; a retried send is stored once', async () => {
    await withCluster({}, async (c) => {
      const [n1, n2, n3] = c.trio();
      const ann = await c.createOperator(n2, 'Ann', 1);
      let op: OperatorClient | null = null;
      let v: VisitorClient | null = null;
      try {
        op = await openConsole(c, n2, ann);
        v = await openVisitor(n1, 'visitor');
        await v.send('hello');
        const conv = await waitFor('the chat to reach Ann', () =>
          op!.chats.has(v!.conversationId ?? '') ? v!.conversationId! : undefined,
        );
        await op.send(conv, 'hi, how can I help?');
        await v.send('my parcel is late');
        await expectCaughtUp(c, v, conv, 'visitor');
        const lastSeq = v.timeline(conv).lastSeq;

        // A message that reaches the node's socket but never its handler: freeze, send, kill.
        n1.pause();
        const lost = v.send('sent as the node died');
        await n1.kill();
        await waitFor('the visitor to see its socket gone', () => v!.closes.length > 0);

        const five = ['one', 'two', 'three', 'four', 'five'];
        for (const t of five) await op.send(conv, t);

        const before = v.frames.length;
        await v.connect(n3);
        const history = (await v.next((f) => f.type === 'history', 5_000, before)) as unknown as {
          messages: Message[];
        };
        expect(history.messages.map((m) => m.text)).toEqual(five);
        expect(history.messages[0]!.seq).toBe(lastSeq + 1);
        // The outbox retried the unacknowledged message on the new node: stored once.
        const ack = await within('the retried message to be acked on n3', lost);
        await expectStoredOnce(c, conv, [ack.clientId as string]);

        // A client that never saw an ack retries with the same clientId (here on yet another node).
        const id = newClientId();
        const first = await v.send('are you there?', id);
        v.drop();
        await v.connect(n2);
        const again = await v.resend(id, { type: 'send', text: 'are you there?' });
        expect(again.seq).toBe(first.seq);
        await expectStoredOnce(c, conv, [id]);
        await expectCaughtUp(c, v, conv, 'visitor');
        await expectCaughtUp(c, op, conv, 'operator');
      } finally {
        await closeAll(op, v);
      }
    });
  });
});
