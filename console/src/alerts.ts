import type { ConversationView, QueueEntry } from '@beseda/shared/types';
import { DEFAULT_THRESHOLDS, type WaitThresholds } from './format.js';
import { locale, t } from './i18n/index.js';

/**
 * What deserves a beep and a desktop notification, decided by a pure function over snapshots:
 * - a chat newly assigned to me (by routing or a transfer; not one I picked myself),
 * - a visitor newly in the queue,
 * - a visitor waiting past the site's `alertAfterSeconds`: in the queue (once per conversation) or for my
 *   answer in one of my chats (once per unanswered stretch).
 * The first snapshot only primes the memory, so opening or reloading the console does not ring for
 * everything already there; waits that are already too long do alert, since someone should act on them.
 */

export type Alert =
  | { kind: 'assigned'; conversationId: string; visitorName: string | null; visitorId: string }
  | { kind: 'queued'; conversationId: string; visitorName: string | null; visitorId: string }
  | {
      kind: 'late';
      conversationId: string;
      visitorName: string | null;
      visitorId: string;
      seconds: number;
      where: 'queue' | 'chat';
    };

export interface AlertMemory {
  primed: boolean;
  mine: ReadonlySet<string>;
  queued: ReadonlySet<string>;
  /** Keys of waits already alerted: `q:<conversationId>` or `c:<conversationId>:<waitingSince>`. */
  late: ReadonlySet<string>;
}

export const emptyAlertMemory: AlertMemory = {
  primed: false,
  mine: new Set(),
  queued: new Set(),
  late: new Set(),
};

export interface AlertInput {
  chats: readonly ConversationView[];
  queue: readonly QueueEntry[];
  now: number;
  thresholds: (siteId: string) => WaitThresholds;
  /** Chats I took from the queue myself: no need to tell me about them. */
  pickedByMe: ReadonlySet<string>;
}

/** Bound on remembered late alerts; old entries are long gone from the queue anyway. */
const MAX_LATE_REMEMBERED = 2000;

export function detectAlerts(
  memory: AlertMemory,
  input: AlertInput,
): { memory: AlertMemory; alerts: Alert[] } {
  const alerts: Alert[] = [];
  const mine = new Set<string>();
  const queued = new Set<string>();
  const late = new Set(memory.late);

  for (const c of input.chats) {
    mine.add(c.id);
    if (memory.primed && !memory.mine.has(c.id) && !input.pickedByMe.has(c.id)) {
      alerts.push({
        kind: 'assigned',
        conversationId: c.id,
        visitorName: c.visitorName,
        visitorId: c.visitorId,
      });
    }
    if (c.waitingSince !== null) {
      const seconds = Math.floor((input.now - c.waitingSince) / 1000);
      const key = `c:${c.id}:${c.waitingSince}`;
      if (seconds >= input.thresholds(c.siteId).alertAfterSeconds && !late.has(key)) {
        late.add(key);
        alerts.push({
          kind: 'late',
          conversationId: c.id,
          visitorName: c.visitorName,
          visitorId: c.visitorId,
          seconds,
          where: 'chat',
        });
      }
    }
  }

  for (const q of input.queue) {
    queued.add(q.conversationId);
    if (memory.primed && !memory.queued.has(q.conversationId)) {
      alerts.push({
        kind: 'queued',
        conversationId: q.conversationId,
        visitorName: q.visitorName,
        visitorId: q.visitorId,
      });
    }
    const seconds = Math.floor((input.now - q.enqueuedAt) / 1000);
    const key = `q:${q.conversationId}`;
    if (seconds >= input.thresholds(q.siteId).alertAfterSeconds && !late.has(key)) {
      late.add(key);
      alerts.push({
        kind: 'late',
        conversationId: q.conversationId,
        visitorName: q.visitorName,
        visitorId: q.visitorId,
        seconds,
        where: 'queue',
      });
    }
  }

  // Sets keep insertion order: dropping from the front forgets the oldest alerts first.
  while (late.size > MAX_LATE_REMEMBERED) late.delete(late.values().next().value as string);
  return { memory: { primed: true, mine, queued, late }, alerts };
}

export function thresholdsOf(
  sites: Readonly<Record<string, Partial<WaitThresholds> | undefined>>,
  siteId: string,
): WaitThresholds {
  const site = sites[siteId];
  // Field by field: a server that does not send one yet still gets sensible colours.
  const amber = site?.amberAfterSeconds ?? DEFAULT_THRESHOLDS.amberAfterSeconds;
  const alert = site?.alertAfterSeconds ?? DEFAULT_THRESHOLDS.alertAfterSeconds;
  return { amberAfterSeconds: Math.min(amber, alert), alertAfterSeconds: alert };
}

/** The earliest moment a wait crosses its alert threshold, so the runner can wake exactly then. */
export function nextLateAt(input: Omit<AlertInput, 'pickedByMe'>, memory: AlertMemory): number | null {
  let next: number | null = null;
  const consider = (key: string, since: number, siteId: string) => {
    if (memory.late.has(key)) return;
    const at = since + input.thresholds(siteId).alertAfterSeconds * 1000;
    if (next === null || at < next) next = at;
  };
  for (const c of input.chats) {
    if (c.waitingSince !== null) consider(`c:${c.id}:${c.waitingSince}`, c.waitingSince, c.siteId);
  }
  for (const q of input.queue) consider(`q:${q.conversationId}`, q.enqueuedAt, q.siteId);
  return next;
}

/** The line a desktop notification or the screen reader announces. */
export function alertText(alert: Alert, who: string): { title: string; body: string } {
  switch (alert.kind) {
    case 'assigned':
      return { title: t('alerts.newChat'), body: t('alerts.newChatBody', { who }) };
    case 'queued':
      return { title: t('alerts.waiting'), body: t('alerts.waitingBody', { who }) };
    case 'late': {
      const minutes = Math.floor(alert.seconds / 60);
      const wait = minutes >= 1 ? formatUnit(minutes, 'minute') : formatUnit(alert.seconds, 'second');
      return alert.where === 'queue'
        ? { title: t('alerts.waitingLong'), body: t('alerts.waitingLongBody', { who, wait }) }
        : { title: t('alerts.overdue'), body: t('alerts.overdueBody', { who, wait }) };
    }
  }
}

/** "4 min" / "4 мин." / "4 min" in the operator's language. */
function formatUnit(value: number, unit: 'minute' | 'second'): string {
  return new Intl.NumberFormat(locale(), { style: 'unit', unit, unitDisplay: 'short' }).format(value);
}
