import type { CannedResponse } from '@beseda/shared/types';
import { t } from './i18n/index.js';

/**
 * Canned responses in the composer, as pure text operations: find the `/query` being typed at the caret,
 * rank the responses that match it, and replace it with the chosen text with its placeholders filled.
 */

export interface SlashToken {
  /** Index of the `/`. */
  start: number;
  /** Index just after the query (the caret). */
  end: number;
  query: string;
}

/**
 * The `/word` the caret is at the end of, when the slash starts the text or follows whitespace (so URLs
 * and "and/or" never open the list). The query may be empty: a bare `/` lists everything.
 */
export function slashToken(text: string, caret: number): SlashToken | null {
  const before = text.slice(0, caret);
  const m = /(^|\s)\/([^\s/]*)$/.exec(before);
  if (!m) return null;
  const start = caret - (m[2] ?? '').length - 1;
  // A caret in the middle of a word ("/gre|et") is not a finished query.
  const after = text.slice(caret, caret + 1);
  if (after && !/\s/.test(after)) return null;
  return { start, end: caret, query: m[2] ?? '' };
}

/**
 * Responses matching the query, best first: shortcut starting with it, then shortcut containing it, then
 * text containing it; within a rank, personal before shared, then by shortcut. Case-insensitive.
 */
export function searchCanned(items: readonly CannedResponse[], query: string, limit = 8): CannedResponse[] {
  const q = query.trim().toLowerCase();
  const ranked: Array<{ item: CannedResponse; rank: number }> = [];
  for (const item of items) {
    const shortcut = item.shortcut.toLowerCase();
    let rank: number;
    if (!q || shortcut.startsWith(q)) rank = 0;
    else if (shortcut.includes(q)) rank = 1;
    else if (item.text.toLowerCase().includes(q)) rank = 2;
    else continue;
    ranked.push({ item, rank });
  }
  ranked.sort(
    (a, b) =>
      a.rank - b.rank ||
      Number(a.item.operatorId === null) - Number(b.item.operatorId === null) ||
      a.item.shortcut.localeCompare(b.item.shortcut),
  );
  return ranked.slice(0, limit).map((r) => r.item);
}

export interface PlaceholderValues {
  visitorName: string | null;
  operatorName: string | null;
}

const PLACEHOLDER = /\{\{\s*(visitor|operator)\.name\s*\}\}/g;

/**
 * Fills `{{visitor.name}}` and `{{operator.name}}`. An unknown name is left out and the text tidied, so
 * "Hi {{visitor.name}}, thanks" becomes "Hi, thanks" rather than "Hi , thanks". Other `{{…}}` stay as typed.
 */
export function fillPlaceholders(text: string, values: PlaceholderValues): string {
  let removed = false;
  const filled = text.replace(PLACEHOLDER, (_all, who: string) => {
    const value = (who === 'visitor' ? values.visitorName : values.operatorName)?.trim();
    if (value) return value;
    removed = true;
    return '';
  });
  if (!removed) return filled;
  return filled
    .replace(/[ \t]+([,.!?;:])/g, '$1')
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/^[ \t]+|[ \t]+$/gm, '');
}

/** Replaces the slash token with `insert`; returns the new text and where the caret goes. */
export function replaceToken(
  text: string,
  token: SlashToken,
  insert: string,
): { text: string; caret: number } {
  const next = text.slice(0, token.start) + insert + text.slice(token.end);
  return { text: next, caret: token.start + insert.length };
}

/** Same rule as the server's schema: letters, digits, `_` and `-`, 1–40 characters. */
export function shortcutProblem(shortcut: string): string | null {
  if (!shortcut) return t('canned.shortcutRequired');
  if (shortcut.length > 40) return t('canned.shortcutLong');
  if (!/^[\p{L}\p{N}_-]+$/u.test(shortcut)) return t('canned.shortcutChars');
  return null;
}
