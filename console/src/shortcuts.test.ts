import { describe, expect, it } from 'vitest';
import { type KeyLike, SHORTCUT_HELP, shortcutFor } from './shortcuts.js';

const key = (over: Partial<KeyLike>): KeyLike => ({
  key: '',
  code: '',
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  ...over,
});

describe('shortcutFor', () => {
  it('maps Alt+digit by physical key, so a Czech layout (Alt+ě on Digit2) opens the 2nd chat', () => {
    expect(shortcutFor(key({ altKey: true, code: 'Digit2', key: 'ě' }), true)).toEqual({
      type: 'open',
      index: 1,
    });
    expect(shortcutFor(key({ altKey: true, code: 'Digit0', key: '0' }), false)).toBeNull();
  });

  it('maps Alt+letters by code on a Russian layout too', () => {
    expect(shortcutFor(key({ altKey: true, code: 'KeyT', key: 'е' }), true)).toEqual({ type: 'take' });
    expect(shortcutFor(key({ altKey: true, code: 'KeyX', key: 'ч' }), true)).toEqual({ type: 'end' });
    expect(shortcutFor(key({ altKey: true, code: 'KeyW', key: 'ц' }), false)).toEqual({
      type: 'next-waiting',
    });
  });

  it('moves with Alt+arrows', () => {
    expect(shortcutFor(key({ altKey: true, key: 'ArrowUp', code: 'ArrowUp' }), true)).toEqual({
      type: 'move',
      delta: -1,
    });
  });

  it('opens help with ? outside text fields only, and with Alt+H anywhere', () => {
    expect(shortcutFor(key({ key: '?', code: 'Slash', shiftKey: true }), false)).toEqual({ type: 'help' });
    expect(shortcutFor(key({ key: '?', code: 'Slash', shiftKey: true }), true)).toBeNull();
    expect(shortcutFor(key({ altKey: true, code: 'KeyH', key: 'h' }), true)).toEqual({ type: 'help' });
  });

  it('leaves Ctrl/Meta combinations, Alt+Shift and unknown keys to the browser', () => {
    expect(shortcutFor(key({ altKey: true, ctrlKey: true, code: 'KeyT' }), false)).toBeNull();
    expect(shortcutFor(key({ altKey: true, shiftKey: true, code: 'KeyT' }), false)).toBeNull();
    expect(shortcutFor(key({ altKey: true, code: 'KeyF' }), false)).toBeNull();
    expect(shortcutFor(key({ key: 't', code: 'KeyT' }), false)).toBeNull();
  });

  it('lists every Alt shortcut it knows in the help, each once', () => {
    const listed = SHORTCUT_HELP.map((s) => s.keys).join(' ');
    for (const letter of ['W', 'T', 'X', 'R', 'G', 'N', 'C', 'V', 'S', 'O', 'H']) {
      expect(listed).toContain(`Alt+${letter}`);
      const code = `Key${letter}`;
      expect(shortcutFor(key({ altKey: true, code }), false)).not.toBeNull();
    }
    expect(new Set(SHORTCUT_HELP.map((s) => s.what)).size).toBe(SHORTCUT_HELP.length);
  });
});
