import type { ConversationStatus } from '@beseda/shared';
import { describe, expect, it } from 'vitest';
import { newSite, newVisitor, rejectionCode, visitorMessage } from './contract-fixtures.js';
import type { Store } from './types.js';

/** The operator's own settings (console language, "I answer chats") and the offline inbox's shared status. */
export function inboxContract(current: () => Store): void {
  async function conversation(siteId: string, status: ConversationStatus, createdAt: number, text?: string) {
    const store = current();
    const visitor = await store.createVisitor(newVisitor(siteId));
    const c = await store.createConversation({
      siteId,
      visitorId: visitor.id,
      status,
      createdAt,
      enqueuedAt: null,
    });
    if (text) await store.appendMessage(visitorMessage(c.id, text));
    return c;
  }

  describe('operator profile', () => {
    it('stores the console language and the answer to "do you answer chats", null meaning unset', async () => {
      const store = current();
      const site = await store.createSite(newSite());
      const op = await store.createOperator({
        email: 'lang@x.io',
        name: 'L',
        role: 'owner',
        passwordHash: 'h',
        capacity: 3,
        siteIds: [site.id],
      });
      expect(op).toMatchObject({ locale: null, answersChats: null });
      expect(await store.getOperator(op.id)).toEqual(op);

      const cs = await store.updateOperator(op.id, { locale: 'cs', answersChats: false, capacity: 0 });
      expect(cs).toMatchObject({ locale: 'cs', answersChats: false, capacity: 0, name: 'L' });
      // Another field's patch leaves them alone; null is a value (back to the browser's language).
      expect(await store.updateOperator(op.id, { name: 'Lena' })).toMatchObject({
        locale: 'cs',
        answersChats: false,
      });
      const back = await store.updateOperator(op.id, { locale: null, answersChats: true });
      expect(back).toMatchObject({ locale: null, answersChats: true, name: 'Lena' });
      expect(await store.getOperatorByEmail('lang@x.io')).toEqual(back);
      expect((await store.listOperators(site.id))[0]).toEqual(back);
    });
  });

  describe('offline inbox', () => {
    it('lists offline messages and missed chats of the given sites, newest first, open until changed', async () => {
      const store = current();
      const a = await store.createSite(newSite());
      const b = await store.createSite(newSite());
      const offline = await conversation(a.id, 'offline', 3_000, 'Please call me back');
      const missed = await conversation(a.id, 'missed', 2_000, 'Anyone there?');
      await conversation(a.id, 'ended', 4_000, 'not in the inbox');
      await conversation(a.id, 'queued', 5_000, 'not in the inbox either');
      const other = await conversation(b.id, 'offline', 6_000, 'other site');

      const open = await store.listInbox({ siteIds: [a.id], statuses: ['open'], limit: 10 });
      expect(open.items.map((i) => [i.conversation.id, i.inbox.status, i.preview])).toEqual([
        [offline.id, 'open', 'Please call me back'],
        [missed.id, 'open', 'Anyone there?'],
      ]);
      expect(open.items[0]?.inbox).toEqual({
        conversationId: offline.id,
        siteId: a.id,
        status: 'open',
        changedAt: null,
        changedBy: null,
      });
      expect(open.openCount).toBe(2);
      expect(open.nextBefore).toBeNull();
      expect(
        (await store.listInbox({ siteIds: [b.id], statuses: ['open'], limit: 10 })).items.map(
          (i) => i.conversation.id,
        ),
      ).toEqual([other.id]);
      expect(await store.listInbox({ siteIds: [], statuses: ['open'], limit: 10 })).toEqual({
        items: [],
        openCount: 0,
        nextBefore: null,
      });

      const page = await store.listInbox({ siteIds: [a.id], statuses: ['open'], limit: 1 });
      expect(page.items.map((i) => i.conversation.id)).toEqual([offline.id]);
      expect(page.nextBefore).toBe(3_000);
      const next = await store.listInbox({ siteIds: [a.id], statuses: ['open'], limit: 1, before: 3_000 });
      expect(next.items.map((i) => i.conversation.id)).toEqual([missed.id]);
      expect(next.openCount).toBe(2);
    });

    it('changes the status for everyone, durably, and refuses conversations that are not in the inbox', async () => {
      const store = current();
      const site = await store.createSite(newSite());
      const op = await store.createOperator({
        email: 'inbox@x.io',
        name: 'I',
        role: 'operator',
        passwordHash: 'h',
        capacity: 2,
        siteIds: [site.id],
      });
      const offline = await conversation(site.id, 'offline', 3_000, 'Hello?');
      const missed = await conversation(site.id, 'missed', 2_000);
      const ended = await conversation(site.id, 'ended', 1_000, 'done');

      const answered = await store.setInboxStatus(offline.id, {
        status: 'answered',
        at: 9_000,
        operatorId: op.id,
      });
      expect(answered).toEqual({
        conversationId: offline.id,
        siteId: site.id,
        status: 'answered',
        changedAt: 9_000,
        changedBy: op.id,
      });
      expect(await store.getInboxState(offline.id)).toEqual(answered);
      await store.setInboxStatus(missed.id, { status: 'closed', at: 9_500, operatorId: null });

      const all = ['open', 'answered', 'closed'] as const;
      const list = await store.listInbox({ siteIds: [site.id], statuses: [...all], limit: 10 });
      expect(list.items.map((i) => [i.conversation.id, i.inbox.status, i.preview])).toEqual([
        [offline.id, 'answered', 'Hello?'],
        [missed.id, 'closed', ''],
      ]);
      expect(list.openCount).toBe(0);
      expect((await store.listInbox({ siteIds: [site.id], statuses: ['open'], limit: 10 })).items).toEqual(
        [],
      );
      expect(
        (await store.listInbox({ siteIds: [site.id], statuses: ['answered'], limit: 10 })).items.map(
          (i) => i.conversation.id,
        ),
      ).toEqual([offline.id]);

      // Reopened: back in the open list, with who did it.
      const reopened = await store.setInboxStatus(offline.id, {
        status: 'open',
        at: 9_900,
        operatorId: op.id,
      });
      expect(reopened).toMatchObject({ status: 'open', changedAt: 9_900 });
      expect((await store.listInbox({ siteIds: [site.id], statuses: ['open'], limit: 10 })).openCount).toBe(
        1,
      );

      expect(await store.getInboxState(ended.id)).toBeNull();
      expect(await store.getInboxState('missing')).toBeNull();
      expect(
        await rejectionCode(store.setInboxStatus(ended.id, { status: 'closed', at: 1, operatorId: null })),
      ).toBe('not_found');
      expect(
        await rejectionCode(store.setInboxStatus('missing', { status: 'closed', at: 1, operatorId: null })),
      ).toBe('not_found');
    });
  });
}
