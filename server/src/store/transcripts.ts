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
export type SearchPlan = 'auto' | 'scan' | 'index';

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
}

const FIRST_WINDOW = 400;
// Testing a conversation costs ~8 µs (SQLite) whatever the database's size, so a window this large stays
// within the search budget; a term in fewer of the newest conversations than a page per this many is
// rare enough for the index.
const LARGEST_WINDOW = 4_000;

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
    if (plan === 'auto' && needed > LARGEST_WINDOW) return steps.viaIndex(bound, bound.limit);
    k = Math.max(FIRST_WINDOW, Math.min(LARGEST_WINDOW, Math.ceil(needed * 1.25) - tested));
  }
}

async function matchingOf(steps: TextSearchSteps, window: Candidate[]): Promise<string[]> {
  const found = await steps.matching(window.map((c) => c.id));
  return window.filter((c) => found.has(c.id)).map((c) => c.id);
}
