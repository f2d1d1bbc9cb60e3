import type { TranscriptQuery } from '@beseda/shared/types';

/** What the history search form holds; converted to the REST query by `toTranscriptQuery`. */
export interface HistoryForm {
  q: string;
  /** `YYYY-MM-DD` from a date input, or ''. */
  from: string;
  to: string;
  operatorId: string;
  visitor: string;
  tag: string;
  rating: '' | 'good' | 'bad';
  /** '' = any; `offline` lists the messages left while nobody was available. */
  status: '' | 'ended' | 'missed' | 'offline';
}

export const emptyHistoryForm: HistoryForm = {
  q: '',
  from: '',
  to: '',
  operatorId: '',
  visitor: '',
  tag: '',
  rating: '',
  status: '',
};

export const HISTORY_PAGE_SIZE = 50;

/** Local midnight of a `YYYY-MM-DD` date input value; null when empty or malformed. */
export function startOfDay(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const t = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime();
  return Number.isNaN(t) ? null : t;
}

/**
 * The date range is inclusive in the operator's own timezone: "to 2024-05-03" means up to the last
 * millisecond of that day, not its first.
 */
export function toTranscriptQuery(form: HistoryForm, before?: number): TranscriptQuery {
  const query: TranscriptQuery = { limit: HISTORY_PAGE_SIZE };
  const q = form.q.trim();
  const visitor = form.visitor.trim();
  if (q) query.q = q;
  if (visitor) query.visitor = visitor;
  if (form.operatorId) query.operatorId = form.operatorId;
  const tag = form.tag.trim().toLowerCase();
  if (tag) query.tag = tag;
  if (form.rating) query.rating = form.rating;
  if (form.status) query.status = form.status;
  const from = startOfDay(form.from);
  if (from !== null) query.from = from;
  const toStart = startOfDay(form.to);
  if (toStart !== null) {
    const d = new Date(toStart);
    d.setDate(d.getDate() + 1);
    query.to = d.getTime() - 1;
  }
  if (before !== undefined) query.before = before;
  return query;
}

export type ExportFormat = 'txt' | 'json';

/** Download link of one transcript; the server answers with a Content-Disposition attachment. */
export function exportHref(conversationId: string, format: ExportFormat): string {
  return `/api/transcripts/${encodeURIComponent(conversationId)}/export?format=${format}`;
}
