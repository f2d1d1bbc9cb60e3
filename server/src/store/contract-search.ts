import { describe, expect, it } from 'vitest';
import { newSite, newVisitor, visitorMessage } from './contract-fixtures.js';
import type { Store } from './types.js';

/** Transcript text search as people type it: without diacritics, word beginnings, phrases, Cyrillic. */
export function searchContract(current: () => Store): void {
  async function chat(siteId: string, createdAt: number, texts: string[]) {
    const store = current();
    const v = await store.createVisitor(newVisitor(siteId));
    const c = await store.createConversation({
      siteId,
      visitorId: v.id,
      status: 'queued',
      createdAt,
      enqueuedAt: createdAt,
    });
    for (const t of texts) await store.appendMessage(visitorMessage(c.id, t));
    await store.updateConversation(c.id, { status: 'ended', endedAt: createdAt + 1 });
    return c.id;
  }
  const find = async (siteIds: string[], q: string) =>
    (await current().searchTranscripts({ siteIds, q })).items.map((i) => i.conversation.id);

  describe('visitor name / e-mail substring search (trigram indexes)', () => {
    async function visitorChat(
      siteId: string,
      createdAt: number,
      visitor: { name?: string; email?: string },
      copy: { visitorName?: string; visitorEmail?: string } = {},
    ) {
      const store = current();
      const v = await store.createVisitor(newVisitor(siteId, visitor));
      const c = await store.createConversation({
        siteId,
        visitorId: v.id,
        status: 'ended',
        createdAt,
        enqueuedAt: createdAt,
        ...copy,
      });
      return { visitorId: v.id, conversationId: c.id };
    }
    const byVisitor = async (siteIds: string[], visitor: string, limit?: number) =>
      (await current().searchTranscripts({ siteIds, visitor, limit })).items.map((i) => i.conversation.id);

    it('finds any substring of the name or e-mail, in any case, and stays current as identities change', async () => {
      const site = (await current().createSite(newSite())).id;
      const other = (await current().createSite(newSite())).id;
      const jana = await visitorChat(site, 10, { name: 'Jana Nováková', email: 'jana.novak@posta.example' });
      const ivan = await visitorChat(
        site,
        20,
        {},
        { visitorName: 'Иван Петров', visitorEmail: 'ivan@pochta.example' },
      );
      const percent = await visitorChat(site, 30, { name: 'Sleva 50% Shop' });
      const elsewhere = await visitorChat(other, 40, { name: 'Jana Nováková' });
      // Three characters and more go through the trigram index, shorter ones are tested row by row.
      expect(await byVisitor([site], 'ováko')).toEqual([jana.conversationId]);
      expect(await byVisitor([site], 'NOVAK@POSTA')).toEqual([jana.conversationId]);
      expect(await byVisitor([site], 'петров')).toEqual([ivan.conversationId]);
      expect(await byVisitor([site], 'ПЕТ')).toEqual([ivan.conversationId]);
      expect(await byVisitor([site], 'ch')).toEqual([ivan.conversationId]);
      expect(await byVisitor([site], '.example')).toEqual([ivan.conversationId, jana.conversationId]);
      // '%' and '_' are characters to find, not wildcards.
      expect(await byVisitor([site], '50% s')).toEqual([percent.conversationId]);
      expect(await byVisitor([site], 'a_a')).toEqual([]);
      expect(await byVisitor([site], 'nováková petrov')).toEqual([]);
      expect(await byVisitor([site, other], 'nováková')).toEqual([
        elsewhere.conversationId,
        jana.conversationId,
      ]);
      expect(await byVisitor([other], 'posta')).toEqual([]);

      // The visitor is identified later: found by the new name, no longer by the old one; the conversation's
      // own copy is searched too.
      await current().updateVisitor(jana.visitorId, { name: 'Jana Dvořáková', email: null });
      await current().updateConversation(ivan.conversationId, { visitorEmail: 'ivan@novy.example' });
      expect(await byVisitor([site], 'dvořák')).toEqual([jana.conversationId]);
      expect(await byVisitor([site], 'novak@posta')).toEqual([]);
      expect(await byVisitor([site], 'novy.ex')).toEqual([ivan.conversationId]);
      expect(await byVisitor([site], 'pochta')).toEqual([]);
    });

    it('pages a common needle newest first without gaps or repeats', async () => {
      const site = (await current().createSite(newSite())).id;
      const all: string[] = [];
      for (let i = 0; i < 9; i++)
        all.unshift(
          (await visitorChat(site, 100 + i, { email: `zakaznik${i}@shop.example` })).conversationId,
        );
      await visitorChat(site, 50, { email: 'someone@else.example' });
      const seen: string[] = [];
      let before: number | undefined;
      for (let page = 0; page < 10; page++) {
        const r = await current().searchTranscripts({
          siteIds: [site],
          visitor: 'zakaznik',
          limit: 2,
          before,
        });
        seen.push(...r.items.map((i) => i.conversation.id));
        if (r.nextBefore === null) break;
        before = r.nextBefore;
      }
      expect(seen).toEqual(all);
    });
  });

  describe('transcript text search', () => {
    it('ignores diacritics and case, matches word beginnings and phrases, in Czech and Russian', async () => {
      const site = (await current().createSite(newSite())).id;
      const parcel = await chat(site, 10, ['Kde je moje ZÁSILKA? Objednávka 123']);
      const free = await chat(site, 20, ['Doprava zdarma nad 1000 Kč']);
      const paid = await chat(site, 30, ['Zdarma není nic, doprava stojí 99 Kč']);
      const russian = await chat(site, 40, ['Где мой заказ? Ёлка уже доставлена']);
      expect(await find([site], 'zasilka')).toEqual([parcel]);
      expect(await find([site], 'Zásilka')).toEqual([parcel]);
      expect(await find([site], 'objedn')).toEqual([parcel]);
      expect(await find([site], 'doprava zdarma')).toEqual([paid, free]);
      expect(await find([site], '"doprava zdarma"')).toEqual([free]);
      expect(await find([site], 'заказ')).toEqual([russian]);
      expect(await find([site], 'ЗАКА')).toEqual([russian]);
      expect(await find([site], 'елка')).toEqual([russian]);
      expect(await find([site], 'nothing-like-this')).toEqual([]);
    });

    it('finds only the sites asked for', async () => {
      const a = (await current().createSite(newSite())).id;
      const b = (await current().createSite(newSite())).id;
      const inA = await chat(a, 10, ['reklamace zboží']);
      const inB = await chat(b, 20, ['reklamace zboží']);
      expect(await find([a], 'reklamace')).toEqual([inA]);
      expect(await find([b], 'reklamace')).toEqual([inB]);
      expect(await find([], 'reklamace')).toEqual([]);
    });

    it('pages without gaps or repeats while new messages and chats arrive', async () => {
      const site = (await current().createSite(newSite())).id;
      const all: string[] = [];
      for (let i = 0; i < 7; i++) all.unshift(await chat(site, 100 + i, [`faktura číslo ${i}`]));
      const store = current();
      const first = await store.searchTranscripts({ siteIds: [site], q: 'faktura', limit: 3 });
      // Newer chats and messages arrive between pages: they are newer than the cursor and never shift it.
      await chat(site, 500, ['faktura nová']);
      const second = await store.searchTranscripts({
        siteIds: [site],
        q: 'faktura',
        limit: 3,
        before: first.nextBefore ?? undefined,
      });
      const third = await store.searchTranscripts({
        siteIds: [site],
        q: 'faktura',
        limit: 3,
        before: second.nextBefore ?? undefined,
      });
      expect([...first.items, ...second.items, ...third.items].map((i) => i.conversation.id)).toEqual(all);
      expect(third.nextBefore).toBeNull();
    });
  });
}
