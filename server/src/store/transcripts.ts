import type { ConversationStatus } from '@beseda/shared';
import type { SearchMatcher } from './search-match.js';
import type { Conversation, TranscriptListRows } from './types.js';

/** Statuses the history page lists: the conversation is over, whichever way it ended. */
export const FINISHED_STATUSES = [
  'ended',
  'missed',
  'offline',
] as const satisfies readonly ConversationStatus[];
export const OPEN_STATUSES = ['queued', 'active'] as const satisfies readonly ConversationStatus[];

export const DEFAULT_TRANSCRIPT_LIMIT = 50;
export const SNIPPET_LENGTH = 140;

export type TranscriptRow = TranscriptListRows['items'][number];

/** Cuts by code points so a cut never splits a surrogate pair (emoji). */
export function truncateSnippet(text: string | null | undefined): string {
  if (!text) return '';
  const chars = Array.from(text);
  return chars.length <= SNIPPET_LENGTH ? text : `${chars.slice(0, SNIPPET_LENGTH - 1).join('')}…`;
}

/** Words of a search box entry; pieces without a letter or digit cannot match any indexed token. */
export function searchTokens(q: string | undefined): string[] {
  if (!q) return [];
  return q.split(/\s+/u).filter((t) => /[\p{L}\p{N}]/u.test(t));
}

/**
 * Search box entry → prefix words and quoted phrases (`"doprava zdarma" objedn`), each a list of tokens.
 * Odd segments of a split on '"' were inside quotes; a quoted single word is just a word.
 */
export function parseSearch(q: string | undefined): { words: string[]; phrases: string[][] } {
  const words: string[] = [];
  const phrases: string[][] = [];
  (q ?? '').split('"').forEach((segment, i) => {
    const tokens = searchTokens(segment);
    if (i % 2 === 1 && tokens.length > 1) phrases.push(tokens);
    else words.push(...tokens);
  });
  return { words, phrases };
}

/** Letters with diacritics (Latin-1, Latin Extended-A, Cyrillic ё and й) and the base letter each folds to. */
function diacriticsMap(): { from: string; to: string } {
  let from = '';
  let to = '';
  const candidates = [
    ...Array.from({ length: 0x180 - 0xc0 }, (_, i) => 0xc0 + i),
    0x401,
    0x419,
    0x439,
    0x451,
  ];
  for (const cp of candidates) {
    const ch = String.fromCodePoint(cp).toLowerCase();
    const base = ch.normalize('NFD').replace(/\p{M}/gu, '');
    if (ch.length === 1 && base !== ch && base.length === 1 && !from.includes(ch)) {
      from += ch;
      to += base;
    }
  }
  return { from, to };
}
export const DIACRITICS = diacriticsMap();

/** Lower case without diacritics: `Zásilka` → `zasilka`, `Ёлка` → `елка` (what the PostgreSQL index holds). */
export function foldForSearch(s: string): string {
  return s.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');
}

/** A bound on createdAt, newest first: rows older than `before`, or exactly those at `at`. */
export type PageBound = { before?: number; limit: number } | { at: number };

/**
 * The cursor is a bare createdAt (the protocol's `before`), so a page must never end inside a group of
 * conversations created in the same millisecond: the next page would skip the rest of the group. Such a
 * group is therefore completed on this page, which then holds more than `limit` rows.
 */
export async function pageByCreatedAt(
  fetch: (bound: PageBound) => Promise<TranscriptRow[]>,
  before: number | undefined,
  limit: number,
): Promise<TranscriptListRows> {
  const rows = await fetch({ before, limit: limit + 1 });
  const last = rows[limit - 1];
  const next = rows[limit];
  if (!last || !next) return { items: rows, nextBefore: null };
  const boundary = last.conversation.createdAt;
  if (next.conversation.createdAt !== boundary) return { items: rows.slice(0, limit), nextBefore: boundary };
  const tied = await fetch({ at: boundary });
  const items = [...rows.filter((r) => r.conversation.createdAt > boundary), ...tied];
  const older = await fetch({ before: boundary, limit: 1 });
  return { items, nextBefore: older.length > 0 ? boundary : null };
}

/**
 * A page's rows with their snippets: the first message (by seq) that matches the search, cut around the
 * match; without search words, the visitor's first message. `texts` are the page's messages ordered by
 * conversation and seq (only read when there is a matcher).
 */
export function withSnippets(
  rows: { conversation: Conversation; firstVisitorText: string | null }[],
  matcher: SearchMatcher | null,
  texts: { conversationId: string; text: string }[],
): TranscriptRow[] {
  const found = new Map<string, string>();
  if (matcher) {
    for (const t of texts) {
      // The quick test first: cutting a snippet splits the text into words.
      if (found.has(t.conversationId) || !matcher.test(t.text)) continue;
      found.set(t.conversationId, matcher.snippet(t.text));
    }
  }
  return rows.map((r) => ({
    conversation: r.conversation,
    // Seqs start at 1 and have no gaps, so the last seq is the number of messages.
    messageCount: r.conversation.lastSeq,
    // PostgreSQL's parser splits a few things (e-mail addresses, URLs) unlike search-match.ts: a match the
    // matcher does not see shows the visitor's first words.
    snippet: found.get(r.conversation.id) ?? truncateSnippet(r.firstVisitorText),
  }));
}

export interface Candidate {
  id: string;
  createdAt: number;
}

/** Tests force either way of finding matches; both must give the same pages. */
export type SearchPlan = 'auto' | 'scan' | 'index' | 'walk';

/** How the text search of one dialect reaches its rows (see newestMatching). */
export interface TextSearchSteps {
  /**
   * Up to `k` conversations within `bound` that pass every filter but the text, newest first (createdAt,
   * then id, descending), and older than `after` when given.
   */
  candidates(bound: PageBound, k: number, after?: Candidate): Promise<Candidate[]>;
  /** Those of `ids` that hold a message matching the text. */
  matching(ids: string[]): Promise<Set<string>>;
  /** Up to `limit` matching conversations within `bound`, newest first, found through the full-text index. */
  viaIndex(bound: PageBound, limit: number): Promise<string[]>;
  /**
   * The walk of `walkNewest`, where the dialect has one for this query (see NewestWalkSteps); `cheap` when
   * its narrowing reads exact tokens only (phrases), so it is worth trying before any window.
   */
  walk?: { cheap: boolean; steps: (bound: PageBound) => NewestWalkSteps };
}

const FIRST_WINDOW = 400;
// Testing a conversation costs ~8 µs (SQLite) whatever the database's size, so a window this large stays
// within the search budget; a term in fewer of the newest conversations than a page per this many is
// rare enough for the index.
const LARGEST_WINDOW = 4_000;
/** A share of matches this low in the first window (under 1 in 24) asks for the walk where there is one. */
const WALK_AFTER = 1_200;

/**
 * Ids of the newest conversations that match, exact on both plans. A common term is in many of the newest
 * conversations: test windows of them, newest first, growing while the share found says a larger window
 * will fill the page. A rare term is not: the index's list of its messages is short, so collect and sort
 * those. (Reading a common term's list is what made searches take seconds: it is most of the index.)
 */
export async function newestMatching(
  steps: TextSearchSteps,
  bound: PageBound,
  plan: SearchPlan = 'auto',
): Promise<string[]> {
  if ('at' in bound) return matchingOf(steps, await steps.candidates(bound, Number.MAX_SAFE_INTEGER));
  if (plan === 'index') return steps.viaIndex(bound, bound.limit);
  let walked = false;
  const walk = async () => {
    walked = true;
    return steps.walk ? walkNewest(steps.walk.steps(bound), bound.limit) : null;
  };
  // Phrases read newest first from the index settle most pages after a few hundred hits, where windows
  // would test thousands of conversations and the index's plain way reads every hit (phrases of common
  // words are often rare together). Too long a walk (a restrictive filter) falls back to the windows.
  if (steps.walk && (plan === 'walk' || (plan === 'auto' && steps.walk.cheap))) {
    const ids = await walk();
    if (ids !== null) return ids;
  }
  // Windows follow each other (keyset on createdAt, id), so no conversation is tested twice.
  const hits: string[] = [];
  let after: Candidate | undefined;
  let tested = 0;
  let k = FIRST_WINDOW;
  for (;;) {
    const window = await steps.candidates(bound, k, after);
    hits.push(...(await matchingOf(steps, window)));
    tested += window.length;
    if (hits.length >= bound.limit) return hits.slice(0, bound.limit);
    // Fewer candidates than asked for: that was all of them.
    if (window.length < k) return hits;
    after = window[window.length - 1];
    const needed = hits.length === 0 ? Number.POSITIVE_INFINITY : (tested * bound.limit) / hits.length;
    // Words that are common apiece but rare together: the walk reads the index's hits of all of them
    // (each a match, or nearly), newest first, instead of windows of thousands.
    if (plan === 'auto' && needed > WALK_AFTER && !walked) {
      const ids = await walk();
      if (ids !== null) return ids;
    }
    if (plan === 'auto' && needed > LARGEST_WINDOW) return steps.viaIndex(bound, bound.limit);
    k = Math.max(FIRST_WINDOW, Math.min(LARGEST_WINDOW, Math.ceil(needed * 1.25) - tested));
  }
}

async function matchingOf(steps: TextSearchSteps, window: Candidate[]): Promise<string[]> {
  const found = await steps.matching(window.map((c) => c.id));
  return window.filter((c) => found.has(c.id)).map((c) => c.id);
}

/**
 * How a dialect whose full-text index can be read newest message first, lazily (SQLite FTS5: ORDER BY
 * rowid DESC), reaches the newest conversations that match a narrowing expression — the query's phrases,
 * whose rows are exact tokens, cheap to read in order without merging a prefix's lists.
 */
export interface NewestWalkSteps {
  /** Up to `n` message ids below `below`, newest first, that match the narrowing, with their conversations. */
  hits(below: number, n: number): Promise<{ id: number; conversationId: string }[]>;
  /** Those of `ids` that pass every filter and the bound. */
  admit(ids: string[]): Promise<Candidate[]>;
  /** Those of `ids` with a message matching the whole query. */
  matching(ids: string[]): Promise<Set<string>>;
  /** Conversations passing every filter and the bound, newer than `than`, holding a message below `below`. */
  stragglers(than: Candidate, below: number): Promise<Candidate[]>;
  /** Hits of the first read, when each read costs more than its hits (prefix lists merged every time). */
  firstRead?: number;
}

/** Hits read per step: a page's worth first (a common phrase needs no more), then doubling up to this. */
const WALK_CHUNK = 1_000;
/** Past this many narrowing hits the walk gives up and the caller plans as before. */
const WALK_LIMIT = 10_000;
/**
 * Hits read at once after the page is full: fewer left means a rare term, settled by them; more means
 * hits are dense enough that the page ends a few thousand conversations back, where the straggler check
 * is cheap.
 */
const WALK_REST = 500;

const newer = (a: Candidate, b: Candidate) =>
  a.createdAt !== b.createdAt ? a.createdAt > b.createdAt : a.id > b.id;

/**
 * The newest `limit` matching conversations through the index read newest message first, or null when that
 * takes more than WALK_LIMIT hits. Message order is not conversation order (a conversation's later messages
 * come after newer conversations' first ones), so the walk stops at the `limit`-th match T having read every
 * hit above message id r, and then tests exactly the conversations newer than T that hold a message below r:
 * only they can hide a match the walk did not reach (or, for a rare term, reads the remaining hits, which
 * tells the same). Every conversation the walk touches is tested whole.
 */
export async function walkNewest(
  steps: NewestWalkSteps,
  limit: number,
  restAtOnce = WALK_REST,
): Promise<string[] | null> {
  const seen = new Set<string>();
  const found: Candidate[] = [];
  let below = Number.MAX_SAFE_INTEGER;
  let walked = 0;
  let chunk = steps.firstRead ?? limit + 14;
  for (;;) {
    const hits = await steps.hits(below, chunk);
    const fresh = [...new Set(hits.map((h) => h.conversationId))].filter((id) => !seen.has(id));
    for (const id of fresh) seen.add(id);
    const admitted = await steps.admit(fresh);
    const matched = await steps.matching(admitted.map((c) => c.id));
    found.push(...admitted.filter((c) => matched.has(c.id)));
    walked += hits.length;
    if (hits.length < chunk)
      return sortNewest(found)
        .slice(0, limit)
        .map((c) => c.id);
    chunk = Math.min(WALK_CHUNK, chunk * 2);
    below = hits[hits.length - 1]?.id ?? 0;
    if (found.length >= limit) break;
    if (walked >= WALK_LIMIT) return null;
  }
  // A rare term's remaining hits are fewer than the conversations down to the page's end: reading them
  // settles the page (only conversations newer than its last can change it).
  let page = sortNewest(found).slice(0, limit);
  const rest = await steps.hits(below, restAtOnce);
  const restIds = [...new Set(rest.map((h) => h.conversationId))].filter((id) => !seen.has(id));
  for (const id of restIds) seen.add(id);
  const end = page[page.length - 1];
  const contenders = end ? (await steps.admit(restIds)).filter((c) => newer(c, end)) : [];
  const won = await steps.matching(contenders.map((c) => c.id));
  page = sortNewest([...page, ...contenders.filter((c) => won.has(c.id))]).slice(0, limit);
  if (rest.length < restAtOnce) return page.map((c) => c.id);
  below = rest[rest.length - 1]?.id ?? 0;
  const last = page[page.length - 1];
  if (!last) return [];
  const others = (await steps.stragglers(last, below)).filter((c) => !seen.has(c.id));
  const matched = await steps.matching(others.map((c) => c.id));
  const all = [...page, ...others.filter((c) => matched.has(c.id) && newer(c, last))];
  return sortNewest(all)
    .slice(0, limit)
    .map((c) => c.id);
}

function sortNewest(list: Candidate[]): Candidate[] {
  return [...list].sort((a, b) => (newer(a, b) ? -1 : newer(b, a) ? 1 : 0));
}
