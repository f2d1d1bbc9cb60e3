import { describe, expect, it } from 'vitest';
import { type Candidate, type NewestWalkSteps, walkNewest } from './transcripts.js';

// The newest-first walk against the definition, on histories where message order and conversation order
// disagree as much as they can: conversations get random createdAt (with ties), their messages random ids.
// Narrowing hits are a superset of the matching messages; some conversations fail the filters.
function history(seed: number) {
  let x = seed;
  const rand = () => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    return x / 2 ** 31;
  };
  const conversations = Array.from({ length: 120 }, (_, i) => ({
    id: `c${String(i).padStart(3, '0')}`,
    createdAt: Math.floor(rand() * 40),
    admitted: rand() < 0.85,
  }));
  const ids = [...Array(600).keys()].sort(() => rand() - 0.5);
  const messages = ids.map((id) => {
    const c = conversations[Math.floor(rand() * conversations.length)]!;
    const hit = rand() < 0.3;
    return { id: id + 1, conversationId: c.id, hit, match: hit && rand() < 0.6 };
  });
  // Every conversation's first message has its smallest id (what the SQLite straggler check relies on).
  const first = new Map<string, number>();
  for (const m of [...messages].sort((a, b) => a.id - b.id))
    if (!first.has(m.conversationId)) first.set(m.conversationId, m.id);
  const byId = new Map(conversations.map((c) => [c.id, c]));
  const newer = (a: Candidate, b: Candidate) =>
    a.createdAt !== b.createdAt ? a.createdAt > b.createdAt : a.id > b.id;
  const steps: NewestWalkSteps = {
    async hits(below, n) {
      return messages
        .filter((m) => m.hit && m.id < below)
        .sort((a, b) => b.id - a.id)
        .slice(0, n);
    },
    async admit(list) {
      return list.flatMap((id) => {
        const c = byId.get(id);
        return c?.admitted ? [{ id: c.id, createdAt: c.createdAt }] : [];
      });
    },
    async matching(list) {
      return new Set(list.filter((id) => messages.some((m) => m.conversationId === id && m.match)));
    },
    async stragglers(than, below) {
      return conversations
        .filter((c) => c.admitted && newer(c, than) && (first.get(c.id) ?? Number.POSITIVE_INFINITY) < below)
        .map((c) => ({ id: c.id, createdAt: c.createdAt }));
    },
  };
  const expected = conversations
    .filter((c) => c.admitted && messages.some((m) => m.conversationId === c.id && m.match))
    .sort((a, b) => (newer(a, b) ? -1 : 1))
    .map((c) => c.id);
  return { steps, expected };
}

describe('walkNewest', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'seed %i: the newest matches, whichever way the walk settles',
    async (seed) => {
      const { steps, expected } = history(seed);
      for (const limit of [1, 3, 10, 40]) {
        // Reading the remaining hits at once, and (a handful at a time) the straggler check.
        expect(await walkNewest(steps, limit)).toEqual(expected.slice(0, limit));
        expect(await walkNewest(steps, limit, 5)).toEqual(expected.slice(0, limit));
      }
    },
  );
});
