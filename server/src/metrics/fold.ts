import type { MessageAuthor } from '@beseda/shared';
import type { ChatEventRecord } from '../store/types.js';
import { applyEvent, type ChatFact, FACT_EVENTS, newFact, responseTimes } from './facts.js';
import { calendarFor } from './tz.js';

// The fold from events to per-chat facts, shared by every dialect: the dialect loads what a batch of
// events touches, this decides, the dialect writes the outcome. Nothing here reads a database or a clock.

export type MessageTiming = { author: MessageAuthor; operatorId: string | null; at: number };

/** What the fold of one batch needs from the database, loaded up front. */
export interface FoldInput {
  events: readonly ChatEventRecord[];
  /** Stored facts of the conversations the events name. */
  facts: ReadonlyMap<string, ChatFact>;
  /** The conversations (still existing) the events name that have no fact yet. */
  conversations: ReadonlyMap<string, { id: string; siteId: string; createdAt: number }>;
  /** Messages in seq order of each conversation that ended in this batch. */
  messages: ReadonlyMap<string, readonly MessageTiming[]>;
  timezoneOf(siteId: string): string;
}

export interface FactChange {
  before: ChatFact | null;
  after: ChatFact;
}

/** The conversations whose facts a batch of events may change (loaders fetch exactly these). */
export function conversationsOf(events: readonly ChatEventRecord[]): { all: string[]; ended: string[] } {
  const all = new Set<string>();
  const ended = new Set<string>();
  for (const e of events) {
    if (!e.conversationId || !FACT_EVENTS.has(e.type)) continue;
    all.add(e.conversationId);
    if (e.type === 'ended') ended.add(e.conversationId);
  }
  return { all: [...all], ended: [...ended] };
}

/** Applies the events in order; one change per touched conversation (its fact before and after). */
export function foldFacts(input: FoldInput): FactChange[] {
  const touched = new Map<string, FactChange>();
  for (const e of input.events) {
    if (!e.conversationId || !FACT_EVENTS.has(e.type)) continue;
    let entry = touched.get(e.conversationId);
    if (!entry) {
      const stored = input.facts.get(e.conversationId);
      if (stored) entry = { before: stored, after: stored };
      else {
        const conv = input.conversations.get(e.conversationId);
        if (!conv) continue; // deleted since
        entry = { before: null, after: newFact(conv, calendarFor(input.timezoneOf(conv.siteId))) };
      }
      touched.set(e.conversationId, entry);
    }
    entry.after = applyEvent(entry.after, e);
    if (e.type === 'ended') {
      entry.after = {
        ...entry.after,
        responseTimes: responseTimes(input.messages.get(e.conversationId) ?? []),
      };
    }
  }
  return [...touched.values()];
}

/**
 * Online intervals: an `online` status opens one per site of the event's siteIds (continuing those
 * already open: a reconnect), and closes the others; any other status closes them all.
 */
export function statusChange(
  e: ChatEventRecord,
  openSites: readonly string[],
): { close: string[]; open: string[] } {
  const raw = e.data?.siteIds;
  return changeOf(e, raw, e.siteId ? [e.siteId] : [], openSites);
}

/**
 * Team online intervals (issue #12.8), the same way from `data.teamIds`: an `online` status opens one per
 * team the operator belongs to at that time and closes the others; any other status closes them all. An
 * event without `teamIds` (recorded before teams) means no team.
 */
export function teamStatusChange(
  e: ChatEventRecord,
  openTeams: readonly string[],
): { close: string[]; open: string[] } {
  return changeOf(e, e.data?.teamIds, [], openTeams);
}

function changeOf(
  e: ChatEventRecord,
  raw: unknown,
  fallback: readonly string[],
  openKeys: readonly string[],
): { close: string[]; open: string[] } {
  if (e.data?.status !== 'online') return { close: [...openKeys], open: [] };
  const wanted = new Set(
    Array.isArray(raw) ? raw.filter((s): s is string => typeof s === 'string') : fallback,
  );
  return {
    close: openKeys.filter((s) => !wanted.has(s)),
    open: [...wanted].filter((s) => !openKeys.includes(s)),
  };
}
