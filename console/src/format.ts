/** Small display helpers shared by the chat list, queue and history. Pure, so they are unit-tested. */

/** Wait thresholds for the green/amber/red colour code. Constants until sites carry their own SLA. */
export const WAIT_AMBER_SECONDS = 60;
export const WAIT_RED_SECONDS = 240;

export type WaitLevel = 'ok' | 'warn' | 'late';

export function waitLevel(seconds: number): WaitLevel {
  if (seconds >= WAIT_RED_SECONDS) return 'late';
  if (seconds >= WAIT_AMBER_SECONDS) return 'warn';
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
