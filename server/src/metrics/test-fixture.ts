/**
 * A small hand-computed history for dashboard tests (unit: dashboard.test.ts on the in-memory reference;
 * integration: tests/integration/dashboard.test.ts through REST on a real server). Site timezone
 * Europe/Prague (CET, UTC+1 in March), SLA 30 s, no business hours. Expected numbers are written out in
 * the tests; the arithmetic is in docs/metrics.md ("Worked example").
 *
 * Current range 2026-03-10 (Tue) … 2026-03-11 (Wed); previous range 2026-03-08 … 2026-03-09.
 */
import type { MessageAuthor } from '@beseda/shared';
import type { ChatEventRecord, EventType, Store } from '../store/types.js';
import { calendarFor, parseDate } from './tz.js';

export const FIXTURE_TZ = 'Europe/Prague';
export const FIXTURE_NOW = '2026-03-12 12:00:00';

/** 'YYYY-MM-DD HH:MM:SS' local Prague time → ms. */
export function local(s: string): number {
  const [date, time] = s.split(' ');
  const day = parseDate(date!);
  if (day === null || !time) throw new Error(`bad local time ${s}`);
  const [h, m, sec] = time.split(':').map(Number);
  return calendarFor(FIXTURE_TZ).wallTime(day, h! * 60 + m!) + sec! * 1000;
}

type Op = 'ann' | 'bob';

interface ChatScript {
  id: string;
  created: string;
  queued: boolean;
  /** Events in order: [type, local time, operator, data]. */
  events: [EventType, string, Op | null, Record<string, unknown> | null][];
  messages: [MessageAuthor, string, Op | null][];
}

export const FIXTURE_CHATS: ChatScript[] = [
  {
    // wait 10 s (ann), FRT 30 s, responses 30 s + 60 s, handled 10 min, good "Great help".
    id: 'fx-c1',
    created: '2026-03-10 10:00:00',
    queued: true,
    events: [
      ['enqueued', '2026-03-10 10:00:00', null, null],
      ['assigned', '2026-03-10 10:00:10', 'ann', { waitMs: 10_000 }],
      ['first_reply', '2026-03-10 10:00:30', 'ann', { frtMs: 30_000 }],
      ['ended', '2026-03-10 10:10:10', 'ann', { by: 'operator', tags: ['billing'] }],
      ['rated', '2026-03-10 10:10:30', 'ann', { rating: 'good', comment: 'Great help' }],
    ],
    messages: [
      ['visitor', '2026-03-10 10:00:00', null],
      ['system', '2026-03-10 10:00:10', 'ann'],
      ['operator', '2026-03-10 10:00:30', 'ann'],
      ['visitor', '2026-03-10 10:02:00', null],
      ['operator', '2026-03-10 10:03:00', 'ann'],
      ['system', '2026-03-10 10:10:10', 'ann'],
    ],
  },
  {
    // wait 40 s (bob, over the SLA), FRT 60 s (bob), transferred to ann, responses bob 60 s + ann 120 s,
    // handled 20 min (ann), bad "Slow".
    id: 'fx-c2',
    created: '2026-03-10 10:30:00',
    queued: true,
    events: [
      ['enqueued', '2026-03-10 10:30:00', null, null],
      ['assigned', '2026-03-10 10:30:40', 'bob', { waitMs: 40_000 }],
      ['first_reply', '2026-03-10 10:31:00', 'bob', { frtMs: 60_000 }],
      ['transferred', '2026-03-10 10:35:00', 'ann', { from: 'bob', to: 'ann' }],
      ['ended', '2026-03-10 10:50:40', null, { by: 'visitor' }],
      ['rated', '2026-03-10 10:51:00', 'ann', { rating: 'bad', comment: '  Slow ' }],
    ],
    messages: [
      ['visitor', '2026-03-10 10:30:00', null],
      ['system', '2026-03-10 10:30:40', 'bob'],
      ['operator', '2026-03-10 10:31:00', 'bob'],
      ['visitor', '2026-03-10 10:34:00', null],
      ['system', '2026-03-10 10:35:00', 'ann'],
      ['note', '2026-03-10 10:35:30', 'ann'],
      ['operator', '2026-03-10 10:36:00', 'ann'],
      ['system', '2026-03-10 10:50:40', null],
    ],
  },
  {
    // Gave up after 2 min in the queue: missed.
    id: 'fx-c3',
    created: '2026-03-10 14:00:00',
    queued: true,
    events: [
      ['enqueued', '2026-03-10 14:00:00', null, null],
      ['missed', '2026-03-10 14:02:00', null, { by: 'visitor' }],
    ],
    messages: [
      ['visitor', '2026-03-10 14:00:00', null],
      ['system', '2026-03-10 14:02:00', null],
    ],
  },
  {
    // wait 20 s (ann), FRT 50 s, handled 5 min, not rated.
    id: 'fx-c4',
    created: '2026-03-11 09:00:00',
    queued: true,
    events: [
      ['enqueued', '2026-03-11 09:00:00', null, null],
      ['assigned', '2026-03-11 09:00:20', 'ann', { waitMs: 20_000 }],
      ['first_reply', '2026-03-11 09:00:50', 'ann', { frtMs: 50_000 }],
      ['ended', '2026-03-11 09:05:20', 'ann', { by: 'operator' }],
    ],
    messages: [
      ['visitor', '2026-03-11 09:00:00', null],
      ['system', '2026-03-11 09:00:20', 'ann'],
      ['operator', '2026-03-11 09:00:50', 'ann'],
      ['system', '2026-03-11 09:05:20', 'ann'],
    ],
  },
  {
    // Nobody online: left a message, never queued (offline, not missed).
    id: 'fx-c5',
    created: '2026-03-11 23:30:00',
    queued: false,
    events: [['offline_message', '2026-03-11 23:30:05', null, { email: 'v@example.com' }]],
    messages: [['visitor', '2026-03-11 23:30:00', null]],
  },
  // ----- previous period -----
  {
    // wait 5 s, FRT 15 s, handled 5 min, good without comment.
    id: 'fx-p1',
    created: '2026-03-09 11:00:00',
    queued: true,
    events: [
      ['enqueued', '2026-03-09 11:00:00', null, null],
      ['assigned', '2026-03-09 11:00:05', 'ann', { waitMs: 5_000 }],
      ['first_reply', '2026-03-09 11:00:15', 'ann', { frtMs: 15_000 }],
      ['ended', '2026-03-09 11:05:05', 'ann', { by: 'operator' }],
      ['rated', '2026-03-09 11:06:00', 'ann', { rating: 'good', comment: null }],
    ],
    messages: [
      ['visitor', '2026-03-09 11:00:00', null],
      ['system', '2026-03-09 11:00:05', 'ann'],
      ['operator', '2026-03-09 11:00:15', 'ann'],
      ['system', '2026-03-09 11:05:05', 'ann'],
    ],
  },
  {
    id: 'fx-p2',
    created: '2026-03-09 15:00:00',
    queued: true,
    events: [
      ['enqueued', '2026-03-09 15:00:00', null, null],
      ['missed', '2026-03-09 15:01:00', null, { by: 'visitor' }],
    ],
    messages: [
      ['visitor', '2026-03-09 15:00:00', null],
      ['system', '2026-03-09 15:01:00', null],
    ],
  },
];

/** [operator, local time, status]: ann 09–12, 12:30–17 and 08–12 next day; bob 10–15 and 22:00–01:00. */
export const FIXTURE_STATUS: [Op, string, 'online' | 'away' | 'offline'][] = [
  ['ann', '2026-03-09 10:00:00', 'online'],
  ['ann', '2026-03-09 14:00:00', 'offline'],
  ['ann', '2026-03-10 09:00:00', 'online'],
  ['bob', '2026-03-10 10:00:00', 'online'],
  ['ann', '2026-03-10 12:00:00', 'away'],
  ['ann', '2026-03-10 12:30:00', 'online'],
  ['bob', '2026-03-10 15:00:00', 'offline'],
  ['ann', '2026-03-10 17:00:00', 'offline'],
  ['bob', '2026-03-10 22:00:00', 'online'],
  // A reconnect while online continues the interval.
  ['bob', '2026-03-10 23:00:00', 'online'],
  ['bob', '2026-03-11 01:00:00', 'offline'],
  ['ann', '2026-03-11 08:00:00', 'online'],
  ['ann', '2026-03-11 12:00:00', 'offline'],
];

export interface FixtureIds {
  siteId: string;
  ann: string;
  bob: string;
  /**
   * Teams (issue #12.8), when given: fx-c1 and fx-p1 open for Sales; fx-c2 opens for Support and is moved
   * to Sales at 10:34:30 (team_changed); fx-c3 opens for Support; fx-c4 and fx-p2 have no team (fx-c5 never
   * queued). Ann is in Sales, and also in Support from 2026-03-10 13:00 (an `online` while online, as the
   * relay writes when an online operator's teams change); Bob is in Support.
   */
  teams?: { sales: string; support: string };
}

/** The team each chat opens for ('sales' | 'support'), and fx-c2's move; see FixtureIds.teams. */
const OPENS_FOR: Record<string, 'sales' | 'support'> = {
  'fx-c1': 'sales',
  'fx-c2': 'support',
  'fx-c3': 'support',
  'fx-p1': 'sales',
};
const ANN_JOINS_SUPPORT = '2026-03-10 13:00:00';

/** The fixture as the relay would have recorded it: conversations, messages and events. */
export function fixtureRecords(ids: FixtureIds) {
  const op = (o: Op | null) => (o === null ? null : ids[o]);
  const conversations = FIXTURE_CHATS.map((c) => ({
    id: c.id,
    siteId: ids.siteId,
    createdAt: local(c.created),
  }));
  const events: ChatEventRecord[] = [];
  const messages = new Map<string, { author: MessageAuthor; operatorId: string | null; at: number }[]>();
  const teams = ids.teams;
  for (const c of FIXTURE_CHATS) {
    for (const [type, at, o, data] of c.events) {
      let d = data && type === 'transferred' ? { from: op(data.from as Op), to: op(data.to as Op) } : data;
      const team = teams && OPENS_FOR[c.id];
      if (team && type === 'enqueued') d = { teamId: teams[team] };
      if (teams && c.id === 'fx-c2' && type === 'transferred')
        events.push({
          siteId: ids.siteId,
          conversationId: c.id,
          operatorId: ids.bob,
          type: 'team_changed' as EventType,
          at: local('2026-03-10 10:34:30'),
          data: { from: teams.support, to: teams.sales, by: ids.bob },
        });
      events.push({
        siteId: ids.siteId,
        conversationId: c.id,
        operatorId: op(o),
        type,
        at: local(at),
        data: d,
      });
    }
    messages.set(
      c.id,
      c.messages.map(([author, at, o]) => ({ author, operatorId: op(o), at: local(at) })),
    );
  }
  const status: typeof FIXTURE_STATUS = teams
    ? [...FIXTURE_STATUS, ['ann', ANN_JOINS_SUPPORT, 'online']]
    : FIXTURE_STATUS;
  for (const [o, at, st] of status) {
    const teamIds = !teams
      ? undefined
      : o === 'bob'
        ? [teams.support]
        : local(at) < local(ANN_JOINS_SUPPORT)
          ? [teams.sales]
          : [teams.sales, teams.support];
    events.push({
      siteId: null,
      conversationId: null,
      operatorId: ids[o],
      type: 'operator_status',
      at: local(at),
      data: { status: st, reason: 'chosen', siteIds: [ids.siteId], ...(teamIds ? { teamIds } : {}) },
    });
  }
  events.sort((a, b) => a.at - b.at);
  return { conversations, events, messages };
}

/** Writes the fixture through the Store API (visitors, conversations, messages, events). */
export async function seedFixture(store: Store, ids: FixtureIds): Promise<void> {
  const { events, messages } = fixtureRecords(ids);
  for (const c of FIXTURE_CHATS) {
    const created = local(c.created);
    const visitor = await store.createVisitor({
      id: `${c.id}-v`,
      siteId: ids.siteId,
      tokenHash: 'x',
      name: null,
      email: null,
      lang: null,
      userAgent: null,
      createdAt: created,
      lastSeenAt: created,
    });
    await store.createConversation({
      id: c.id,
      siteId: ids.siteId,
      visitorId: visitor.id,
      status: c.queued ? 'queued' : 'offline',
      createdAt: created,
      enqueuedAt: c.queued ? created : null,
    });
    let n = 0;
    for (const m of messages.get(c.id)!) {
      await store.appendMessage({
        conversationId: c.id,
        clientId: m.author === 'visitor' || m.author === 'operator' ? `${c.id}-m${n++}` : null,
        author: m.author,
        operatorId: m.operatorId,
        authorName: null,
        text: `${m.author} says hi`,
        at: m.at,
      });
    }
  }
  for (const e of events) await store.appendEvent(e);
  // Tags live on the conversation (relay.operatorTags); the ended event's `tags` is only a fallback.
  await store.updateConversation('fx-c1', { tags: ['billing'] });
}
