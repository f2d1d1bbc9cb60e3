import type { Message } from '@beseda/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { visitorCardContract } from './contract-card.js';
import { clusterContract } from './contract-cluster.js';
import { newSite, newVisitor, rejectionCode, visitorMessage } from './contract-fixtures.js';
import { inboxContract } from './contract-inbox.js';
import { searchContract } from './contract-search.js';
import type { Conversation, NewMessage, Store, Visitor } from './types.js';

/**
 * A database for one test. `open` may be called again after the previous store was closed and must
 * reach the same data (that is how durability is tested); `dispose` removes the database.
 */
export interface StoreEnv {
  open(): Promise<Store>;
  dispose(): Promise<void>;
}

export function storeContract(name: string, makeEnv: () => Promise<StoreEnv>): void {
  describe(`Store contract: ${name}`, () => {
    let env: StoreEnv;
    let store: Store;
    let opened: Store[] = [];
    const reopen = async (): Promise<Store> => {
      await store.close();
      store = await env.open();
      opened.push(store);
      return store;
    };

    beforeEach(async () => {
      env = await makeEnv();
      store = await env.open();
      opened = [store];
    });
    afterEach(async () => {
      for (const s of opened) await s.close();
      await env.dispose();
    });

    async function seedConversation(
      over: Partial<Conversation> & { siteId?: string; visitor?: Partial<Visitor> } = {},
    ) {
      const siteId = over.siteId ?? (await store.createSite(newSite())).id;
      const visitor = await store.createVisitor(newVisitor(siteId, over.visitor));
      const conversation = await store.createConversation({
        siteId,
        visitorId: visitor.id,
        status: 'queued',
        createdAt: over.createdAt ?? 1_500,
        enqueuedAt: over.createdAt ?? 1_500,
        visitorName: over.visitorName ?? null,
        visitorEmail: over.visitorEmail ?? null,
      });
      return { siteId, visitor, conversation };
    }

    describe('sites', () => {
      it('round-trips a site, JSON fields included, and finds it by id and key', async () => {
        const hours = { days: [{ day: 1, from: 540, to: 1020 }] };
        const created = await store.createSite(
          newSite({ id: 'site-1', createdAt: 10, businessHours: hours }),
        );
        expect(created).toEqual({
          ...newSite(),
          key: created.key,
          id: 'site-1',
          createdAt: 10,
          businessHours: hours,
          texts: {},
          teams: [],
        });
        expect(await store.getSite('site-1')).toEqual(created);
        expect(await store.getSiteByKey(created.key)).toEqual(created);
        expect(await store.getSite('missing')).toBeNull();
        expect(await store.getSiteByKey('missing')).toBeNull();

        // Teams live with their site, in order; an operator's memberships and a chat's team are kept too.
        const teams = [
          { id: 't-sales', name: 'Sales' },
          { id: 't-support', name: 'Podpora' },
        ];
        expect((await store.updateSite('site-1', { teams })).teams).toEqual(teams);
        expect((await store.getSite('site-1'))?.teams).toEqual(teams);
        const member = await store.createOperator({
          email: 'team@x.io',
          name: 'T',
          role: 'operator',
          passwordHash: 'h',
          capacity: 1,
          siteIds: ['site-1'],
          teamIds: ['t-sales'],
        });
        expect(member.teamIds).toEqual(['t-sales']);
        expect((await store.getOperator(member.id))?.teamIds).toEqual(['t-sales']);
        expect(
          (await store.updateOperator(member.id, { teamIds: ['t-support', 't-sales'] })).teamIds,
        ).toEqual(['t-support', 't-sales']);
        expect((await store.listOperators('site-1')).find((o) => o.id === member.id)?.teamIds).toEqual([
          't-support',
          't-sales',
        ]);
        const visitor = await store.createVisitor(newVisitor('site-1'));
        const forSales = await store.createConversation({
          siteId: 'site-1',
          teamId: 't-sales',
          visitorId: visitor.id,
          status: 'queued',
          createdAt: 1,
          enqueuedAt: 1,
        });
        expect(forSales.teamId).toBe('t-sales');
        expect((await store.getConversation(forSales.id))?.teamId).toBe('t-sales');
        const moved = await store.commit({
          conversation: { id: forSales.id, patch: { teamId: 't-support' }, fence: 3 },
          messages: [],
          events: [],
        });
        expect(moved.conversation?.teamId).toBe('t-support');
        expect((await store.getConversation(forSales.id))?.teamId).toBe('t-support');
        expect((await store.updateConversation(forSales.id, { teamId: null })).teamId).toBeNull();

        const generated = await store.createSite(newSite({ createdAt: 5 }));
        expect(generated.id).toMatch(/^[0-9a-f-]{36}$/);
        expect((await store.listSites()).map((s) => s.id)).toEqual([generated.id, 'site-1']);
      });

      it('updates only the given fields and rejects unknown sites with not_found', async () => {
        const site = await store.createSite(newSite({ businessHours: { days: [] } }));
        const updated = await store.updateSite(site.id, {
          allowedOrigins: ['https://a.example', 'https://b.example'],
          businessHours: null,
          name: undefined,
        });
        expect(updated).toEqual({
          ...site,
          allowedOrigins: ['https://a.example', 'https://b.example'],
          businessHours: null,
        });
        expect(await store.getSite(site.id)).toEqual(updated);
        expect(await rejectionCode(store.updateSite('missing', { name: 'x' }))).toBe('not_found');
      });

      it('refuses a second site with the same key', async () => {
        const site = await store.createSite(newSite());
        expect(await rejectionCode(store.createSite(newSite({ key: site.key })))).toBe('conflict');
      });
    });

    describe('operators', () => {
      it('creates an offline, active operator and finds it by id and case-insensitive email', async () => {
        const a = await store.createSite(newSite({ id: 'site-a' }));
        const b = await store.createSite(newSite({ id: 'site-b' }));
        const op = await store.createOperator({
          email: 'Ann@Example.com',
          name: 'Ann',
          role: 'operator',
          passwordHash: 'scrypt$x',
          capacity: 3,
          siteIds: [b.id, a.id],
        });
        expect(op).toMatchObject({
          status: 'offline',
          active: true,
          capacity: 3,
          siteIds: ['site-a', 'site-b'],
        });
        expect(typeof op.createdAt).toBe('number');
        expect(await store.getOperator(op.id)).toEqual(op);
        expect(await store.getOperatorByEmail('ann@example.COM')).toEqual(op);
        expect(await store.getOperatorByEmail('bob@example.com')).toBeNull();
        expect(await store.getOperator('missing')).toBeNull();
        expect(
          await rejectionCode(store.createOperator({ ...op, email: 'ANN@example.com', id: 'other' })),
        ).toBe('conflict');
      });

      it('lists operators, optionally of one site, and updates fields and site membership', async () => {
        const a = await store.createSite(newSite({ id: 'site-a' }));
        const b = await store.createSite(newSite({ id: 'site-b' }));
        const base = { role: 'operator' as const, passwordHash: 'h', capacity: 2 };
        const ann = await store.createOperator({
          ...base,
          id: 'op-ann',
          email: 'ann@x.io',
          name: 'Ann',
          siteIds: [a.id],
        });
        const bob = await store.createOperator({
          ...base,
          id: 'op-bob',
          email: 'bob@x.io',
          name: 'Bob',
          siteIds: [b.id],
        });
        expect((await store.listOperators()).map((o) => o.id).sort()).toEqual(['op-ann', 'op-bob']);
        expect(await store.listOperators(a.id)).toEqual([ann]);

        const moved = await store.updateOperator(bob.id, {
          siteIds: [a.id, b.id],
          status: 'away',
          capacity: 5,
        });
        expect(moved).toEqual({ ...bob, siteIds: ['site-a', 'site-b'], status: 'away', capacity: 5 });
        expect((await store.listOperators(a.id)).map((o) => o.id).sort()).toEqual(['op-ann', 'op-bob']);

        const retired = await store.updateOperator(ann.id, { active: false, role: 'owner', siteIds: [] });
        expect(retired).toEqual({ ...ann, active: false, role: 'owner', siteIds: [] });
        expect(await store.getOperator(ann.id)).toEqual(retired);
        expect((await store.listOperators(a.id)).map((o) => o.id)).toEqual(['op-bob']);
        expect(await rejectionCode(store.updateOperator('missing', { name: 'x' }))).toBe('not_found');
        expect(await rejectionCode(store.updateOperator('missing', { siteIds: [a.id] }))).toBe('not_found');
      });
    });

    describe('sessions', () => {
      it('round-trips a session with its expiry, even a past one, until deleted', async () => {
        const op = await store.createOperator({
          email: 'o@x.io',
          name: 'O',
          role: 'owner',
          passwordHash: 'h',
          capacity: 1,
          siteIds: [],
        });
        const live = { token: 'tok-live', operatorId: op.id, expiresAt: 4_102_444_800_000 };
        const expired = { token: 'tok-old', operatorId: op.id, expiresAt: 1 };
        await store.createSession(live);
        await store.createSession(expired);
        expect(await store.getSession('tok-live')).toEqual(live);
        // The caller owns the clock and decides whether the session is still valid.
        expect(await store.getSession('tok-old')).toEqual(expired);
        await store.deleteSession('tok-live');
        expect(await store.getSession('tok-live')).toBeNull();
        expect(await store.getSession('unknown')).toBeNull();
      });
    });

    describe('visitors', () => {
      it('round-trips and updates a visitor', async () => {
        const site = await store.createSite(newSite());
        const v = await store.createVisitor(
          newVisitor(site.id, { id: 'vis-1', lang: 'de', userAgent: 'UA' }),
        );
        expect(v).toEqual({
          ...newVisitor(site.id, { lang: 'de', userAgent: 'UA' }),
          id: 'vis-1',
          userId: null,
          verified: false,
          timezone: null,
          attributes: {},
        });
        expect(await store.getVisitor('vis-1')).toEqual(v);
        const identified = {
          name: 'Eva',
          email: 'eva@x.io',
          lastSeenAt: 9_000,
          userId: 'crm-42',
          verified: true,
          timezone: 'Europe/Prague',
          attributes: { plan: 'pro', seats: 3, trial: false },
        };
        await store.updateVisitor('vis-1', { ...identified, lang: undefined });
        expect(await store.getVisitor('vis-1')).toEqual({ ...v, ...identified });
        const full = await store.createVisitor(
          newVisitor(site.id, { userId: 'u1', verified: true, timezone: 'UTC', attributes: { a: 'b' } }),
        );
        expect(await store.getVisitor(full.id)).toMatchObject({
          userId: 'u1',
          verified: true,
          timezone: 'UTC',
          attributes: { a: 'b' },
        });
        expect(await store.getVisitor('missing')).toBeNull();
        expect(await rejectionCode(store.updateVisitor('missing', { name: 'x' }))).toBe('not_found');
      });
    });

    describe('conversations', () => {
      it('creates with defaults, updates, and rejects unknown ids and references', async () => {
        const { siteId, visitor, conversation } = await seedConversation({ visitorName: 'Eva' });
        expect(conversation).toEqual({
          id: conversation.id,
          siteId,
          teamId: null,
          visitorId: visitor.id,
          status: 'queued',
          operatorId: null,
          createdAt: 1_500,
          enqueuedAt: 1_500,
          assignedAt: null,
          endedAt: null,
          lastSeq: 0,
          rating: null,
          ratingComment: null,
          visitorName: 'Eva',
          visitorEmail: null,
          tags: [],
          routingRev: 0,
        });
        expect(await store.getConversation(conversation.id)).toEqual(conversation);
        const op = await store.createOperator({
          email: 'o@x.io',
          name: 'O',
          role: 'operator',
          passwordHash: 'h',
          capacity: 1,
          siteIds: [siteId],
        });
        const ended = await store.updateConversation(conversation.id, {
          status: 'ended',
          operatorId: op.id,
          assignedAt: 1_600,
          endedAt: 1_700,
          rating: 'good',
          ratingComment: 'thanks',
        });
        expect(ended).toEqual({
          ...conversation,
          status: 'ended',
          operatorId: op.id,
          assignedAt: 1_600,
          endedAt: 1_700,
          rating: 'good',
          ratingComment: 'thanks',
        });
        expect(await store.getConversation(conversation.id)).toEqual(ended);
        expect(await store.getConversation('missing')).toBeNull();
        expect(await rejectionCode(store.updateConversation('missing', { status: 'ended' }))).toBe(
          'not_found',
        );
        expect(
          await rejectionCode(
            store.createConversation({
              siteId: 'missing',
              visitorId: visitor.id,
              status: 'queued',
              createdAt: 1,
              enqueuedAt: 1,
            }),
          ),
        ).toBe('not_found');
      });

      it('finds a visitor’s open conversation only while it is queued or active', async () => {
        const { siteId, visitor, conversation } = await seedConversation();
        const other = await seedConversation({ siteId });
        expect((await store.findOpenConversation(visitor.id))?.id).toBe(conversation.id);
        await store.updateConversation(conversation.id, { status: 'active' });
        expect((await store.findOpenConversation(visitor.id))?.id).toBe(conversation.id);
        for (const status of ['ended', 'missed', 'offline'] as const) {
          await store.updateConversation(conversation.id, { status });
          expect(await store.findOpenConversation(visitor.id)).toBeNull();
        }
        expect((await store.findOpenConversation(other.visitor.id))?.id).toBe(other.conversation.id);
      });

      it('lists every queued or active conversation across sites', async () => {
        const queued = await seedConversation({ createdAt: 1 });
        const active = await seedConversation({ createdAt: 2 });
        const ended = await seedConversation({ createdAt: 3 });
        const offline = await seedConversation({ createdAt: 4 });
        await store.updateConversation(active.conversation.id, { status: 'active' });
        await store.updateConversation(ended.conversation.id, { status: 'ended' });
        await store.updateConversation(offline.conversation.id, { status: 'offline' });
        const open = await store.listOpenConversations();
        expect(open.map((c) => [c.id, c.status])).toEqual([
          [queued.conversation.id, 'queued'],
          [active.conversation.id, 'active'],
        ]);
      });
    });

    describe('messages', () => {
      it('gives each conversation its own consecutive seqs and stores the Message fields exactly', async () => {
        const a = await seedConversation();
        const b = await seedConversation({ siteId: a.siteId });
        const op = await store.createOperator({
          email: 'o@x.io',
          name: 'Olga',
          role: 'operator',
          passwordHash: 'h',
          capacity: 1,
          siteIds: [a.siteId],
        });
        const seqs: [string, number][] = [];
        for (const c of [a, b, a, a, b]) {
          const { message } = await store.appendMessage(visitorMessage(c.conversation.id, 'hi'));
          seqs.push([c === a ? 'a' : 'b', message.seq]);
        }
        expect(seqs).toEqual([
          ['a', 1],
          ['b', 1],
          ['a', 2],
          ['a', 3],
          ['b', 2],
        ]);

        const input: NewMessage = {
          conversationId: a.conversation.id,
          clientId: 'op-msg-0001',
          author: 'operator',
          operatorId: op.id,
          authorName: 'Olga',
          text: 'How can I help? «ü» 👋',
          at: 3_000,
        };
        const { message, duplicate } = await store.appendMessage(input);
        const expected: Message = { ...input, seq: 4 };
        expect(duplicate).toBe(false);
        expect(message).toStrictEqual(expected);
        expect(await store.listMessages(a.conversation.id, 3)).toStrictEqual([expected]);
        expect((await store.getConversation(a.conversation.id))?.lastSeq).toBe(4);
        expect((await store.getConversation(b.conversation.id))?.lastSeq).toBe(2);
      });

      it('lists messages after a seq, in seq order, up to a limit', async () => {
        const { conversation } = await seedConversation();
        for (let i = 1; i <= 6; i++) await store.appendMessage(visitorMessage(conversation.id, `m${i}`));
        const texts = (ms: Message[]) => ms.map((m) => `${m.seq}:${m.text}`);
        expect(texts(await store.listMessages(conversation.id, 0))).toEqual([
          '1:m1',
          '2:m2',
          '3:m3',
          '4:m4',
          '5:m5',
          '6:m6',
        ]);
        expect(texts(await store.listMessages(conversation.id, 4))).toEqual(['5:m5', '6:m6']);
        expect(texts(await store.listMessages(conversation.id, 1, 2))).toEqual(['2:m2', '3:m3']);
        expect(await store.listMessages(conversation.id, 6)).toEqual([]);
        expect(await store.listMessages('missing', 0)).toEqual([]);
      });

      it('returns the original for a retried clientId and stores nothing', async () => {
        const { conversation } = await seedConversation();
        const first = await store.appendMessage(
          visitorMessage(conversation.id, 'original', { clientId: 'retry-0001' }),
        );
        const retry = await store.appendMessage(
          visitorMessage(conversation.id, 'changed on retry', { clientId: 'retry-0001', at: 9 }),
        );
        expect(retry).toEqual({ message: first.message, duplicate: true, prevPublic: first.prevPublic });
        const next = await store.appendMessage(visitorMessage(conversation.id, 'next'));
        expect(next.message.seq).toBe(2);
        expect((await store.listMessages(conversation.id, 0)).map((m) => m.text)).toEqual([
          'original',
          'next',
        ]);
      });

      it('dedupes a clientId repeated within one group commit, and only within its conversation', async () => {
        const a = await seedConversation();
        const b = await seedConversation({ siteId: a.siteId });
        const [x, y, z] = await Promise.all([
          store.appendMessage(visitorMessage(a.conversation.id, 'once', { clientId: 'same-0001' })),
          store.appendMessage(visitorMessage(a.conversation.id, 'once', { clientId: 'same-0001' })),
          store.appendMessage(visitorMessage(b.conversation.id, 'other chat', { clientId: 'same-0001' })),
        ]);
        expect(x.duplicate).toBe(false);
        expect(y).toEqual({ message: x.message, duplicate: true, prevPublic: x.prevPublic });
        expect(z.duplicate).toBe(false);
        expect(await store.listMessages(a.conversation.id, 0)).toHaveLength(1);
        expect((await store.getConversation(a.conversation.id))?.lastSeq).toBe(1);
      });

      it('never dedupes messages without a clientId', async () => {
        const { conversation } = await seedConversation();
        const system = visitorMessage(conversation.id, 'Chat ended', { clientId: null, author: 'system' });
        const [p, q] = await Promise.all([store.appendMessage(system), store.appendMessage(system)]);
        expect([p.duplicate, q.duplicate, p.message.seq, q.message.seq]).toEqual([false, false, 1, 2]);
      });

      it('rejects an unknown conversation with not_found without failing the rest of its batch', async () => {
        const { conversation } = await seedConversation();
        const [bad, good] = await Promise.allSettled([
          store.appendMessage(visitorMessage('missing', 'lost')),
          store.appendMessage(visitorMessage(conversation.id, 'kept')),
        ]);
        expect(bad.status === 'rejected' && (bad.reason as { code?: string }).code).toBe('not_found');
        expect(good.status === 'fulfilled' && good.value.message.seq).toBe(1);
        expect(await store.listMessages('missing', 0)).toEqual([]);
      });

      it('undoes a message whose insert fails after its seq was taken, leaving no gap', async () => {
        const { conversation } = await seedConversation();
        const [ghost, good] = await Promise.allSettled([
          store.appendMessage({
            ...visitorMessage(conversation.id, 'from nobody'),
            author: 'operator',
            operatorId: 'ghost',
          }),
          store.appendMessage(visitorMessage(conversation.id, 'kept')),
        ]);
        expect(ghost.status === 'rejected' && (ghost.reason as { code?: string }).code).toBe('not_found');
        expect(good.status === 'fulfilled' && good.value.message.seq).toBe(1);
        expect((await store.getConversation(conversation.id))?.lastSeq).toBe(1);
      });

      it('resolves an append only once another connection can read it', async () => {
        const { conversation } = await seedConversation();
        const reader = await env.open();
        opened.push(reader);
        const results = await Promise.all([
          store.appendMessage(visitorMessage(conversation.id, 'one')),
          store.appendMessage(visitorMessage(conversation.id, 'two')),
        ]);
        expect(await reader.listMessages(conversation.id, 0)).toEqual(results.map((r) => r.message));
      });

      it('keeps seqs gap-free and dedupes retries across two stores on one database (two nodes)', async () => {
        const { conversation } = await seedConversation();
        const other = await env.open();
        opened.push(other);
        const clientIds = Array.from({ length: 20 }, (_, i) => `node-retry-${i}`);
        const results = await Promise.all(
          clientIds.flatMap((clientId) => [
            store.appendMessage(visitorMessage(conversation.id, clientId, { clientId })),
            other.appendMessage(visitorMessage(conversation.id, clientId, { clientId })),
          ]),
        );
        expect(results.filter((r) => !r.duplicate)).toHaveLength(20);
        const stored = await store.listMessages(conversation.id, 0);
        expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        expect(new Set(stored.map((m) => m.clientId))).toEqual(new Set(clientIds));
        for (const r of results) expect(stored).toContainEqual(r.message);
      });

      it('gives a burst of 1000 concurrent messages distinct consecutive seqs in call order', {
        timeout: 30_000,
      }, async () => {
        const { conversation } = await seedConversation();
        const results = await Promise.all(
          Array.from({ length: 1000 }, (_, i) =>
            store.appendMessage(visitorMessage(conversation.id, `burst ${i}`)),
          ),
        );
        expect(results.map((r) => r.message.seq)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
        const stored = await store.listMessages(conversation.id, 0);
        expect(stored.map((m) => m.text)).toEqual(results.map((r) => r.message.text));
        expect((await store.getConversation(conversation.id))?.lastSeq).toBe(1000);
      });
    });

    describe('events', () => {
      it('appends events and lists a conversation’s events in time order with their data', async () => {
        const { siteId, conversation } = await seedConversation();
        const other = await seedConversation({ siteId });
        const op = await store.createOperator({
          email: 'o@x.io',
          name: 'O',
          role: 'operator',
          passwordHash: 'h',
          capacity: 1,
          siteIds: [siteId],
        });
        const base = { siteId, conversationId: conversation.id, operatorId: null, data: null };
        await Promise.all([
          store.appendEvent({
            ...base,
            type: 'assigned',
            at: 20,
            operatorId: op.id,
            data: { via: 'auto', nested: { n: [1, 'two'] } },
          }),
          store.appendEvent({ ...base, type: 'enqueued', at: 10 }),
          store.appendEvent({ ...base, conversationId: other.conversation.id, type: 'enqueued', at: 15 }),
          store.appendEvent({
            siteId: null,
            conversationId: null,
            operatorId: op.id,
            type: 'operator_status',
            at: 12,
            data: { status: 'online' },
          }),
          store.appendMessage(visitorMessage(conversation.id, 'same batch as events')),
        ]);
        const listed = await store.listEvents(conversation.id);
        expect(listed.map(({ id, ...rest }) => rest)).toEqual([
          { ...base, type: 'enqueued', at: 10 },
          {
            ...base,
            type: 'assigned',
            at: 20,
            operatorId: op.id,
            data: { via: 'auto', nested: { n: [1, 'two'] } },
          },
        ]);
        expect(listed.every((e) => typeof e.id === 'number')).toBe(true);
        expect(await store.listEvents('missing')).toEqual([]);
      });

      it('rejects an event for an unknown conversation with not_found', async () => {
        const code = await rejectionCode(
          store.appendEvent({
            siteId: null,
            conversationId: 'missing',
            operatorId: null,
            type: 'ended',
            at: 1,
            data: null,
          }),
        );
        expect(code).toBe('not_found');
      });
    });

    describe('transcript search', () => {
      async function finished(opts: {
        siteId: string;
        createdAt: number;
        status?: Conversation['status'];
        operatorId?: string;
        visitor?: Partial<Visitor>;
        visitorName?: string;
        visitorEmail?: string;
        texts?: string[];
      }) {
        const seeded = await seedConversation(opts);
        for (const text of opts.texts ?? [])
          await store.appendMessage(visitorMessage(seeded.conversation.id, text));
        await store.updateConversation(seeded.conversation.id, {
          status: opts.status ?? 'ended',
          operatorId: opts.operatorId ?? null,
        });
        return seeded.conversation.id;
      }
      const ids = (r: Awaited<ReturnType<Store['searchTranscripts']>>) =>
        r.items.map((i) => i.conversation.id);

      it('lists finished conversations of the given sites, newest first, with count and first visitor words', async () => {
        const site = await store.createSite(newSite());
        const elsewhere = await store.createSite(newSite());
        const long = `${'x'.repeat(150)} tail`;
        const ended = await finished({ siteId: site.id, createdAt: 100, texts: [long, 'second'] });
        const missed = await finished({
          siteId: site.id,
          createdAt: 300,
          status: 'missed',
          texts: ['waited'],
        });
        const offline = await finished({
          siteId: site.id,
          createdAt: 200,
          status: 'offline',
          texts: ['email me'],
        });
        await finished({ siteId: site.id, createdAt: 400, status: 'active', texts: ['still talking'] });
        await seedConversation({ siteId: site.id, createdAt: 500 });
        await finished({ siteId: elsewhere.id, createdAt: 600, texts: ['other site'] });

        const opId = (
          await store.createOperator({
            email: 'o@x.io',
            name: 'O',
            role: 'operator',
            passwordHash: 'h',
            capacity: 1,
            siteIds: [],
          })
        ).id;
        const first = await seedConversation({ siteId: site.id, createdAt: 50 });
        await store.appendMessage({
          ...visitorMessage(first.conversation.id, 'operator spoke first'),
          author: 'operator',
          operatorId: opId,
        });
        await store.appendMessage(visitorMessage(first.conversation.id, 'visitor answer'));
        await store.updateConversation(first.conversation.id, { status: 'ended' });

        const result = await store.searchTranscripts({ siteIds: [site.id] });
        expect(ids(result)).toEqual([missed, offline, ended, first.conversation.id]);
        expect(result.nextBefore).toBeNull();
        const byId = new Map(result.items.map((i) => [i.conversation.id, i]));
        expect(byId.get(ended)?.messageCount).toBe(2);
        expect(byId.get(ended)?.snippet).toHaveLength(140);
        expect(long.startsWith(byId.get(ended)?.snippet.slice(0, 139) ?? '-')).toBe(true);
        expect(byId.get(missed)?.snippet).toBe('waited');
        expect(byId.get(first.conversation.id)?.snippet).toBe('visitor answer');
        expect(byId.get(missed)?.conversation.status).toBe('missed');
        expect(ids(await store.searchTranscripts({ siteIds: [site.id, elsewhere.id] }))).toHaveLength(5);
        expect(ids(await store.searchTranscripts({ siteIds: [] }))).toEqual([]);
      });

      it('finds conversations by message words, each once, with a snippet of the match', async () => {
        const { id: siteId } = await store.createSite(newSite());
        const refund = await finished({
          siteId,
          createdAt: 100,
          texts: ['Hello there', 'I want a REFUND for my order', 'refund please, the order was late'],
        });
        const cyrillic = await finished({ siteId, createdAt: 200, texts: ['Где мой ЗАКАЗ?'] });
        await finished({ siteId, createdAt: 300, texts: ['Just browsing'] });

        const hit = await store.searchTranscripts({ siteIds: [siteId], q: 'refund' });
        expect(ids(hit)).toEqual([refund]);
        expect(hit.items[0]?.snippet.toLowerCase()).toContain('refund');
        expect(hit.items[0]?.messageCount).toBe(3);
        expect(ids(await store.searchTranscripts({ siteIds: [siteId], q: 'order  REFUND' }))).toEqual([
          refund,
        ]);
        expect(ids(await store.searchTranscripts({ siteIds: [siteId], q: 'refund browsing' }))).toEqual([]);
        expect(ids(await store.searchTranscripts({ siteIds: [siteId], q: 'заказ' }))).toEqual([cyrillic]);
        expect(ids(await store.searchTranscripts({ siteIds: [siteId], q: 'missingword' }))).toEqual([]);
        for (const q of [
          '"',
          'refund"',
          'NEAR(refund',
          'text:refund',
          '*',
          'refund OR',
          "'; drop table messages; --",
          '(',
        ]) {
          const r = await store.searchTranscripts({ siteIds: [siteId], q });
          expect(ids(r).every((id) => id === refund)).toBe(true);
        }
        expect(ids(await store.searchTranscripts({ siteIds: [siteId], q: '   ' }))).toHaveLength(3);
      });

      it('filters by creation time (both ends inclusive) and by operator', async () => {
        const { id: siteId } = await store.createSite(newSite());
        const base = { role: 'operator' as const, passwordHash: 'h', capacity: 1, siteIds: [siteId] };
        const ann = await store.createOperator({ ...base, email: 'ann@x.io', name: 'Ann' });
        const bob = await store.createOperator({ ...base, email: 'bob@x.io', name: 'Bob' });
        const c1 = await finished({ siteId, createdAt: 1_000, operatorId: ann.id });
        const c2 = await finished({ siteId, createdAt: 2_000, operatorId: bob.id });
        const c3 = await finished({ siteId, createdAt: 3_000, operatorId: ann.id });
        expect(ids(await store.searchTranscripts({ siteIds: [siteId], from: 2_000 }))).toEqual([c3, c2]);
        expect(ids(await store.searchTranscripts({ siteIds: [siteId], to: 2_999 }))).toEqual([c2, c1]);
        expect(ids(await store.searchTranscripts({ siteIds: [siteId], from: 1_000, to: 2_000 }))).toEqual([
          c2,
          c1,
        ]);
        expect(ids(await store.searchTranscripts({ siteIds: [siteId], from: 1_001, to: 2_999 }))).toEqual([
          c2,
        ]);
        expect(ids(await store.searchTranscripts({ siteIds: [siteId], operatorId: ann.id }))).toEqual([
          c3,
          c1,
        ]);
        expect(
          ids(await store.searchTranscripts({ siteIds: [siteId], operatorId: bob.id, from: 2_500 })),
        ).toEqual([]);
      });

      it('filters by tag, rating and finished status', async () => {
        const { id: siteId } = await store.createSite(newSite());
        const good = await finished({ siteId, createdAt: 1 });
        const bad = await finished({ siteId, createdAt: 2 });
        const missed = await finished({ siteId, createdAt: 3, status: 'missed' });
        const offline = await finished({ siteId, createdAt: 4, status: 'offline' });
        await store.updateConversation(good, { rating: 'good', tags: ['refund', 'vip'] });
        await store.updateConversation(bad, { rating: 'bad', tags: ['refund'] });
        await store.updateConversation(missed, { tags: ['vip'] });
        const search = (q: Partial<Parameters<Store['searchTranscripts']>[0]>) =>
          store.searchTranscripts({ siteIds: [siteId], ...q }).then(ids);
        expect(await search({ tag: 'refund' })).toEqual([bad, good]);
        expect(await search({ tag: 'vip' })).toEqual([missed, good]);
        expect(await search({ tag: 'ref' })).toEqual([]);
        expect(await search({ rating: 'good' })).toEqual([good]);
        expect(await search({ rating: 'bad', tag: 'vip' })).toEqual([]);
        expect(await search({ status: 'missed' })).toEqual([missed]);
        expect(await search({ status: 'offline' })).toEqual([offline]);
        expect(await search({ status: 'ended' })).toEqual([bad, good]);
      });

      it('filters by visitor name, email or id, ignoring case', async () => {
        const { id: siteId } = await store.createSite(newSite());
        const eva = await finished({
          siteId,
          createdAt: 1,
          visitor: { name: 'Eva Müller', email: 'eva@shop.example' },
        });
        const ivan = await finished({
          siteId,
          createdAt: 2,
          visitorName: 'Иван Петров',
          visitorEmail: 'IVAN@Mail.example',
        });
        const anon = await finished({ siteId, createdAt: 3, visitor: { id: 'Visitor-ABC' } });
        const search = (visitor: string) => store.searchTranscripts({ siteIds: [siteId], visitor });
        expect(ids(await search('eva'))).toEqual([eva]);
        expect(ids(await search('SHOP.example'))).toEqual([eva]);
        expect(ids(await search('иван'))).toEqual([ivan]);
        expect(ids(await search('ivan@mail'))).toEqual([ivan]);
        expect(ids(await search('visitor-abc'))).toEqual([anon]);
        expect(ids(await search('nobody'))).toEqual([]);
        expect(ids(await search('%'))).toEqual([]);
      });

      it('pages with the before cursor without skipping or repeating conversations created in the same ms', async () => {
        const { id: siteId } = await store.createSite(newSite());
        const times = [500, 400, 400, 400, 300, 200, 100];
        const all: string[] = [];
        for (const t of times) all.push(await finished({ siteId, createdAt: t }));

        const seen: string[] = [];
        const cursors: (number | null)[] = [];
        let before: number | undefined;
        for (let page = 0; page < 10; page++) {
          const r = await store.searchTranscripts({ siteIds: [siteId], limit: 2, before });
          seen.push(...ids(r));
          cursors.push(r.nextBefore);
          if (r.nextBefore === null) break;
          before = r.nextBefore;
        }
        expect([...seen].sort()).toEqual([...all].sort());
        expect(seen).toHaveLength(all.length);
        expect(cursors.at(-1)).toBeNull();
        expect(cursors[0]).toBe(400);

        const exact = await store.searchTranscripts({ siteIds: [siteId], limit: 1, before: 400 });
        expect(ids(exact)).toEqual([all[4]]);
        expect(exact.nextBefore).toBe(300);
        expect((await store.searchTranscripts({ siteIds: [siteId] })).items).toHaveLength(7);
      });
    });

    visitorCardContract(() => store);
    inboxContract(() => store);
    searchContract(() => store);
    clusterContract(
      () => store,
      () => env.open(),
    );

    describe('durability', () => {
      it('close() commits writes still waiting for their group commit, and a reopened store has everything', async () => {
        const site = await store.createSite(newSite());
        const { conversation } = await seedConversation({ siteId: site.id });
        const op = await store.createOperator({
          email: 'o@x.io',
          name: 'O',
          role: 'operator',
          passwordHash: 'h',
          capacity: 2,
          siteIds: [site.id],
        });
        await store.createSession({ token: 'tok', operatorId: op.id, expiresAt: 123 });
        const pending = [
          store.appendMessage(visitorMessage(conversation.id, 'written during close')),
          store.appendMessage(visitorMessage(conversation.id, 'me too')),
        ];
        const event = store.appendEvent({
          siteId: site.id,
          conversationId: conversation.id,
          operatorId: null,
          type: 'enqueued',
          at: 1,
          data: { a: 1 },
        });
        await store.close();
        const written = await Promise.all(pending);
        await event;
        expect(written.map((w) => w.message.seq)).toEqual([1, 2]);

        const again = await reopen();
        expect(await again.getSite(site.id)).toEqual(site);
        expect(await again.getOperator(op.id)).toEqual(op);
        expect(await again.getSession('tok')).toEqual({ token: 'tok', operatorId: op.id, expiresAt: 123 });
        expect(await again.listMessages(conversation.id, 0)).toEqual(written.map((w) => w.message));
        expect((await again.listEvents(conversation.id)).map((e) => e.data)).toEqual([{ a: 1 }]);
        const retry = await again.appendMessage({
          ...visitorMessage(conversation.id, 'x'),
          clientId: written[0]!.message.clientId,
        });
        expect(retry).toEqual({ message: written[0]!.message, duplicate: true, prevPublic: 0 });
        expect((await again.appendMessage(visitorMessage(conversation.id, 'after reopen'))).message.seq).toBe(
          3,
        );
      });

      it('refuses writes after close', async () => {
        const { conversation } = await seedConversation();
        await store.close();
        await expect(store.appendMessage(visitorMessage(conversation.id, 'late'))).rejects.toThrow();
      });
    });
  });
}
