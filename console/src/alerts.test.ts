import type { QueueEntry } from '@beseda/shared/types';
import { describe, expect, it } from 'vitest';
import {
  type AlertInput,
  alertText,
  detectAlerts,
  emptyAlertMemory,
  nextLateAt,
  thresholdsOf,
} from './alerts.js';
import { conversation } from './test/fixtures.js';

const T = { amberAfterSeconds: 5, alertAfterSeconds: 10 };
const entry = (id: string, enqueuedAt: number): QueueEntry => ({
  conversationId: id,
  siteId: 'site-1',
  visitorId: `v-${id}`,
  visitorName: null,
  enqueuedAt,
  position: 1,
  preview: '',
});
const input = (over: Partial<AlertInput>): AlertInput => ({
  chats: [],
  queue: [],
  now: 0,
  thresholds: () => T,
  pickedByMe: new Set(),
  ...over,
});

describe('detectAlerts', () => {
  it('primes silently, then reports new assignments and new queue entries once', () => {
    let r = detectAlerts(emptyAlertMemory, input({ chats: [conversation('a')], queue: [entry('q1', 0)] }));
    expect(r.alerts).toEqual([]);
    r = detectAlerts(
      r.memory,
      input({ chats: [conversation('a'), conversation('b')], queue: [entry('q1', 0), entry('q2', 0)] }),
    );
    expect(r.alerts.map((a) => `${a.kind}:${a.conversationId}`)).toEqual(['assigned:b', 'queued:q2']);
    r = detectAlerts(
      r.memory,
      input({ chats: [conversation('a'), conversation('b')], queue: [entry('q2', 0)] }),
    );
    expect(r.alerts).toEqual([]);
  });

  it('does not ring for a chat I picked myself', () => {
    const primed = detectAlerts(emptyAlertMemory, input({ queue: [entry('q', 0)] })).memory;
    const r = detectAlerts(primed, input({ chats: [conversation('q')], pickedByMe: new Set(['q']) }));
    expect(r.alerts).toEqual([]);
  });

  it('rings again for a chat that comes back to me after leaving', () => {
    let m = detectAlerts(emptyAlertMemory, input({ chats: [conversation('a')] })).memory;
    m = detectAlerts(m, input({ chats: [] })).memory;
    expect(detectAlerts(m, input({ chats: [conversation('a')] })).alerts).toHaveLength(1);
  });

  it('alerts once per queued visitor when the wait crosses the threshold, also right after a reload', () => {
    let r = detectAlerts(emptyAlertMemory, input({ queue: [entry('q', 0)], now: 9_999 }));
    expect(r.alerts).toEqual([]);
    r = detectAlerts(r.memory, input({ queue: [entry('q', 0)], now: 10_000 }));
    expect(r.alerts).toEqual([expect.objectContaining({ kind: 'late', where: 'queue', seconds: 10 })]);
    r = detectAlerts(r.memory, input({ queue: [entry('q', 0)], now: 60_000 }));
    expect(r.alerts).toEqual([]);
    const reload = detectAlerts(emptyAlertMemory, input({ queue: [entry('q', 0)], now: 60_000 }));
    expect(reload.alerts.map((a) => a.kind)).toEqual(['late']);
  });

  it('alerts once per unanswered stretch in my chats', () => {
    const waiting = (since: number | null) => [conversation('a', { waitingSince: since })];
    let r = detectAlerts(emptyAlertMemory, input({ chats: waiting(1_000), now: 11_000 }));
    expect(r.alerts).toEqual([expect.objectContaining({ kind: 'late', where: 'chat' })]);
    r = detectAlerts(r.memory, input({ chats: waiting(1_000), now: 20_000 }));
    expect(r.alerts).toEqual([]);
    r = detectAlerts(r.memory, input({ chats: waiting(null), now: 21_000 }));
    r = detectAlerts(r.memory, input({ chats: waiting(30_000), now: 40_000 }));
    expect(r.alerts).toHaveLength(1);
  });

  it("uses each site's own threshold", () => {
    const sites = { slow: { amberAfterSeconds: 100, alertAfterSeconds: 300 }, fast: T };
    const r = detectAlerts(
      emptyAlertMemory,
      input({
        queue: [
          { ...entry('s', 0), siteId: 'slow' },
          { ...entry('f', 0), siteId: 'fast' },
        ],
        now: 20_000,
        thresholds: (id) => thresholdsOf(sites, id),
      }),
    );
    expect(r.alerts.map((a) => a.conversationId)).toEqual(['f']);
    expect(thresholdsOf(sites, 'unknown').alertAfterSeconds).toBe(240);
    // A site without an amber threshold: default amber, but never after its own alert.
    expect(thresholdsOf({ s: { alertAfterSeconds: 30 } }, 's')).toEqual({
      amberAfterSeconds: 30,
      alertAfterSeconds: 30,
    });
  });

  it('tells when the next wait will cross its threshold', () => {
    const i = input({ queue: [entry('q', 5_000)], chats: [conversation('a', { waitingSince: 2_000 })] });
    expect(nextLateAt(i, emptyAlertMemory)).toBe(12_000);
    const m = detectAlerts(emptyAlertMemory, { ...i, now: 12_000 }).memory;
    expect(nextLateAt(i, m)).toBe(15_000);
  });

  it('words alerts for people', () => {
    const late = detectAlerts(emptyAlertMemory, input({ queue: [entry('q', 0)], now: 125_000 })).alerts[0];
    expect(late && alertText(late, 'Eve').body).toBe('Eve has waited 2 min in the queue.');
  });
});
