import type { SiteAdmin } from '@beseda/shared';
import { expect, it } from 'vitest';
import { closeAll, type OperatorClient, type VisitorClient } from './harness/clients.js';
import { withCluster } from './harness/cluster.js';
import { clusterDescribe } from './harness/services.js';
import { openConsole, openVisitor } from './harness/session.js';
import { waitFor } from './harness/wait.js';

/**
 * Teams are routing scopes (`<siteId>/<teamId>`) in the shared Redis routing state: a team chat started on
 * one node reaches the team's operator on another, capacity is one budget across scopes, and a transfer to a
 * team made on one node is served by the team's next free operator on the other.
 */
await clusterDescribe('teams across nodes', () => {
  it('routes a team chat across nodes and serves a transfer to a team in queue order', async () => {
    await withCluster({ nodes: 2 }, async (c) => {
      const [a, b] = [c.node('n1'), c.node('n2')];
      const sites = await c.rest<{ sites: SiteAdmin[] }>(a, 'GET', '/api/admin/sites');
      const site = sites.body.sites[0]!;
      const made = await c.rest<{ site: SiteAdmin }>(a, 'PATCH', `/api/admin/sites/${site.id}`, {
        teams: [{ name: 'Sales' }],
      });
      expect(made.status).toBe(200);
      const sales = made.body.site.teams[0]!;
      const ann = await c.createOperator(a, 'Ann', 1);
      const bob = await c.createOperator(b, 'Bob', 1);
      await c.patchOperator(b, bob.id, { teamIds: [sales.id] });
      let annOnA: OperatorClient | null = null;
      let bobOnB: OperatorClient | null = null;
      let v1: VisitorClient | null = null;
      let v2: VisitorClient | null = null;
      try {
        annOnA = await openConsole(c, a, ann, 'Ann on A');
        bobOnB = await openConsole(c, b, bob, 'Bob on B');
        v1 = await openVisitor(a, 'sales visitor on A');
        await v1.send('a quote for 40 chairs?', undefined, sales.id);
        const c1 = await waitFor('the Sales chat to reach Bob on B', () =>
          v1!.conversationId && bobOnB!.chats.has(v1!.conversationId) ? v1!.conversationId : undefined,
        );
        expect(annOnA.chats.size).toBe(0); // Ann was free, but is not in Sales
        v2 = await openVisitor(b, 'visitor on B');
        await v2.send('my parcel is late');
        const c2 = await waitFor('the site chat to reach Ann on A', () =>
          v2!.conversationId && annOnA!.chats.has(v2!.conversationId) ? v2!.conversationId : undefined,
        );
        // Ann hands it to Sales; Bob is full (one chat), so it waits in Sales' queue, shown to Bob.
        annOnA.transferToTeam(c2, sales.id);
        await waitFor('Ann to lose the chat', () => (annOnA!.chats.has(c2) ? undefined : true));
        await waitFor('the visitor to wait first in Sales', () => (v2!.position === 1 ? true : undefined));
        const entry = await waitFor('Bob’s queue to show it', () =>
          bobOnB!.queue.find((q) => q.conversationId === c2),
        );
        expect(entry.teamId).toBe(sales.id);
        expect(annOnA.queue.some((q) => q.conversationId === c2)).toBe(false);
        bobOnB.end(c1);
        await waitFor('the transferred chat to reach Bob', () => (bobOnB!.chats.has(c2) ? true : undefined));
        const changed = (await c.events('team_changed')).filter((e) => e.conversationId === c2);
        expect(changed.map((e) => e.data)).toEqual([{ from: null, to: sales.id, by: ann.id }]);
      } finally {
        await closeAll(annOnA, bobOnB, v1, v2);
      }
    });
  });
});
