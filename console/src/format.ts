/** Small display helpers shared by the chat list, queue and history. Pure, so they are unit-tested. */

/**
 * Queue colour thresholds of a site (seconds): green below `amberAfterSeconds`, amber below
 * `alertAfterSeconds`, red from then on. The defaults apply until GET /api/sites has answered.
 */
export interface WaitThresholds {
  amberAfterSeconds: number;
  alertAfterSeconds: number;
}
export const DEFAULT_THRESHOLDS: WaitThresholds = { amberAfterSeconds: 60, alertAfterSeconds: 240 };

export type WaitLevel = 'ok' | 'warn' | 'late';

export function waitLevel(seconds: number, t: WaitThresholds = DEFAULT_THRESHOLDS): WaitLevel {
  if (seconds >= t.alertAfterSeconds) return 'late';
  if (seconds >= t.amberAfterSeconds) return 'warn';
  return 'ok';
}

/** Whole seconds elapsed since `since`, never negative (client and server clocks may disagree). */
export function elapsedSeconds(since: number, now: number): number {
  return Math.max(0, Math.floor((now - since) / 1000));
}

/** 83 → "1:23", 3725 → "1:02:05". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Anonymous visitors get a short, stable handle derived from their id so operators can tell them apart. */
export function visitorLabel(name: string | null, visitorId: string): string {
  const trimmed = name?.trim();
  if (trimmed) return trimmed;
  return `Visitor #${visitorId.slice(-4).toUpperCase()}`;
}

export function formatClock(at: number): string {
  return new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

export function formatDateTime(at: number): string {
  return new Date(at).toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** One line of preview text: collapses whitespace so a multi-line message fits the chat list row. */
export function previewText(text: string, max = 80): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * The wall-clock time in a visitor's timezone ("Tue 14:05"), with how far it is from the operator's own
 * offset ("+3 h"). Null for a missing or unknown IANA zone, so the card simply leaves the line out.
 */
export function localTimeIn(
  at: number,
  timezone: string | null,
  ownOffsetMinutes = -new Date(at).getTimezoneOffset(),
  locale?: string,
): { time: string; diff: string } | null {
  if (!timezone) return null;
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat(locale ?? 'en-GB', {
      timeZone: timezone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    }).formatToParts(at);
  } catch {
    return null;
  }
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const offset = parseGmtOffset(get('timeZoneName'));
  const time = `${get('weekday')} ${get('hour')}:${get('minute')}`;
  if (offset === null) return { time, diff: '' };
  const delta = offset - ownOffsetMinutes;
  if (delta === 0) return { time, diff: 'same as you' };
  const h = Math.floor(Math.abs(delta) / 60);
  const m = Math.abs(delta) % 60;
  const amount = m ? `${h}:${String(m).padStart(2, '0')} h` : `${h} h`;
  return { time, diff: `${amount} ${delta > 0 ? 'ahead of' : 'behind'} you` };
}

/** "GMT+05:30" → 330, "GMT" → 0; null when unparsable. */
export function parseGmtOffset(name: string): number | null {
  if (name === 'GMT' || name === 'UTC') return 0;
  const m = /^(?:GMT|UTC)([+-\u2212])(\d{1,2})(?::?(\d{2}))?$/.exec(name);
  if (!m) return null;
  const sign = m[1] === '+' ? 1 : -1;
  return sign * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}
