import type { MessageKey } from './i18n/index.js';

/**
 * The console's keyboard map, pure so it is unit-tested: which key does what, and the list the `?` help
 * dialog shows. Alt+letter is matched by physical key (`code`), so it works on Czech and Russian layouts
 * alike; letters Chromium keeps for itself on Windows and Linux (Alt+D, Alt+E, Alt+F) are avoided.
 */

export type ShortcutAction =
  | { type: 'open'; index: number }
  | { type: 'move'; delta: 1 | -1 }
  | { type: 'next-waiting' }
  | { type: 'take' }
  | { type: 'end' }
  | { type: 'transfer' }
  | { type: 'tag' }
  | { type: 'note' }
  | { type: 'reply' }
  | { type: 'card' }
  | { type: 'search' }
  | { type: 'status' }
  | { type: 'help' };

export interface KeyLike {
  key: string;
  code: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
}

const ALT_LETTERS: Record<string, ShortcutAction> = {
  KeyW: { type: 'next-waiting' },
  KeyT: { type: 'take' },
  KeyX: { type: 'end' },
  KeyR: { type: 'transfer' },
  KeyG: { type: 'tag' },
  KeyN: { type: 'note' },
  KeyC: { type: 'reply' },
  KeyV: { type: 'card' },
  KeyS: { type: 'search' },
  KeyO: { type: 'status' },
  KeyH: { type: 'help' },
};

/**
 * The action a key press asks for, or null. `inField`: focus is in a text input, where a plain `?` is
 * text; Alt combinations work everywhere.
 */
export function shortcutFor(e: KeyLike, inField: boolean): ShortcutAction | null {
  if (e.ctrlKey || e.metaKey) return null;
  if (!e.altKey) {
    return e.key === '?' && !inField ? { type: 'help' } : null;
  }
  if (e.shiftKey) return null;
  if (e.key === 'ArrowUp' || e.code === 'ArrowUp') return { type: 'move', delta: -1 };
  if (e.key === 'ArrowDown' || e.code === 'ArrowDown') return { type: 'move', delta: 1 };
  const digit = /^Digit([1-9])$/.exec(e.code);
  if (digit) return { type: 'open', index: Number(digit[1]) - 1 };
  return ALT_LETTERS[e.code] ?? null;
}

/** What the help dialog lists, in this order. */
export const SHORTCUT_HELP: ReadonlyArray<{ keys: string; what: MessageKey }> = [
  { keys: 'Alt+1 … Alt+9', what: 'keys.open' },
  { keys: 'Alt+↑ / Alt+↓', what: 'keys.move' },
  { keys: 'Alt+W', what: 'keys.nextWaiting' },
  { keys: 'Alt+T', what: 'keys.take' },
  { keys: 'Alt+X', what: 'keys.end' },
  { keys: 'Alt+R', what: 'keys.transfer' },
  { keys: 'Alt+G', what: 'keys.tag' },
  { keys: 'Alt+N', what: 'keys.note' },
  { keys: 'Alt+C', what: 'keys.reply' },
  { keys: 'Alt+V', what: 'keys.card' },
  { keys: 'Alt+S', what: 'keys.search' },
  { keys: 'Alt+O', what: 'keys.status' },
  { keys: 'Enter', what: 'keys.send' },
  { keys: 'Ctrl+Enter', what: 'keys.sendNote' },
  { keys: '/', what: 'keys.canned' },
  { keys: '? · Alt+H', what: 'keys.help' },
];
