import { describe, expect, it } from 'vitest';
import { newSite, newVisitor, rejectionCode, visitorMessage } from './contract-fixtures.js';
import type { ChatEventRecord, NewMessage, Store } from './types.js';

/**
 * What several nodes sharing one database rely on: units of work with a routing fence, the visitor's
 * prev-chain that skips notes, one open conversation per visitor, idempotent visitors, committed-event
 * listeners. `other` opens a second store on the same database (a second node).
 */
export function clusterContract(current: () => Store, other: () => Promise<Store>): void {
  async function seed(store = current()) {
    const site = await store.createSite(newSite());
    const visitor = await store.createVisitor(newVisitor(site.id));
    const conversation = await store.createConversation({
      siteId: site.id,
      visitorId: visitor.id,
      status: 'queued',
      createdAt: 1_000,
      enqueuedAt: 1_000,
    });
    return { site, visitor, conversation };
  }

  const note = (conversationId: string, text: string): NewMessage =>
    visitorMessage(conversationId, text, { author: 'note', operatorId: null, authorName: 'Ann' });
  const operatorSays = (conversationId: string, text: string): NewMessage =>
    visitorMessage(conversationId, text, { author: 'operator', authorName: 'Ann' });
  const event = (
    siteId: string,
    conversationId: string,
    type: ChatEventRecord['type'],
    at: number,
  ): ChatEventRecord => ({ siteId, conversationId, operatorId: null, type, at, data: { at } });

  describe('units of work', () => {
    it('stores a conversation change, its messages and events together and reports each', async () => {
      const store = current();
      const { site, conversation } = await seed();
      expect(conversation.routingRev).toBe(0);
      const heard: ChatEventRecord[][] = [];
      const off = store.onEvents((events) => heard.push(events));
      const result = await store.commit({
        conversation: { id: conversation.id, patch: { status: 'active', assignedAt: 2_000 }, fence: 1 },
        messages: [visitorMessage(conversation.id, 'hi'), note(conversation.id, 'vip')],
        events: [event(site.id, conversation.id, 'assigned', 2_000)],
      });
      off();
      expect(result.applied).toBe(true);
      expect(result.conversation).toMatchObject({
        id: conversation.id,
        status: 'active',
        assignedAt: 2_000,
        routingRev: 1,
        lastSeq: 2,
      });
      expect(result.messages.map((m) => [m.message.seq, m.duplicate, m.prevPublic])).toEqual([
        [1, false, 0],
        [2, false, 1],
      ]);
      expect(await store.getConversation(conversation.id)).toEqual(result.conversation);
      expect((await store.listMessages(conversation.id, 0)).map((m) => m.text)).toEqual(['hi', 'vip']);
      const stored = await store.listEvents(conversation.id);
      expect(stored.map((e) => e.type)).toEqual(['assigned']);
      expect(heard).toHaveLength(1);
      expect(heard[0]).toEqual([{ ...stored[0], id: expect.any(Number) }]);
      expect(heard[0]?.[0]?.id).toBe(stored[0]?.id);
    });

    it('stores nothing of a unit whose fence is not above the stored routing revision', async () => {
      const store = current();
      const { site, conversation } = await seed();
      await store.commit({ conversation: { id: conversation.id, patch: { status: 'active' }, fence: 5 } });
      const heard: ChatEventRecord[] = [];
      const off = store.onEvents((events) => heard.push(...events));
      for (const fence of [5, 3]) {
        const stale = await store.commit({
          conversation: { id: conversation.id, patch: { status: 'ended', endedAt: 9_000 }, fence },
          messages: [visitorMessage(conversation.id, `stale ${fence}`)],
          events: [event(site.id, conversation.id, 'ended', 9_000)],
        });
        expect(stale).toEqual({
          applied: false,
          conversation: expect.objectContaining({ status: 'active', routingRev: 5, endedAt: null }),
          messages: [],
        });
      }
      expect(await store.listMessages(conversation.id, 0)).toEqual([]);
      expect(await store.listEvents(conversation.id)).toEqual([]);
      expect(heard).toEqual([]);
      const fresh = await store.commit({
        conversation: { id: conversation.id, patch: { status: 'ended', endedAt: 9_500 }, fence: 6 },
      });
      off();
      expect(fresh.conversation).toMatchObject({ status: 'ended', endedAt: 9_500, routingRev: 6 });
      // Without a fence the revision is left alone.
      const tagged = await store.commit({
        conversation: { id: conversation.id, patch: { tags: ['a', 'a'] } },
      });
      expect(tagged.conversation).toMatchObject({ tags: ['a'], routingRev: 6 });
    });

    it('lets exactly one of two nodes win a fence race, and its rows only', async () => {
      const store = current();
      const node2 = await other();
      try {
        const { conversation } = await seed();
        const [a, b] = await Promise.all([
          store.commit({
            conversation: { id: conversation.id, patch: { operatorId: null, status: 'active' }, fence: 7 },
            messages: [visitorMessage(conversation.id, 'from node 1')],
          }),
          node2.commit({
            conversation: { id: conversation.id, patch: { status: 'active' }, fence: 7 },
            messages: [visitorMessage(conversation.id, 'from node 2')],
          }),
        ]);
        expect([a.applied, b.applied].sort()).toEqual([false, true]);
        const winner = a.applied ? 'from node 1' : 'from node 2';
        expect((await store.listMessages(conversation.id, 0)).map((m) => m.text)).toEqual([winner]);
      } finally {
        await node2.close();
      }
    });

    it('rejects a unit with an unknown conversation and stores nothing of it, the rest of the batch commits', async () => {
      const store = current();
      const { site, conversation } = await seed();
      const [bad, good, badConversation] = await Promise.allSettled([
        store.commit({
          conversation: { id: conversation.id, patch: { status: 'active' }, fence: 1 },
          messages: [visitorMessage(conversation.id, 'kept?'), visitorMessage('missing', 'nowhere')],
          events: [event(site.id, conversation.id, 'assigned', 1)],
        }),
        store.appendMessage(visitorMessage(conversation.id, 'plain')),
        store.commit({ conversation: { id: 'missing', patch: { status: 'active' }, fence: 1 } }),
      ]);
      expect(bad.status).toBe('rejected');
      expect(
        await rejectionCode(bad.status === 'rejected' ? Promise.reject(bad.reason) : Promise.resolve()),
      ).toBe('not_found');
      expect(badConversation.status).toBe('rejected');
      expect(good.status).toBe('fulfilled');
      const after = await store.getConversation(conversation.id);
      expect(after).toMatchObject({ status: 'queued', routingRev: 0, lastSeq: 1 });
      expect((await store.listMessages(conversation.id, 0)).map((m) => [m.seq, m.text])).toEqual([
        [1, 'plain'],
      ]);
      expect(await store.listEvents(conversation.id)).toEqual([]);
    });
  });

  describe('messages sent on what a node remembers (requireActive)', () => {
    const guarded = (conversationId: string, text: string, operatorId?: string): NewMessage => ({
      ...visitorMessage(conversationId, text),
      requireActive: operatorId === undefined ? {} : { operatorId },
    });

    it('stores while the conversation is active (with its operator), refuses once it moved on', async () => {
      const store = current();
      const { conversation } = await seed();
      // Queued is not active: a node that remembers an active chat must not write into a requeued one.
      expect(await rejectionCode(store.appendMessage(guarded(conversation.id, 'queued')))).toBe('not_found');
      await store.commit({
        conversation: { id: conversation.id, patch: { status: 'active', operatorId: null }, fence: 1 },
      });
      const ok = await store.appendMessage(guarded(conversation.id, 'active'));
      expect(ok.message.seq).toBe(1);
      expect(
        await rejectionCode(
          store.commit({ messages: [guarded(conversation.id, 'not theirs', 'someone-else')] }),
        ),
      ).toBe('not_found');
      const ann = await store.createOperator({
        email: `ann-${conversation.id}@x.io`,
        name: 'Ann',
        role: 'operator',
        passwordHash: 'h',
        capacity: 2,
        siteIds: [conversation.siteId],
      });
      await store.commit({ conversation: { id: conversation.id, patch: { operatorId: ann.id }, fence: 2 } });
      const hers = await store.commit({ messages: [guarded(conversation.id, 'hers', ann.id)] });
      expect(hers.messages[0]?.message.seq).toBe(2);
      await store.commit({
        conversation: { id: conversation.id, patch: { status: 'ended', endedAt: 5 }, fence: 3 },
      });
      expect(await rejectionCode(store.appendMessage(guarded(conversation.id, 'too late')))).toBe(
        'not_found',
      );
      expect(
        await rejectionCode(store.commit({ messages: [guarded(conversation.id, 'too late, unit')] })),
      ).toBe('not_found');
      // A retry of what was stored while it was active is still answered with the original.
      const retry = await store.appendMessage({
        ...guarded(conversation.id, 'x'),
        clientId: ok.message.clientId,
      });
      expect(retry).toEqual({ ...ok, duplicate: true });
      expect((await store.listMessages(conversation.id, 0)).map((m) => m.text)).toEqual(['active', 'hers']);
    });

    it('sees a change made earlier in the same group commit', async () => {
      const store = current();
      const { conversation } = await seed();
      await store.commit({
        conversation: { id: conversation.id, patch: { status: 'active', operatorId: null }, fence: 1 },
      });
      const [ended, late] = await Promise.allSettled([
        store.commit({
          conversation: { id: conversation.id, patch: { status: 'ended', endedAt: 5 }, fence: 2 },
          messages: [{ ...visitorMessage(conversation.id, 'ended by the visitor'), clientId: null }],
        }),
        store.commit({ messages: [guarded(conversation.id, 'after the end')] }),
      ]);
      expect(ended.status).toBe('fulfilled');
      expect(late.status).toBe('rejected');
      expect((await store.listMessages(conversation.id, 0)).map((m) => m.text)).toEqual([
        'ended by the visitor',
      ]);
    });
  });

  describe('visitor prev-chain', () => {
    it('links each message to the previous non-note one, also for retries, batches and after reopening', async () => {
      const store = current();
      const { conversation: c } = await seed();
      const first = await Promise.all([
        store.appendMessage(visitorMessage(c.id, 'v1', { clientId: 'client-v1' })),
        store.appendMessage(note(c.id, 'n2')),
        store.appendMessage(note(c.id, 'n3')),
      ]);
      const op = await store.appendMessage(operatorSays(c.id, 'o4'));
      const unit = await store.commit({ messages: [note(c.id, 'n5'), visitorMessage(c.id, 'v6')] });
      expect([...first, op, ...unit.messages].map((r) => [r.message.seq, r.prevPublic])).toEqual([
        [1, 0],
        [2, 1],
        [3, 1],
        [4, 1],
        [5, 4],
        [6, 4],
      ]);
      const retry = await store.appendMessage(visitorMessage(c.id, 'v1 again', { clientId: 'client-v1' }));
      expect(retry).toMatchObject({ duplicate: true, prevPublic: 0, message: { seq: 1, text: 'v1' } });
      const noteRetry = await store.appendMessage({
        ...note(c.id, 'x'),
        clientId: unit.messages[0]?.message.clientId ?? null,
      });
      expect(noteRetry).toMatchObject({ duplicate: true, prevPublic: 4, message: { seq: 5 } });
      const node2 = await other();
      try {
        expect((await node2.appendMessage(note(c.id, 'n7'))).prevPublic).toBe(6);
        expect((await node2.appendMessage(operatorSays(c.id, 'o8'))).prevPublic).toBe(6);
        expect((await node2.appendMessage(note(c.id, 'n9'))).prevPublic).toBe(8);
      } finally {
        await node2.close();
      }
    });
  });

  describe('open conversations', () => {
    it('keeps one open conversation per visitor and opens a new one after it ended', async () => {
      const store = current();
      const { site, visitor, conversation } = await seed();
      const input = {
        siteId: site.id,
        visitorId: visitor.id,
        status: 'queued' as const,
        createdAt: 5,
        enqueuedAt: 5,
      };
      expect(await rejectionCode(store.createConversation(input))).toBe('conflict');
      expect(await store.openConversation(input)).toEqual({ conversation, created: false });
      await store.updateConversation(conversation.id, { status: 'ended', endedAt: 4 });
      const opened = await store.openConversation({ ...input, visitorName: 'Eva' });
      expect(opened.created).toBe(true);
      expect(opened.conversation).toMatchObject({
        status: 'queued',
        visitorName: 'Eva',
        routingRev: 0,
        lastSeq: 0,
      });
      expect(await store.getConversation(opened.conversation.id)).toEqual(opened.conversation);
      expect(await store.findOpenConversation(visitor.id)).toEqual(opened.conversation);
      // Reopening an ended conversation while another is open breaks the rule too.
      expect(await rejectionCode(store.updateConversation(conversation.id, { status: 'active' }))).toBe(
        'conflict',
      );
    });

    it('creates exactly one when two nodes race to open one for the same visitor', async () => {
      const store = current();
      const node2 = await other();
      try {
        const site = await store.createSite(newSite());
        const visitor = await store.createVisitor(newVisitor(site.id));
        const input = {
          siteId: site.id,
          visitorId: visitor.id,
          status: 'queued' as const,
          createdAt: 7,
          enqueuedAt: 7,
        };
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) => (i % 2 ? node2 : store).openConversation(input)),
        );
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(results.map((r) => r.conversation.id)).size).toBe(1);
      } finally {
        await node2.close();
      }
    });

    it('lists open conversations with their routing revision', async () => {
      const store = current();
      const { conversation } = await seed();
      await store.commit({ conversation: { id: conversation.id, patch: {}, fence: 3 } });
      const open = await store.listOpenConversations();
      expect(open.find((c) => c.id === conversation.id)?.routingRev).toBe(3);
    });
  });

  describe('visitors, sites and readiness', () => {
    it('ensures a visitor by id once, returning the stored one on later calls', async () => {
      const store = current();
      const site = await store.createSite(newSite());
      const first = await store.ensureVisitor({ ...newVisitor(site.id), id: 'vid-1', tokenHash: 'h1' });
      expect(first.created).toBe(true);
      expect(first.visitor).toMatchObject({ id: 'vid-1', tokenHash: 'h1', attributes: {} });
      const again = await store.ensureVisitor({ ...newVisitor(site.id), id: 'vid-1', tokenHash: 'other' });
      expect(again).toEqual({ visitor: first.visitor, created: false });
      expect(await store.getVisitor('vid-1')).toEqual(first.visitor);
      const node2 = await other();
      try {
        const raced = await Promise.all(
          Array.from({ length: 6 }, (_, i) =>
            (i % 2 ? node2 : store).ensureVisitor({
              ...newVisitor(site.id),
              id: 'vid-2',
              tokenHash: `h${i}`,
            }),
          ),
        );
        expect(raced.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(raced.map((r) => r.visitor.tokenHash)).size).toBe(1);
      } finally {
        await node2.close();
      }
      expect(await rejectionCode(store.ensureVisitor({ ...newVisitor('no-site'), id: 'vid-3' }))).toBe(
        'not_found',
      );
    });

    it('stores per-language widget texts, empty by default', async () => {
      const store = current();
      const site = await store.createSite(newSite());
      expect(site.texts).toEqual({});
      const texts = {
        cs: { greeting: 'Dobrý den', offlineText: 'Nechte nám zprávu' },
        ru: { launcherText: 'Чат' },
      };
      const updated = await store.updateSite(site.id, { texts });
      expect(updated.texts).toEqual(texts);
      expect((await store.getSite(site.id))?.texts).toEqual(texts);
      const withTexts = await store.createSite(newSite({ texts: { en: { prechatText: 'Who are you?' } } }));
      expect((await store.getSiteByKey(withTexts.key))?.texts).toEqual({
        en: { prechatText: 'Who are you?' },
      });
    });

    it('answers a ping', async () => {
      await expect(current().ping()).resolves.toBeUndefined();
    });
  });

  describe('committed events', () => {
    it('tells listeners after the commit, so another connection already reads the event', async () => {
      const store = current();
      const node2 = await other();
      try {
        const { site, conversation } = await seed();
        const seen: Promise<ChatEventRecord[]>[] = [];
        const heard: ChatEventRecord[] = [];
        const off = store.onEvents((events) => {
          heard.push(...events);
          seen.push(node2.listEvents(conversation.id));
        });
        const offBroken = store.onEvents(() => {
          throw new Error('a broken listener');
        });
        await store.appendEvent(event(site.id, conversation.id, 'enqueued', 10));
        expect(heard.map((e) => e.type)).toEqual(['enqueued']);
        expect(typeof heard[0]?.id).toBe('number');
        expect((await seen[0])?.map((e) => e.id)).toEqual([heard[0]?.id]);
        off();
        offBroken();
        await store.appendEvent(event(site.id, conversation.id, 'ended', 20));
        expect(heard).toHaveLength(1);
      } finally {
        await node2.close();
      }
    });
  });
}
