/**
 * Answers of the owner dashboards API: the wire shapes are declared once in shared/src/dashboard.ts
 * (types only, nothing of the protocol package ends up in the bundle) and re-exported here.
 */
import type {
  CoverageReport,
  Envelope,
  OperatorFigures,
  OverviewFigures,
  RatingFigures,
  VolumeFigures,
  WaitFigures,
} from '@beseda/shared/types';
import { ApiError } from '../api.js';

export type {
  Compared,
  CoverageGap,
  CoverageReport,
  CoverageTotals,
  DailyCounts,
  DayCoverage,
  DurationStats,
  Envelope,
  HourCoverage,
  OperatorFigures,
  OperatorRow,
  OverviewFigures,
  PeriodSummary,
  RangeInfo,
  RatingComment,
  RatingFigures,
  VolumeFigures,
  WaitFigures,
} from '@beseda/shared/types';

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
