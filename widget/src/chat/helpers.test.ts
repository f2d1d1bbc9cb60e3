import { describe, expect, it, vi } from 'vitest';
import { emitter } from './events.js';
import { cleanAttributes, cleanIdentity } from './identity.js';
import { OfflineBox } from './offline.js';
import { memoryStorage } from './storage.js';
import { storageName } from './tab-sync.js';

describe('events (Beseda.on/off)', () => {
  it('calls listeners in order, removes them with off, and survives a throwing listener', async () => {
    vi.useFakeTimers();
    const e = emitter();
    const seen: string[] = [];
    const a = (d: { count: number }) => seen.push(`a${d.count}`);
    e.on('unreadChange', () => {
      throw new Error('host bug');
    });
    e.on('unreadChange', a);
    e.emit('unreadChange', { count: 1 });
    e.off('unreadChange', a);
    e.emit('unreadChange', { count: 2 });
    expect(seen).toEqual(['a1']);
    expect(() => vi.runAllTimers()).toThrow('host bug'); // rethrown asynchronously, as the host's own error
    vi.useRealTimers();
  });

  it('a listener added after "ready" fired still gets it, once', async () => {
    const e = emitter();
    e.emit('ready', undefined, true);
    const fn = vi.fn();
    e.on('ready', fn);
    expect(fn).not.toHaveBeenCalled();
    await Promise.resolve();
    expect(fn).toHaveBeenCalledTimes(1);
    e.on('open', 'not a function' as never); // ignored
  });
});

describe('identity input', () => {
  it('keeps only what the protocol accepts', () => {
    expect(
      cleanIdentity({
        name: ' Eva ',
        email: 'e@x.y',
        userId: 7,
        expiresAt: '1900000000',
        signature: 'ab',
        x: 1,
      }),
    ).toEqual({
      name: 'Eva',
      email: 'e@x.y',
      userId: '7',
      expiresAt: 1_900_000_000,
      signature: 'ab',
    });
    expect(cleanIdentity({ expiresAt: -1, name: 5, userId: null })).toEqual({});
    expect(cleanIdentity('nonsense')).toEqual({});
    expect(cleanIdentity({ name: 'x'.repeat(300) }).name).toHaveLength(200);
  });

  it('merges attributes, null removes one, at most 50 kept', () => {
    const a = cleanAttributes({ plan: 'pro', n: 1, ok: true, bad: {}, inf: Number.POSITIVE_INFINITY });
    expect(a).toEqual({ plan: 'pro', n: 1, ok: true });
    expect(cleanAttributes({ plan: null, seats: 2 }, a)).toEqual({ n: 1, ok: true, seats: 2 });
    const many = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, i]));
    expect(Object.keys(cleanAttributes(many))).toHaveLength(50);
  });
});

describe('offline outbox', () => {
  it('survives a reload until acked, then keeps the confirmation for a day', () => {
    const storage = memoryStorage();
    const box = new OfflineBox(storage, 'S', 0);
    const rec = box.submit({ name: 'Eva', email: 'eva@example.com', text: 'Hi' }, 1000)!;
    expect(new OfflineBox(storage, 'S', 2000).frame()).toEqual({
      type: 'offline_message',
      clientId: rec.clientId,
      name: 'Eva',
      email: 'eva@example.com',
      text: 'Hi',
    });
    expect(box.acked('other', 'c')).toBe(false);
    expect(box.acked(rec.clientId, 'c9')).toBe(true);
    const later = new OfflineBox(storage, 'S', 3000);
    expect(later.frame()).toBeNull();
    expect(later.rec?.conversationId).toBe('c9');
    expect(new OfflineBox(storage, 'S', 1000 + 25 * 3600_000).rec).toBeNull();
  });
});

describe('tab sync keys', () => {
  it('maps only this site\u2019s known keys', () => {
    expect(storageName('S', 'beseda:S:outbox')).toBe('outbox');
    expect(storageName('S', 'beseda:OTHER:outbox')).toBeNull();
    expect(storageName('S', 'beseda:S:whatever')).toBeNull();
    expect(storageName('S', null)).toBeNull();
  });
});
