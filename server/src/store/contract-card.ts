import { describe, expect, it } from 'vitest';
import { newSite, newVisitor, rejectionCode } from './contract-fixtures.js';
import type { CannedRecord, Store } from './types.js';

/** What the console shows beside a chat and uses while typing: visitor history, tags, canned responses. */
export function visitorCardContract(current: () => Store): void {
  async function visitorWithConversations(createdAts: number[]) {
    const store = current();
    const site = await store.createSite(newSite());
    const visitor = await store.createVisitor(newVisitor(site.id));
    const ids: string[] = [];
    for (const createdAt of createdAts) {
      const c = await store.createConversation({
        siteId: site.id,
        visitorId: visitor.id,
        status: 'ended',
        createdAt,
        enqueuedAt: createdAt,
      });
      ids.push(c.id);
    }
    return { site, visitor, ids };
  }

  describe('visitor card', () => {
    it('lists a visitor’s conversations newest first, up to a limit', async () => {
      const store = current();
      const { visitor, ids } = await visitorWithConversations([100, 300, 200]);
      const other = await visitorWithConversations([400]);
      expect((await store.listVisitorConversations(visitor.id, 10)).map((c) => c.id)).toEqual([
        ids[1],
        ids[2],
        ids[0],
      ]);
      expect((await store.listVisitorConversations(visitor.id, 2)).map((c) => c.id)).toEqual([
        ids[1],
        ids[2],
      ]);
      expect((await store.listVisitorConversations(other.visitor.id, 10)).map((c) => c.id)).toEqual(
        other.ids,
      );
      expect(await store.listVisitorConversations('missing', 10)).toEqual([]);
    });

    it('stores page views and lists them newest first, up to a limit', async () => {
      const store = current();
      const { site, visitor } = await visitorWithConversations([]);
      const other = await store.createVisitor(newVisitor(site.id));
      const home = {
        visitorId: visitor.id,
        url: 'https://shop.example/',
        title: 'Home',
        referrer: null,
        at: 10,
      };
      const cart = {
        visitorId: visitor.id,
        url: 'https://shop.example/cart',
        title: null,
        referrer: 'https://g.example/',
        at: 30,
      };
      const faq = {
        visitorId: visitor.id,
        url: 'https://shop.example/faq',
        title: 'FAQ',
        referrer: null,
        at: 20,
      };
      await Promise.all([
        store.appendPageView(home),
        store.appendPageView(cart),
        store.appendPageView(faq),
        store.appendPageView({ ...home, visitorId: other.id }),
      ]);
      expect(await store.listPageViews(visitor.id, 10)).toEqual([cart, faq, home]);
      expect(await store.listPageViews(visitor.id, 1)).toEqual([cart]);
      expect(await rejectionCode(store.appendPageView({ ...home, visitorId: 'missing' }))).toBe('not_found');
    });
  });

  describe('tags', () => {
    it('stores a conversation’s tags and suggests the sites’ tags by prefix, most used first', async () => {
      const store = current();
      const a = await visitorWithConversations([1, 2, 3]);
      const b = await visitorWithConversations([4]);
      const [c1, c2, c3] = a.ids as [string, string, string];
      const tagged = await store.updateConversation(c1, { tags: ['vip', 'billing'] });
      expect(tagged.tags).toEqual(['vip', 'billing']);
      expect((await store.getConversation(c1))?.tags).toEqual(['vip', 'billing']);
      await store.updateConversation(c2, { tags: ['vip', 'bug'] });
      await store.updateConversation(c3, { tags: ['refund'] });
      await store.updateConversation(b.ids[0]!, { tags: ['bug', 'bulk'] });

      expect(await store.listTags([a.site.id], '', 10)).toEqual(['vip', 'billing', 'bug', 'refund']);
      expect(await store.listTags([a.site.id], 'b', 10)).toEqual(['billing', 'bug']);
      expect(await store.listTags([a.site.id, b.site.id], 'bu', 10)).toEqual(['bug', 'bulk']);
      expect(await store.listTags([a.site.id], '', 1)).toEqual(['vip']);
      expect(await store.listTags([], '', 10)).toEqual([]);
      expect(await store.listTags([a.site.id], '%', 10)).toEqual([]);

      // Replacing a conversation's tags replaces its share of the counts too.
      await store.updateConversation(c1, { tags: ['refund'] });
      await store.updateConversation(c2, { status: 'ended' });
      expect(await store.listTags([a.site.id], '', 10)).toEqual(['refund', 'bug', 'vip']);
      await store.updateConversation(c3, { tags: [] });
      expect((await store.getConversation(c3))?.tags).toEqual([]);
      expect(await store.listTags([a.site.id], 'r', 10)).toEqual(['refund']);
    });
  });

  describe('canned responses', () => {
    it('lists shared responses of the operator’s sites and the operator’s own, by shortcut', async () => {
      const store = current();
      const siteA = await store.createSite(newSite());
      const siteB = await store.createSite(newSite());
      const base = { role: 'operator' as const, passwordHash: 'h', capacity: 1, siteIds: [siteA.id] };
      const ann = await store.createOperator({ ...base, email: 'ann@x.io', name: 'Ann' });
      const bob = await store.createOperator({ ...base, email: 'bob@x.io', name: 'Bob' });
      const make = (shortcut: string, operatorId: string | null, siteId: string | null) =>
        store.createCanned({ shortcut, text: `${shortcut} text`, operatorId, siteId, createdAt: 5 });
      const everywhere = await make('hello', null, null);
      const onA = await make('bye', null, siteA.id);
      await make('ship', null, siteB.id);
      const annOwn = await make('annsig', ann.id, null);
      await make('bobsig', bob.id, null);

      expect(await store.listCanned(ann.id, [siteA.id])).toEqual([annOwn, onA, everywhere]);
      expect(everywhere).toEqual({
        id: everywhere.id,
        shortcut: 'hello',
        text: 'hello text',
        operatorId: null,
        siteId: null,
        createdAt: 5,
      });
      expect(await store.getCanned(onA.id)).toEqual(onA);
      expect(await store.getCanned('missing')).toBeNull();
    });

    it('updates and deletes a canned response', async () => {
      const store = current();
      const op = await store.createOperator({
        email: 'o@x.io',
        name: 'O',
        role: 'owner',
        passwordHash: 'h',
        capacity: 1,
        siteIds: [],
      });
      const own: CannedRecord = await store.createCanned({
        shortcut: 'thx',
        text: 'Thanks!',
        operatorId: op.id,
        siteId: null,
        createdAt: 1,
      });
      const shared = await store.updateCanned(own.id, { text: 'Thank you!', operatorId: null });
      expect(shared).toEqual({ ...own, text: 'Thank you!', operatorId: null });
      expect(await store.getCanned(own.id)).toEqual(shared);
      expect(await rejectionCode(store.updateCanned('missing', { text: 'x' }))).toBe('not_found');
      await store.deleteCanned(own.id);
      expect(await store.getCanned(own.id)).toBeNull();
      expect(await store.listCanned(op.id, [])).toEqual([]);
      await store.deleteCanned(own.id);
    });
  });
}
