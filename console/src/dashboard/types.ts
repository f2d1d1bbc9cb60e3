/**
 * Answers of the owner dashboards API (server/src/metrics/dashboard.ts, server/src/metrics/coverage.ts).
 * Copied by shape rather than imported: the console does not depend on the server package.
 */
import { ApiError } from '../api.js';

export interface Compared {
  value: number | null;
  previous: number | null;
  delta: number | null;
  deltaPct: number | null;
}

export interface RangeInfo {
  from: string;
  to: string;
  days: number;
}

export interface Envelope<T> {
  site: { id: string; name: string; timezone: string };
  operatorId: string | null;
  range: RangeInfo;
  previousRange: RangeInfo;
  current: T;
  previous: T;
  comparison: Record<string, Compared>;
}

export interface DurationStats {
  count: number;
  medianMs: number | null;
  p90Ms: number | null;
  maxMs: number | null;
  averageMs: number | null;
}

export interface CoverageTotals {
  coveredMinutes: number;
  elapsedMinutes: number;
  businessMinutes: number | null;
  coveredBusinessMinutes: number | null;
  coveragePct: number | null;
  gapCount: number;
  gapMinutes: number;
}

export interface OverviewFigures {
  conversations: number;
  assigned: number;
  missed: number;
  offline: number;
  ended: number;
  abandonmentPct: number | null;
  wait: DurationStats & { slaSeconds: number; withinSla: number; withinSlaPct: number | null };
  frt: DurationStats;
  responseTime: DurationStats;
  handling: { count: number; averageMs: number | null };
  csat: { good: number; bad: number; rated: number; csatPct: number | null };
  transfers: number;
  coverage: CoverageTotals & { basis: 'elapsed' | 'business' };
}

export interface CoverageGap {
  from: number;
  to: number;
  minutes: number;
  fromLocal: string;
  toLocal: string;
}

export interface DayCoverage {
  date: string;
  dayMinutes: number;
  elapsedMinutes: number;
  coveredMinutes: number;
  businessMinutes: number | null;
  coveredBusinessMinutes: number | null;
  coveragePct: number | null;
  gaps: CoverageGap[];
  operatorsOnline: number;
  operatorIds: string[];
  hours: number[];
}

export interface CoverageReport {
  basis: 'elapsed' | 'business';
  days: DayCoverage[];
  totals: CoverageTotals;
}

export interface DailyCounts {
  date: string;
  conversations: number;
  assigned: number;
  missed: number;
  offline: number;
  averageWaitMs: number | null;
}

export interface WaitFigures {
  assigned: number;
  missed: number;
  abandonmentPct: number | null;
  wait: OverviewFigures['wait'];
  daily: DailyCounts[];
}

export interface RatingComment {
  conversationId: string;
  createdAt: number;
  ratedAt: number | null;
  rating: 'good' | 'bad';
  comment: string;
  operatorId: string | null;
  operatorName: string | null;
}

export interface RatingFigures {
  good: number;
  bad: number;
  rated: number;
  ended: number;
  csatPct: number | null;
  ratedPct: number | null;
  comments: RatingComment[];
}

export interface VolumeFigures {
  conversations: number;
  heatmap: number[][];
  byHour: number[];
  byWeekday: number[];
  daily: DailyCounts[];
}

export interface OperatorRow {
  operatorId: string | null;
  name: string | null;
  chats: number;
  frtCount: number;
  medianFrtMs: number | null;
  averageResponseMs: number | null;
  handled: number;
  averageHandlingMs: number | null;
  good: number;
  bad: number;
  csatPct: number | null;
  transfers: number;
  onlineMinutes: number;
}

export interface OperatorFigures {
  team: OperatorRow;
  operators: OperatorRow[];
}

export interface DashboardQuery {
  site: string;
  from: string;
  to: string;
}

export function dashboardSearch(q: DashboardQuery): string {
  return new URLSearchParams({ site: q.site, from: q.from, to: q.to }).toString();
}

export function exportHref(kind: 'chats' | 'coverage', q: DashboardQuery): string {
  return `/api/dashboard/export/${kind}.csv?${dashboardSearch(q)}`;
}

async function get(path: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  } catch {
    throw new ApiError(0, 'network', 'Cannot reach the server. Check your connection.');
  }
  if (!res.ok) {
    const err = (await res.json().catch(() => null)) as { error?: string; message?: string } | null;
    throw new ApiError(
      res.status,
      (err?.error ?? 'internal') as ApiError['code'],
      err?.message ?? `Request failed (${res.status})`,
    );
  }
  return res;
}

const json =
  <T>(endpoint: string) =>
  async (q: DashboardQuery) =>
    (await (await get(`/api/dashboard/${endpoint}?${dashboardSearch(q)}`)).json()) as T;

export const dashboardApi = {
  overview: json<Envelope<OverviewFigures>>('overview'),
  coverage: json<Envelope<CoverageReport>>('coverage'),
  wait: json<Envelope<WaitFigures>>('wait'),
  ratings: json<Envelope<RatingFigures>>('ratings'),
  volume: json<Envelope<VolumeFigures>>('volume'),
  operators: json<Envelope<OperatorFigures>>('operators'),
  chatsCsv: async (q: DashboardQuery) => (await get(exportHref('chats', q))).text(),
};
