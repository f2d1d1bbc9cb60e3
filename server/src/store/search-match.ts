import { parseSearch } from './transcripts.js';

/**
 * The search box's meaning tested on one message's text in JavaScript, the same on both databases: every
 * word is a prefix of a word of the message, every quoted phrase stands there word by word; case and
 * diacritics do not count. The full-text indexes find candidate messages fast when they are few; when a
 * term is common, testing the newest conversations' messages with this is cheaper than reading the
 * index's long lists (store/sqlite/sqlite-transcripts.ts, store/postgres/postgres-transcripts.ts). It also
 * cuts the snippet shown in the result list.
 */
export interface SearchMatcher {
  test(text: string): boolean;
  /** Up to `words` words of `text` around its first match, '…' where cut; '' when it does not match. */
  snippet(text: string, words?: number): string;
}

// Tokens as SQLite's unicode61 and PostgreSQL's 'simple' parser split them: runs of letters and digits.
const TOKEN = /[\p{L}\p{N}\p{Co}\p{M}]+/gu;

/** Lower case without diacritics, ё as е; й stays й (neither index folds it). */
export function foldToken(s: string): string {
  return s
    .toLowerCase()
    .replaceAll('й', '\u0000')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replaceAll('\u0000', 'й');
}

const COMBINING = /[\u0300-\u036f]/;
const WORD = '\\p{L}\\p{N}\\p{Co}';

/** Every letter that folds to a given one (Latin, Latin-1, Latin Extended-A, Cyrillic). */
const FOLDS_TO = (() => {
  const map = new Map<string, Set<string>>();
  const ranges = [
    [0x41, 0x7a],
    [0xc0, 0x17f],
    [0x400, 0x4ff],
  ] as const;
  for (const [from, to] of ranges) {
    for (let cp = from; cp <= to; cp++) {
      const ch = String.fromCodePoint(cp);
      const f = foldToken(ch);
      if (f.length !== 1) continue;
      const set = map.get(f) ?? new Set([f]);
      set.add(ch.toLowerCase());
      map.set(f, set);
    }
  }
  return map;
})();

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/**
 * A pattern as one regular expression over the text as stored: each letter a class of the letters that
 * fold to it (`[aáäą…]`, case-insensitive), tokens joined by non-word runs. Folding every message
 * before testing it cost ten times more than the test.
 */
function patternRegex(p: Pattern): RegExp {
  const token = (t: string) =>
    Array.from(t, (ch) => {
      const all = FOLDS_TO.get(ch);
      return all && all.size > 1 ? `[${escapeRe([...all].join(''))}]` : escapeRe(ch);
    }).join('');
  const body = p.tokens.map(token).join(`[^${WORD}]+`);
  return new RegExp(`(?<![${WORD}])${body}${p.prefix ? '' : `(?![${WORD}])`}`, 'iu');
}

interface Pattern {
  tokens: string[];
  /** Whether the last token only has to begin a word (search words), not equal it (quoted phrases). */
  prefix: boolean;
}

function tokensOf(s: string): { folded: string; start: number; end: number }[] {
  return Array.from(s.matchAll(TOKEN), (m) => ({
    folded: foldToken(m[0]),
    start: m.index,
    end: m.index + m[0].length,
  }));
}

/** Index of the first token where the pattern starts, or -1. */
function find(tokens: { folded: string }[], p: Pattern): number {
  const n = p.tokens.length;
  for (let i = 0; i + n <= tokens.length; i++) {
    let ok = true;
    for (let j = 0; j < n && ok; j++) {
      const have = tokens[i + j]?.folded ?? '';
      const want = p.tokens[j] ?? '';
      ok = j === n - 1 && p.prefix ? have.startsWith(want) : have === want;
    }
    if (ok) return i;
  }
  return -1;
}

export function compileSearch(q: string | undefined): SearchMatcher | null {
  const { words, phrases } = parseSearch(q);
  const patterns: Pattern[] = [
    ...phrases.map((p) => ({ tokens: p.flatMap((w) => tokensOf(w).map((t) => t.folded)), prefix: false })),
    // A word with punctuation inside (`e-mail`) is several tokens in a row, as in the indexes.
    ...words.map((w) => ({ tokens: tokensOf(w).map((t) => t.folded), prefix: true })),
  ].filter((p) => p.tokens.length > 0);
  if (patterns.length === 0) return null;
  const regexes = patterns.map(patternRegex);
  return {
    test(text) {
      // Decomposed accents (rare: browsers send composed text) are composed first, as the classes expect.
      const t = COMBINING.test(text) ? text.normalize('NFC') : text;
      return regexes.every((r) => r.test(t));
    },
    snippet(text, words = 16) {
      const tokens = tokensOf(text);
      let first = Number.POSITIVE_INFINITY;
      for (const p of patterns) {
        const at = find(tokens, p);
        if (at < 0) return '';
        first = Math.min(first, at);
      }
      // The match a few words in, so the reader sees what leads to it.
      const from = Math.max(0, Math.min(first - 3, tokens.length - words));
      const to = Math.min(tokens.length, from + words);
      const start = from === 0 ? 0 : (tokens[from]?.start ?? 0);
      const end = to === tokens.length ? text.length : (tokens[to - 1]?.end ?? text.length);
      return `${from > 0 ? '…' : ''}${text.slice(start, end).trim()}${to < tokens.length ? '…' : ''}`;
    },
  };
}

const cache = new Map<string, SearchMatcher | null>();

/** compileSearch with a small cache, for SQL functions that get the query string with every row. */
export function matcherFor(q: string): SearchMatcher | null {
  let m = cache.get(q);
  if (m === undefined) {
    m = compileSearch(q);
    if (cache.size >= 64) cache.delete(cache.keys().next().value ?? '');
    cache.set(q, m);
  }
  return m;
}
