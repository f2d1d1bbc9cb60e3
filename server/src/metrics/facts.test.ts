import { describe, expect, it } from 'vitest';
import type { ChatEventRecord, EventType } from '../store/types.js';
import { applyEvent, type ChatFact, contributionOf, newFact, responseTimes } from './facts.js';
import { parseDate, TzCalendar } from './tz.js';

const cal = new TzCalendar('Europe/Prague');
const T0 = Date.parse('2026-03-10T09:00:00Z'); // 10:00 CET, a Tuesday

function fold(events: [EventType, number, string | null, Record<string, unknown> | null][]): ChatFact {
  let f = newFact({ id: 'c1', siteId: 's1', createdAt: T0 }, cal);
  for (const [type, dt, operatorId, data] of events) {
    const e: ChatEventRecord = { siteId: 's1', conversationId: 'c1', operatorId, type, at: T0 + dt, data };
    f = applyEvent(f, e);
  }
  return f;
}

describe('facts folded from events', () => {
  it('places the chat on its local day, hour and weekday', () => {
    const f = newFact({ id: 'c', siteId: 's', createdAt: Date.parse('2026-03-10T23:30:00Z') }, cal);
    expect([f.day, f.hour, f.weekday]).toEqual([parseDate('2026-03-11')!, 0, 3]); // 00:30 Wednesday local
  });

  it('an answered, rated chat', () => {
    const f = fold([
      ['enqueued', 0, null, null],
      ['assigned', 12_000, 'ann', { waitMs: 12_000 }],
      ['first_reply', 40_000, 'ann', { frtMs: 40_000 }],
      ['ended', 612_000, 'ann', { by: 'operator', tags: ['billing', 'billing', 'vip'] }],
      ['rated', 630_000, 'ann', { rating: 'bad', comment: '   ' }],
      ['rated', 640_000, 'ann', { rating: 'good', comment: ' Thanks! ' }],
    ]);
    expect(f).toMatchObject({
      status: 'ended',
      waitMs: 12_000,
      frtMs: 40_000,
      handlingMs: 600_000,
      operatorId: 'ann',
      firstOperatorId: 'ann',
      rating: 'good', // the last rating counts
      ratingComment: 'Thanks!',
      tags: ['billing', 'vip'],
      missed: false,
    });
  });

  it('a transfer: the wait belongs to the first operator, the chat to the last one', () => {
    const f = fold([
      ['enqueued', 0, null, null],
      ['assigned', 40_000, 'bob', { waitMs: 40_000 }],
      ['first_reply', 60_000, 'bob', { frtMs: 60_000 }],
      ['transferred', 300_000, 'ann', { from: 'bob', to: 'ann' }],
      ['ended', 1_240_000, null, { by: 'visitor' }],
    ]);
    expect(f).toMatchObject({
      operatorId: 'ann',
      firstOperatorId: 'bob',
      transfers: 1,
      handlingMs: 1_200_000,
    });
    const c = contributionOf(f);
    expect(c.totals.get('ann')).toMatchObject({ started: 1, assigned: 1, handled: 1, transfers: 1 });
    expect(c.totals.get('bob')).toEqual({ waitCount: 1, waitMs: 40_000, frtCount: 1, frtMs: 60_000 });
    expect(c.volumeOperator).toBe('ann');
  });

  it('missed chats: gave up in the queue, or switched to leaving a message; a message left while nobody was online is not missed', () => {
    const gaveUp = fold([
      ['enqueued', 0, null, null],
      ['missed', 120_000, null, { by: 'visitor' }],
    ]);
    expect(gaveUp).toMatchObject({ status: 'missed', missed: true, waitMs: null, endedAt: T0 + 120_000 });
    expect(contributionOf(gaveUp).totals.get('')).toMatchObject({ started: 1, missed: 1, assigned: 0 });

    const switched = fold([
      ['enqueued', 0, null, null],
      ['offline_message', 90_000, null, { email: 'a@b.c' }],
    ]);
    expect(switched).toMatchObject({ status: 'offline', missed: true, endedBy: 'message' });
    expect(contributionOf(switched).totals.get('')).toMatchObject({ missed: 1, offline: 0 });

    const offline = fold([['offline_message', 1000, null, null]]);
    expect(offline).toMatchObject({ status: 'offline', missed: false });
    expect(contributionOf(offline).totals.get('')).toMatchObject({ started: 1, offline: 1, missed: 0 });
  });

  it('a ring timeout puts the chat back in the queue: if the visitor then leaves, it is missed, not assigned', () => {
    const f = fold([
      ['enqueued', 0, null, null],
      ['assigned', 2000, 'ann', { waitMs: 2000 }],
      ['ring_timeout', 32_000, 'ann', { seconds: 30 }],
      ['missed', 90_000, null, { by: 'visitor' }],
    ]);
    expect(f).toMatchObject({
      status: 'missed',
      missed: true,
      operatorId: null,
      firstOperatorId: 'ann',
      waitMs: 2000,
    });
    expect(contributionOf(f).totals.get('')).toMatchObject({ started: 1, assigned: 0, missed: 1 });
    const answered = fold([
      ['enqueued', 0, null, null],
      ['assigned', 2000, 'ann', { waitMs: 2000 }],
      ['ring_timeout', 32_000, 'ann', { seconds: 30 }],
      ['assigned', 33_000, 'bob', { waitMs: 33_000 }],
      ['first_reply', 40_000, 'bob', { frtMs: 40_000 }],
      ['ended', 100_000, 'bob', { by: 'operator' }],
    ]);
    expect(answered).toMatchObject({
      operatorId: 'bob',
      firstOperatorId: 'ann',
      waitMs: 2000,
      handlingMs: 98_000,
    });
    expect(contributionOf(answered).totals.get('bob')).toMatchObject({ assigned: 1, handled: 1 });
  });

  it('an unrated chat counts in neither side of CSAT; a wait without waitMs is computed from the events', () => {
    const f = fold([
      ['enqueued', 1000, null, null],
      ['assigned', 6000, 'ann', null],
      ['ended', 66_000, 'ann', { by: 'operator' }],
    ]);
    expect(f).toMatchObject({ rating: null, waitMs: 5000, frtMs: null });
    expect(contributionOf(f).totals.get('ann')).toMatchObject({ good: 0, bad: 0 });
    expect(contributionOf(f).values).toEqual([{ metric: 'wait', operatorId: 'ann', value: 5000 }]);
  });

  it('events that are not about conversations leave the fact alone', () => {
    const f = newFact({ id: 'c1', siteId: 's1', createdAt: T0 }, cal);
    expect(
      applyEvent(f, {
        siteId: 's1',
        conversationId: 'c1',
        operatorId: null,
        type: 'page_view',
        at: T0,
        data: {},
      }),
    ).toBe(f);
  });
});

describe('the team of a chat (issue #12.8)', () => {
  it('is the team it opened for, then each team it was transferred to; null data means no team', () => {
    expect(fold([['enqueued', 0, null, null]]).teamId).toBeNull();
    expect(fold([['enqueued', 0, null, { teamId: 'sales' }]]).teamId).toBe('sales');
    const waiting: [EventType, number, string | null, Record<string, unknown> | null][] = [
      ['enqueued', 0, null, { teamId: 'sales' }],
      ['assigned', 10_000, 'ann', { waitMs: 10_000 }],
      ['team_changed' as EventType, 60_000, 'ann', { from: 'sales', to: 'support', by: 'ann' }],
    ];
    // Transferred to Support: back in a queue, nobody's until the next assignment.
    expect(fold(waiting)).toMatchObject({
      teamId: 'support',
      transfers: 1,
      operatorId: null,
      status: 'queued',
    });
    const moved = fold([...waiting, ['assigned', 90_000, 'bob', { waitMs: 30_000 }]]);
    expect(moved).toMatchObject({ teamId: 'support', operatorId: 'bob', status: 'active', waitMs: 10_000 });
    // Left while waiting for Support: missed, like a chat that rang out and then left the queue.
    const left = fold([...waiting, ['missed', 120_000, null, { by: 'visitor' }]]);
    expect(contributionOf(left).totals.get('')).toMatchObject({ started: 1, missed: 1, assigned: 0 });
    // Its team deleted while it waited: back to the whole site's queue, not a transfer (nobody did it).
    const toSite = fold([
      ['enqueued', 0, null, { teamId: 'sales' }],
      ['team_changed' as EventType, 5_000, null, { from: 'sales', to: null, by: null }],
    ]);
    expect(toSite).toMatchObject({ teamId: null, transfers: 0, status: 'queued' });
    // A later event without a team (rating, end) keeps it.
    const kept = fold([
      ['enqueued', 0, null, { teamId: 'sales' }],
      ['ended', 5_000, null, { by: 'visitor' }],
      ['rated', 6_000, null, { rating: 'good' }],
    ]);
    expect(kept.teamId).toBe('sales');
  });
});

describe('response times', () => {
  it('each operator reply to a waiting visitor, from the first unanswered visitor message', () => {
    const m = (
      author: 'visitor' | 'operator' | 'system' | 'note',
      s: number,
      operatorId: string | null = null,
    ) => ({
      author,
      operatorId,
      at: s * 1000,
    });
    expect(
      responseTimes([
        m('visitor', 0),
        m('visitor', 5), // still waiting since 0
        m('note', 10, 'ann'), // internal notes do not answer
        m('operator', 20, 'ann'), // 20 s
        m('operator', 25, 'ann'), // nobody was waiting
        m('visitor', 30),
        m('system', 31),
        m('operator', 50, 'bob'), // 20 s
        m('visitor', 70), // unanswered at the end
      ]),
    ).toEqual([
      { operatorId: 'ann', ms: 20_000 },
      { operatorId: 'bob', ms: 20_000 },
    ]);
  });
});
