/**
 * Answers of the owner dashboards API: the wire shapes are declared once in shared/src/dashboard.ts
 * (types only, nothing of the protocol package ends up in the bundle) and re-exported here.
 */
import type {
  CoverageReport,
  Envelope,
  MyFigures,
  OperatorFigures,
  OverviewFigures,
  RatingFigures,
  SetupChecklist,
  StaffingReport,
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
  MyFigures,
  OperatorFigures,
  OperatorRow,
  OverviewFigures,
  PeriodSummary,
  RangeInfo,
  RatingComment,
  RatingFigures,
  SetupChecklist,
  SetupItem,
  StaffingHour,
  StaffingReport,
  VolumeFigures,
  WaitFigures,
} from '@beseda/shared/types';

export interface DashboardQuery {
  site: string;
  /** Only the chats of this team of the site (absent or null: all). */
  team?: string | null;
  from: string;
  to: string;
}

export function dashboardSearch(q: DashboardQuery): string {
  const params = new URLSearchParams({ site: q.site, from: q.from, to: q.to });
  if (q.team) params.set('teamId', q.team);
  return params.toString();
}

/** The planner's inputs; null = the server's default (80 %, the site's SLA, operators' mean capacity). */
export interface StaffingParams {
  target: number | null;
  sla: number | null;
  capacity: number | null;
}

export function staffingSearch(q: DashboardQuery, p: StaffingParams): string {
  const params = new URLSearchParams(dashboardSearch(q));
  if (p.target !== null) params.set('target', String(p.target));
  if (p.sla !== null) params.set('sla', String(p.sla));
  if (p.capacity !== null) params.set('capacity', String(p.capacity));
  return params.toString();
}

export function exportHref(kind: 'chats' | 'coverage', q: DashboardQuery): string {
  return `/api/dashboard/export/${kind}.csv?${dashboardSearch(q)}`;
}

export function staffingCsvHref(q: DashboardQuery, p: StaffingParams): string {
  return `/api/dashboard/export/staffing.csv?${staffingSearch(q, p)}`;
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
  /** The caller's own figures (any operator). */
  mine: json<Envelope<MyFigures>>('mine'),
  staffing: async (q: DashboardQuery, p: StaffingParams) =>
    (await (await get(`/api/dashboard/staffing?${staffingSearch(q, p)}`)).json()) as StaffingReport,
  checklist: async (siteId: string) =>
    (await (
      await get(`/api/setup/checklist?${new URLSearchParams({ site: siteId })}`)
    ).json()) as SetupChecklist,
};
