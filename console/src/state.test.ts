import { describe, expect, it } from 'vitest';
import type { ConsoleEvent, ConsoleState } from './state.js';
import {
  apply,
  atCapacity,
  hasGap,
  initialState,
  lastSeqOf,
  nextWaiting,
  sortedChats,
  totalUnread,
  unreadInbox,
} from './state.js';
import { conversation, ME, message, welcome } from './test/fixtures.js';

const run = (events: ConsoleEvent[], from: ConsoleState = initialState) => events.reduce(apply, from);
const ids = (s: ConsoleState) => sortedChats(s).map((c) => c.conversation.id);
const chat = (s: ConsoleState, id: string) => {
  const c = s.chats[id];
  if (!c) throw new Error(`chat ${id} missing`);
  return c;
};

describe('welcome', () => {
  it('takes me, queue and operators, keeps only my active chats and opens the first to arrive', () => {
    const s = apply(
      initialState,
      welcome(
        [
          conversation('a', { waitingSince: 5_000, assignedAt: 4_000 }),
          conversation('b', { waitingSince: 3_000, assignedAt: 3_000 }),
          conversation('c', { status: 'ended' }),
          conversation('d', { operator: { id: 'op-2', name: 'Boris' } }),
        ],
        {
          queue: [
            {
              conversationId: 'q',
              siteId: 's',
              visitorId: 'v',
              visitorName: null,
              enqueuedAt: 1,
              position: 1,
              preview: 'hi',
            },
          ],
        },
      ),
    );
    expect(s.me).toEqual(ME);
    expect(s.welcomes).toBe(1);
    expect(ids(s)).toEqual(['b', 'a']);
    expect(s.openId).toBe('b');
    expect(s.queue).toHaveLength(1);
  });

  it('after a reconnect keeps messages, drafts and unsent messages of chats that are still mine', () => {
    const before = run([
      welcome([conversation('a'), conversation('b')]),
      { type: 'history', conversationId: 'a', messages: [message('a', 1), message('a', 2)] },
      {
        type: 'ui/sent',
        conversationId: 'a',
        clientId: 'client-0001',
        text: 'queued',
        internal: false,
        at: 1,
      },
      { type: 'ui/draft', conversationId: 'a', text: 'half-typed' },
      { type: 'ui/open', conversationId: 'a' },
    ]);
    const after = apply(before, welcome([conversation('a', { lastSeq: 3 })]));
    const a = chat(after, 'a');
    expect(a.messages.map((m) => m.seq)).toEqual([1, 2]);
    expect(a.draft).toBe('half-typed');
    expect(a.pending.map((p) => p.clientId)).toEqual(['client-0001']);
    expect(a.conversation.lastSeq).toBe(3);
    expect(after.chats.b).toBeUndefined();
    expect(after.openId).toBe('a');
  });
});

describe('ordering', () => {
  it('lists chats in the order they arrived (assignment time, then id), whatever they wait for', () => {
    const s = apply(
      initialState,
      welcome([
        conversation('answered-late', { waitingSince: null, assignedAt: 9_000 }),
        conversation('waiting-new', { waitingSince: 8_000, assignedAt: 3_000 }),
        conversation('answered-early', { waitingSince: null, assignedAt: 1_000 }),
        conversation('waiting-old', { waitingSince: 2_000, assignedAt: 3_000 }),
      ]),
    );
    expect(ids(s)).toEqual(['answered-early', 'waiting-new', 'waiting-old', 'answered-late']);
  });

  it('keeps the order while messages come and go, so Alt+N means the same chat between key presses', () => {
    let s = run([
      welcome([conversation('a', { waitingSince: 5_000 }), conversation('b')]),
      { type: 'history', conversationId: 'a', messages: [] },
      { type: 'history', conversationId: 'b', messages: [] },
    ]);
    expect(ids(s)).toEqual(['a', 'b']);
    s = apply(s, { type: 'message', message: message('b', 1, { at: 4_000 }) });
    expect(chat(s, 'b').conversation.waitingSince).toBe(4_000);
    expect(ids(s)).toEqual(['a', 'b']);
    s = apply(s, { type: 'message', message: message('b', 2, { author: 'note', operatorId: ME.id }) });
    expect(chat(s, 'b').conversation.waitingSince).toBe(4_000);
    s = apply(s, { type: 'message', message: message('b', 3, { author: 'operator', operatorId: ME.id }) });
    expect(chat(s, 'b').conversation.waitingSince).toBeNull();
    expect(ids(s)).toEqual(['a', 'b']);
  });

  it('"next waiting" opens the chat waiting longest for an answer, and nothing when all are answered', () => {
    let s = apply(
      initialState,
      welcome([
        conversation('a', { waitingSince: null, assignedAt: 1_000 }),
        conversation('b', { waitingSince: 7_000, assignedAt: 2_000 }),
        conversation('c', { waitingSince: 6_000, assignedAt: 3_000 }),
      ]),
    );
    expect(nextWaiting(s)).toBe('c');
    s = apply(s, { type: 'ui/next-waiting' });
    expect(s.openId).toBe('c');
    const answered = apply(initialState, welcome([conversation('a'), conversation('b')]));
    expect(nextWaiting(answered)).toBeNull();
    expect(apply(answered, { type: 'ui/next-waiting' })).toBe(answered);
  });

  it('knows when I hold as many chats as my capacity', () => {
    const two = apply(initialState, welcome([conversation('a'), conversation('b')]));
    expect(atCapacity(two)).toBe(false);
    expect(atCapacity(apply(two, { type: 'chat', conversation: conversation('c') }))).toBe(true);
  });

  it('memoises the sorted list until the chats change', () => {
    const s = apply(initialState, welcome([conversation('a'), conversation('b')]));
    expect(sortedChats(s)).toBe(sortedChats(s));
    expect(sortedChats(apply(s, { type: 'ui/draft', conversationId: 'a', text: 'x' }))).not.toBe(
      sortedChats(s),
    );
  });
});

describe('chat frames', () => {
  const base = () =>
    run([welcome([conversation('a', { waitingSince: 1 }), conversation('b', { waitingSince: 2 })])]);

  it('adds a chat newly assigned to me', () => {
    const s = apply(base(), { type: 'chat', conversation: conversation('c') });
    expect(ids(s)).toEqual(['a', 'b', 'c']);
    expect(chat(s, 'c').loaded).toBe(false);
  });

  it('removes an ended chat and opens the next one with a notice', () => {
    const s = apply(base(), {
      type: 'chat',
      conversation: conversation('a', { status: 'ended', visitorName: 'Eve' }),
    });
    expect(ids(s)).toEqual(['b']);
    expect(s.openId).toBe('b');
    expect(s.notice?.text).toBe('Chat with Eve ended.');
  });

  it('removes a chat transferred to someone else', () => {
    const s = apply(base(), {
      type: 'chat',
      conversation: conversation('b', { operator: { id: 'op-2', name: 'Boris' } }),
    });
    expect(ids(s)).toEqual(['a']);
    expect(s.openId).toBe('a');
    expect(s.notice).toBeNull();
  });

  it('names the colleague when the open chat was transferred', () => {
    const s = apply(base(), {
      type: 'chat',
      conversation: conversation('a', { visitorName: 'Eve', operator: { id: 'op-2', name: 'Boris' } }),
    });
    expect(s.notice?.text).toBe('Chat with Eve was transferred to Boris.');
  });

  it('says so when an unanswered chat is taken back by the ring timeout, open or not', () => {
    const ring = (id: string) =>
      apply(base(), {
        type: 'chat',
        conversation: conversation(id, { status: 'queued', operator: null, visitorName: 'Eve' }),
      });
    for (const id of ['a', 'b']) {
      const s = ring(id);
      expect(s.chats[id]).toBeUndefined();
      expect(s.notice?.text).toBe('Chat with Eve went back to the queue: it was not answered in time.');
    }
  });

  it('tells a chat this operator sent to a team (or the whole site) as that, not as a ring timeout', () => {
    const site = { id: 'site-1', name: 'Shop', teams: [{ id: 't-sales', name: 'Sales' }] };
    const withSites = apply(base(), { type: 'ui/sites', sites: [site as never] });
    const requeued = (teamId: string | null) =>
      conversation('a', { status: 'queued', operator: null, visitorName: 'Eve', teamId });
    const toSales = run(
      [
        { type: 'ui/sent-to-queue', conversationId: 'a', teamId: 't-sales' },
        { type: 'chat', conversation: requeued('t-sales') },
      ],
      withSites,
    );
    expect(toSales.chats.a).toBeUndefined();
    expect(toSales.notice?.text).toBe('Chat with Eve now waits in the Sales queue.');
    expect(toSales.sentToQueue).toBeNull();
    const toSite = run(
      [
        { type: 'ui/sent-to-queue', conversationId: 'a', teamId: null },
        { type: 'chat', conversation: requeued(null) },
      ],
      withSites,
    );
    expect(toSite.notice?.text).toBe("Chat with Eve now waits in the site's queue.");
    // Another chat's ring timeout is still told as before.
    const other = run(
      [
        { type: 'ui/sent-to-queue', conversationId: 'a', teamId: 't-sales' },
        {
          type: 'chat',
          conversation: conversation('b', { status: 'queued', operator: null, visitorName: 'Bo' }),
        },
      ],
      withSites,
    );
    expect(other.notice?.text).toBe('Chat with Bo went back to the queue: it was not answered in time.');
    expect(other.sentToQueue?.conversationId).toBe('a');
  });

  it('follows the visitor from page to page', () => {
    const page = { url: 'https://shop.example/cart', title: 'Cart' };
    const s = apply(base(), { type: 'visitor_page', conversationId: 'a', page });
    expect(chat(s, 'a').livePage).toEqual(page);
    expect(chat(s, 'a').pageViews).toBe(1);
    expect(apply(s, { type: 'visitor_page', conversationId: 'zz', page })).toBe(s);
  });

  it('keeps the tags of a conversation from the server', () => {
    const s = apply(base(), { type: 'chat', conversation: conversation('a', { tags: ['vip', 'billing'] }) });
    expect(chat(s, 'a').conversation.tags).toEqual(['vip', 'billing']);
  });

  it('ignores a chat that is not mine and not held', () => {
    const s = base();
    expect(
      apply(s, { type: 'chat', conversation: conversation('z', { operator: null, status: 'queued' }) }),
    ).toBe(s);
  });

  it('opens a picked chat as soon as it arrives as mine', () => {
    const s = run(
      [
        { type: 'ui/pick', conversationId: 'c' },
        { type: 'chat', conversation: conversation('c') },
      ],
      base(),
    );
    expect(s.openId).toBe('c');
    expect(s.picking).toBeNull();
  });

  it('opens the first chat that arrives when none is open', () => {
    const s = run([welcome([]), { type: 'chat', conversation: conversation('x') }]);
    expect(s.openId).toBe('x');
  });
});

describe('messages', () => {
  const loaded = () =>
    run([
      welcome([conversation('a'), conversation('b')]),
      { type: 'history', conversationId: 'a', messages: [] },
      { type: 'history', conversationId: 'b', messages: [] },
      { type: 'ui/open', conversationId: 'a' },
    ]);

  it('dedupes by seq and keeps seq order when history fills a gap', () => {
    const s = run(
      [
        { type: 'message', message: message('a', 1) },
        { type: 'message', message: message('a', 4) },
        { type: 'message', message: message('a', 4) },
        {
          type: 'history',
          conversationId: 'a',
          messages: [message('a', 2), message('a', 3), message('a', 4)],
        },
      ],
      loaded(),
    );
    expect(chat(s, 'a').messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(lastSeqOf(chat(s, 'a'))).toBe(4);
    expect(chat(s, 'a').conversation.lastSeq).toBe(4);
  });

  it('returns the same state for a duplicate, so nothing re-renders', () => {
    const s = apply(loaded(), { type: 'message', message: message('a', 1) });
    expect(apply(s, { type: 'message', message: message('a', 1) })).toBe(s);
  });

  it('ignores messages for chats it does not hold', () => {
    const s = loaded();
    expect(apply(s, { type: 'message', message: message('zzz', 1) })).toBe(s);
  });

  it('buffers a frame after a gap, keeps the watermark, and applies it once the gap is filled', () => {
    let s = apply(loaded(), { type: 'message', message: message('a', 1), prev: 0 });
    s = apply(s, { type: 'message', message: message('a', 3), prev: 2 });
    expect(chat(s, 'a').messages.map((m) => m.seq)).toEqual([1]);
    expect(lastSeqOf(chat(s, 'a'))).toBe(1);
    expect(hasGap(chat(s, 'a'))).toBe(true);
    // A second copy of the buffered frame changes nothing.
    expect(apply(s, { type: 'message', message: message('a', 3), prev: 2 })).toBe(s);
    s = apply(s, { type: 'message', message: message('a', 2), prev: 1 });
    expect(chat(s, 'a').messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(lastSeqOf(chat(s, 'a'))).toBe(3);
    expect(hasGap(chat(s, 'a'))).toBe(false);
  });

  it('applies frames that arrive out of seq order from several nodes in seq order', () => {
    let s = loaded();
    for (const seq of [4, 2, 5, 1, 3]) {
      s = apply(s, { type: 'message', message: message('a', seq), prev: seq - 1 });
    }
    expect(chat(s, 'a').messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(lastSeqOf(chat(s, 'a'))).toBe(5);
    expect(hasGap(chat(s, 'a'))).toBe(false);
  });

  it('takes a sync answer as contiguous: applies it, moves the watermark, releases connecting frames', () => {
    let s = run(
      [
        { type: 'message', message: message('a', 1), prev: 0 },
        { type: 'message', message: message('a', 5), prev: 4 },
        { type: 'message', message: message('a', 7), prev: 6 },
      ],
      loaded(),
    );
    s = apply(s, {
      type: 'history',
      conversationId: 'a',
      messages: [message('a', 2), message('a', 3), message('a', 4), message('a', 5)],
    });
    const a = chat(s, 'a');
    expect(a.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(lastSeqOf(a)).toBe(5);
    // 7 still follows a missing 6: it stays buffered, so the store asks again from 5.
    expect(a.buffered.map((b) => b.message.seq)).toEqual([7]);
    expect(hasGap(a)).toBe(true);
  });

  it('drops a buffered frame that a sync answer already covered', () => {
    let s = apply(loaded(), { type: 'message', message: message('a', 3), prev: 2 });
    s = apply(s, {
      type: 'history',
      conversationId: 'a',
      messages: [message('a', 1), message('a', 2), message('a', 3), message('a', 4)],
    });
    expect(chat(s, 'a').messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(hasGap(chat(s, 'a'))).toBe(false);
  });

  it('holds live frames of a new chat until its first history, which they then extend', () => {
    let s = apply(initialState, welcome([conversation('a')]));
    s = apply(s, { type: 'message', message: message('a', 3), prev: 2 });
    expect(chat(s, 'a').messages).toEqual([]);
    s = apply(s, { type: 'history', conversationId: 'a', messages: [message('a', 1), message('a', 2)] });
    expect(chat(s, 'a').messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(chat(s, 'a').loaded).toBe(true);
  });

  it('without prev treats seq - 1 as the previous message (operators see every message)', () => {
    let s = apply(loaded(), { type: 'message', message: message('a', 2) });
    expect(hasGap(chat(s, 'a'))).toBe(true);
    s = apply(s, { type: 'message', message: message('a', 1) });
    expect(chat(s, 'a').messages.map((m) => m.seq)).toEqual([1, 2]);
  });

  it('counts unread visitor messages in chats that are not open, and clears them on open', () => {
    let s = run(
      [
        { type: 'message', message: message('b', 1) },
        { type: 'message', message: message('b', 2) },
        { type: 'message', message: message('b', 3, { author: 'system' }) },
        { type: 'message', message: message('a', 1) },
      ],
      loaded(),
    );
    expect(chat(s, 'b').unread).toBe(2);
    expect(chat(s, 'a').unread).toBe(0);
    expect(totalUnread(s)).toBe(2);
    s = apply(s, { type: 'ui/open', conversationId: 'b' });
    expect(chat(s, 'b').unread).toBe(0);
  });

  it('counts messages in the open chat while the window is unfocused, until focus returns', () => {
    let s = run(
      [
        { type: 'ui/focus', focused: false },
        { type: 'message', message: message('a', 1) },
      ],
      loaded(),
    );
    expect(chat(s, 'a').unread).toBe(1);
    s = apply(s, { type: 'ui/focus', focused: true });
    expect(chat(s, 'a').unread).toBe(0);
  });

  it('on the first load counts the visitor messages after the last operator reply', () => {
    const s = run([
      welcome([conversation('a'), conversation('b')]),
      { type: 'ui/open', conversationId: 'a' },
      {
        type: 'history',
        conversationId: 'b',
        messages: [
          message('b', 1),
          message('b', 2, { author: 'operator' }),
          message('b', 3),
          message('b', 4, { author: 'note' }),
          message('b', 5),
        ],
      },
    ]);
    expect(chat(s, 'b').unread).toBe(2);
    expect(chat(s, 'b').loaded).toBe(true);
  });

  it('marks a chat loaded even when its history is empty', () => {
    const s = run([welcome([conversation('a')]), { type: 'history', conversationId: 'a', messages: [] }]);
    expect(chat(s, 'a').loaded).toBe(true);
  });

  it('shows and clears the visitor typing indicator', () => {
    let s = apply(loaded(), { type: 'typing', conversationId: 'a', active: true });
    expect(chat(s, 'a').visitorTyping).toBe(true);
    s = apply(s, { type: 'message', message: message('a', 1) });
    expect(chat(s, 'a').visitorTyping).toBe(false);
  });

  it('drops a stale typing indicator, and every one when the connection is lost', () => {
    let s = apply(loaded(), { type: 'typing', conversationId: 'a', active: true, preview: 'hel' });
    const expired = apply(s, { type: 'ui/typing-expired', conversationId: 'a' });
    expect(chat(expired, 'a').visitorTyping).toBe(false);
    expect(chat(expired, 'a').typingPreview).toBeNull();
    s = apply(s, { type: 'typing', conversationId: 'b', active: true });
    s = apply(s, { type: 'conn/state', phase: 'closed', retryInMs: 500 });
    expect(chat(s, 'a').visitorTyping).toBe(false);
    expect(chat(s, 'b').visitorTyping).toBe(false);
  });
});

describe('sending', () => {
  const withDraft = () =>
    run([
      welcome([conversation('a', { waitingSince: 3_000 })]),
      { type: 'history', conversationId: 'a', messages: [message('a', 1)] },
      { type: 'ui/draft', conversationId: 'a', text: 'Hello!' },
      {
        type: 'ui/sent',
        conversationId: 'a',
        clientId: 'client-0001',
        text: 'Hello!',
        internal: false,
        at: 50,
      },
    ]);

  it('turns a sent draft into a pending message and empties the composer', () => {
    const a = chat(withDraft(), 'a');
    expect(a.draft).toBe('');
    expect(a.pending).toEqual([
      { clientId: 'client-0001', text: 'Hello!', internal: false, at: 50, error: null },
    ]);
  });

  it('settles the pending message on ack, once, with the server seq and time', () => {
    const s = apply(withDraft(), {
      type: 'ack',
      clientId: 'client-0001',
      conversationId: 'a',
      seq: 2,
      at: 60,
    });
    const a = chat(s, 'a');
    expect(a.pending).toEqual([]);
    expect(a.messages.at(-1)).toMatchObject({
      seq: 2,
      author: 'operator',
      text: 'Hello!',
      at: 60,
      operatorId: ME.id,
    });
    expect(a.conversation.waitingSince).toBeNull();
    // The echo of the same message changes nothing.
    const echo = message('a', 2, { author: 'operator', clientId: 'client-0001', text: 'Hello!' });
    expect(apply(s, { type: 'message', message: echo })).toBe(s);
  });

  it('settles the pending message when its echo arrives before the ack', () => {
    const echo = message('a', 2, { author: 'operator', clientId: 'client-0001', text: 'Hello!' });
    const s = run(
      [
        { type: 'message', message: echo },
        { type: 'ack', clientId: 'client-0001', conversationId: 'a', seq: 2, at: 60 },
      ],
      withDraft(),
    );
    expect(chat(s, 'a').pending).toEqual([]);
    expect(chat(s, 'a').messages.map((m) => m.seq)).toEqual([1, 2]);
  });

  it('keeps an acked message pending while an earlier message is missing, until the gap is filled', () => {
    let s = apply(withDraft(), { type: 'ack', conversationId: 'a', clientId: 'client-0001', seq: 3, at: 60 });
    expect(chat(s, 'a').pending.map((p) => p.clientId)).toEqual(['client-0001']);
    expect(hasGap(chat(s, 'a'))).toBe(true);
    s = apply(s, { type: 'message', message: message('a', 2), prev: 1 });
    expect(chat(s, 'a').messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(chat(s, 'a').pending).toEqual([]);
  });

  it('stores an internal note as a note that leaves the visitor waiting', () => {
    const s = run([
      welcome([conversation('a', { waitingSince: 3_000 })]),
      { type: 'ui/sent', conversationId: 'a', clientId: 'client-0002', text: 'VIP', internal: true, at: 1 },
      { type: 'ack', clientId: 'client-0002', conversationId: 'a', seq: 1, at: 2 },
    ]);
    expect(chat(s, 'a').messages[0]?.author).toBe('note');
    expect(chat(s, 'a').conversation.waitingSince).toBe(3_000);
  });

  it('marks a refused message as failed, and clears the failure on retry', () => {
    let s = apply(withDraft(), {
      type: 'error',
      code: 'validation',
      message: 'Invalid input',
      ref: 'client-0001',
    });
    expect(chat(s, 'a').pending[0]?.error).toBe('Invalid input');
    expect(s.notice).toBeNull();
    s = apply(s, { type: 'ui/retry', conversationId: 'a', clientId: 'client-0001' });
    expect(chat(s, 'a').pending[0]?.error).toBeNull();
    s = apply(s, { type: 'ui/discard', conversationId: 'a', clientId: 'client-0001' });
    expect(chat(s, 'a').pending).toEqual([]);
  });

  it('keeps a rate-limited message pending: the connection sends it again', () => {
    const s = withDraft();
    expect(apply(s, { type: 'error', code: 'rate_limited', message: 'Slow down', ref: 'client-0001' })).toBe(
      s,
    );
  });

  it('marks a message failed when it cannot even be queued', () => {
    const s = apply(withDraft(), {
      type: 'ui/send-failed',
      conversationId: 'a',
      clientId: 'client-0001',
      error: 'x',
    });
    expect(chat(s, 'a').pending[0]?.error).toBe('x');
  });

  it('shows other errors as a notice and forgets a refused pick', () => {
    const s = run(
      [
        { type: 'ui/pick', conversationId: 'q' },
        { type: 'error', code: 'over_capacity', message: 'Operator has no free capacity' },
      ],
      withDraft(),
    );
    expect(s.notice).toEqual({ kind: 'error', text: 'Operator has no free capacity', code: 'over_capacity' });
    expect(s.picking).toBeNull();
  });
});

describe('navigation and drafts', () => {
  const three = () =>
    run([
      welcome([
        conversation('a', { waitingSince: 1 }),
        conversation('b', { waitingSince: 2 }),
        conversation('c', { waitingSince: 3 }),
      ]),
    ]);

  it('keeps each chat its own draft across switches', () => {
    const s = run(
      [
        { type: 'ui/draft', conversationId: 'a', text: 'for a' },
        { type: 'ui/open', conversationId: 'b' },
        { type: 'ui/draft', conversationId: 'b', text: 'for b' },
        { type: 'ui/note-mode', conversationId: 'b', on: true },
        { type: 'ui/open', conversationId: 'a' },
      ],
      three(),
    );
    expect(chat(s, 'a').draft).toBe('for a');
    expect(chat(s, 'b').draft).toBe('for b');
    expect(chat(s, 'b').noteMode).toBe(true);
    expect(chat(s, 'a').noteMode).toBe(false);
  });

  it('moves through chats in list order and wraps around', () => {
    let s = three();
    expect(s.openId).toBe('a');
    s = apply(s, { type: 'ui/move', delta: 1 });
    expect(s.openId).toBe('b');
    s = run(
      [
        { type: 'ui/move', delta: 1 },
        { type: 'ui/move', delta: 1 },
      ],
      s,
    );
    expect(s.openId).toBe('a');
    s = apply(s, { type: 'ui/move', delta: -1 });
    expect(s.openId).toBe('c');
  });

  it('closes the end confirmation and the transfer form of one chat when another opens; help stays', () => {
    let s = apply(three(), { type: 'ui/overlay', overlay: 'end' });
    expect(s.overlay).toBe('end');
    s = apply(s, { type: 'ui/open', conversationId: 'b' });
    expect(s.overlay).toBeNull();
    s = apply(s, { type: 'ui/overlay', overlay: 'help' });
    s = apply(s, { type: 'ui/open', conversationId: 'c' });
    expect(s.overlay).toBe('help');
  });

  it('does nothing when opening an unknown chat or moving with none', () => {
    const s = three();
    expect(apply(s, { type: 'ui/open', conversationId: 'nope' })).toBe(s);
    expect(apply(initialState, { type: 'ui/move', delta: 1 })).toBe(initialState);
  });

  it('forgets everything on reset (logout)', () => {
    expect(apply(three(), { type: 'ui/reset' })).toBe(initialState);
  });
});

describe('live lists', () => {
  it('replaces the queue, presence and me with the latest snapshot', () => {
    const s = run([
      welcome([]),
      { type: 'queue', queue: [] },
      {
        type: 'presence',
        operators: [{ id: 'op-2', name: 'Boris', status: 'away', capacity: 2, activeChats: 1 }],
      },
      { type: 'me', me: { ...ME, status: 'away', capacity: 5 } },
      { type: 'conn/state', phase: 'closed', retryInMs: 1200 },
    ]);
    expect(s.operators.map((o) => o.name)).toEqual(['Boris']);
    expect(s.me).toMatchObject({ status: 'away', capacity: 5 });
    expect(s.connection).toEqual({ phase: 'closed', retryInMs: 1200 });
  });
});

describe('offline messages and typing preview', () => {
  const left = (id: string, createdAt: number) => ({
    type: 'offline' as const,
    conversation: conversation(id, { status: 'offline', operator: null, createdAt }),
    preview: `left ${id}`,
  });

  const item = (id: string, createdAt: number, status: 'open' | 'answered' | 'closed' = 'open') => ({
    conversation: conversation(id, { status: 'offline', operator: null, createdAt }),
    preview: `left ${id}`,
    status,
    changedAt: status === 'open' ? null : 9_000,
    changedBy: status === 'open' ? null : { id: 'op-2', name: 'Boris' },
  });

  it('lists live offline messages newest first, once each, open and unread, and counts them', () => {
    let s = run([welcome([]), left('x', 2_000), left('y', 1_000), left('x', 2_000)]);
    expect(s.inbox.open.map((o) => o.conversation.id)).toEqual(['x', 'y']);
    expect(s.inbox.open.every((o) => o.status === 'open')).toBe(true);
    expect(s.inbox.openCount).toBe(2);
    expect(unreadInbox(s)).toBe(2);
    expect(Object.keys(s.chats)).toEqual([]);
    const before = s.inbox.version;
    s = apply(s, { type: 'ui/inbox-read', conversationId: 'y' });
    expect(unreadInbox(s)).toBe(1);
    expect(apply(s, { type: 'ui/inbox-read', conversationId: 'y' })).toBe(s);
    expect(s.inbox.version).toBe(before);
  });

  it('takes the server’s open list and count, keeping what this browser opened as read', () => {
    let s = run([welcome([]), left('live', 5_000)]);
    s = apply(s, {
      type: 'ui/inbox',
      items: [item('older', 1_000), item('live', 5_000), item('gone', 3_000, 'closed')],
      openCount: 7,
      read: new Set(['older']),
    });
    expect(s.inbox.open.map((o) => [o.conversation.id, o.unread])).toEqual([
      ['live', true],
      ['older', false],
    ]);
    // The count is the server's: more open items exist than are listed.
    expect(s.inbox.openCount).toBe(7);
  });

  it('drops an answered or closed item from the open list and the badge, and brings a reopened one back', () => {
    let s = run([welcome([]), left('a', 2_000), left('b', 1_000)]);
    const v = s.inbox.version;
    s = apply(s, { type: 'ui/inbox-status', item: item('a', 2_000, 'answered') });
    expect(s.inbox.open.map((o) => o.conversation.id)).toEqual(['b']);
    expect(s.inbox.openCount).toBe(1);
    expect(s.inbox.version).toBe(v + 1);
    // Already gone (a colleague's change came first): the count does not drop twice.
    s = apply(s, { type: 'ui/inbox-status', item: item('a', 2_000, 'closed') });
    expect(s.inbox.openCount).toBe(1);
    s = apply(s, { type: 'ui/inbox-status', item: { ...item('a', 2_000), changedAt: 9_500 } });
    expect(s.inbox.open.map((o) => [o.conversation.id, o.unread])).toEqual([
      ['a', false],
      ['b', true],
    ]);
    expect(s.inbox.openCount).toBe(2);
    expect(apply(s, { type: 'ui/reset' }).inbox).toEqual({ open: [], openCount: 0, version: 0 });
  });

  it('shows the visitor draft while typing and drops it once the message arrives', () => {
    let s = run([
      welcome([conversation('a')]),
      { type: 'history', conversationId: 'a', messages: [] },
      { type: 'typing', conversationId: 'a', active: true, preview: 'Where is my ord' },
    ]);
    expect(chat(s, 'a').typingPreview).toBe('Where is my ord');
    s = apply(s, { type: 'message', message: message('a', 1, { text: 'Where is my order?' }) });
    expect(chat(s, 'a').typingPreview).toBeNull();
    expect(chat(s, 'a').visitorTyping).toBe(false);
  });
});

describe('side data', () => {
  it('indexes site settings by id and keeps canned responses', () => {
    const site = {
      id: 's1',
      key: 'demo',
      name: 'Demo',
      timezone: 'UTC',
      color: '#000000',
      position: 'right' as const,
      launcherText: '',
      greeting: '',
      lang: 'en',
      businessHours: null,
      alertAfterSeconds: 10,
      amberAfterSeconds: 5,
      slaSeconds: 30,
      ringTimeoutSeconds: 0,
      autoAwayMinutes: 0,
      typingPreview: true,
      prechat: { enabled: false, requireEmail: false, topics: [] },
      teams: [],
    };
    let s = apply(initialState, { type: 'ui/sites', sites: [site] });
    expect(s.sites.s1?.alertAfterSeconds).toBe(10);
    s = apply(s, {
      type: 'ui/canned',
      items: [{ id: 'k', shortcut: 'hi', text: 'Hi', operatorId: null, siteId: null, createdAt: 0 }],
    });
    expect(s.canned).toHaveLength(1);
    expect(apply(s, { type: 'ui/reset' }).sites).toEqual({});
  });
});
