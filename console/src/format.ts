import { clockOptions, type Lang, lang, locale, t } from './i18n/index.js';

/**
 * Small display helpers shared by the chat list, queue and history. Pure (given the language), so they
 * are unit-tested. Every time on screen goes through `formatClock`/`formatDateTime`, so one screen never
 * mixes two formats.
 */

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
  return t('visitor.anonymous', { id: visitorId.slice(-4).toUpperCase() });
}

export function formatClock(at: number, language: Lang = lang()): string {
  return new Date(at).toLocaleTimeString(locale(language), clockOptions(language));
}

export function formatDateTime(at: number, language: Lang = lang()): string {
  return new Date(at).toLocaleString(locale(language), {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    ...clockOptions(language),
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
  language: Lang = lang(),
): { time: string; diff: string } | null {
  if (!timezone) return null;
  let time: string;
  let zoneName: string;
  try {
    const tag = locale(language);
    time = new Intl.DateTimeFormat(tag, {
      timeZone: timezone,
      weekday: 'short',
      ...clockOptions(language),
    }).format(at);
    zoneName =
      new Intl.DateTimeFormat('en', { timeZone: timezone, timeZoneName: 'longOffset' })
        .formatToParts(at)
        .find((p) => p.type === 'timeZoneName')?.value ?? '';
  } catch {
    return null;
  }
  const offset = parseGmtOffset(zoneName);
  if (offset === null) return { time, diff: '' };
  const delta = offset - ownOffsetMinutes;
  if (delta === 0) return { time, diff: t('card.sameAsYou', {}, language) };
  const h = Math.floor(Math.abs(delta) / 60);
  const m = Math.abs(delta) % 60;
  const amount = m
    ? t('card.hoursMinutes', { h: String(h), m: String(m).padStart(2, '0') }, language)
    : t('card.hours', { h: String(h) }, language);
  return { time, diff: t(delta > 0 ? 'card.ahead' : 'card.behind', { amount }, language) };
}

/** "GMT+05:30" → 330, "GMT" → 0; null when unparsable. */
export function parseGmtOffset(name: string): number | null {
  if (name === 'GMT' || name === 'UTC') return 0;
  const m = /^(?:GMT|UTC)([+-\u2212])(\d{1,2})(?::?(\d{2}))?$/.exec(name);
  if (!m) return null;
  const sign = m[1] === '+' ? 1 : -1;
  return sign * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}
