/**
 * Wire shapes of the owner dashboards API (`GET /api/dashboard/{overview,coverage,wait,ratings,volume,operators}`).
 * Computed by server/src/metrics/dashboard.ts and server/src/metrics/coverage.ts, read by the console.
 * Types only: no runtime code. Dates are local dates of the site (`YYYY-MM-DD`), instants are Unix ms.
 */
import type { Rating } from './model.js';

/** A figure next to the same figure for the previous period of equal length. */
export interface Compared {
  value: number | null;
  previous: number | null;
  /** value − previous (null if either is null), float noise rounded off at 1e-6. */
  delta: number | null;
  /** (value − previous) ÷ previous in percent, 2 decimals (null if either is null or previous is 0). */
  deltaPct: number | null;
}

export interface RangeInfo {
  from: string;
  to: string;
  days: number;
}

/** Every dashboard answer: the figures of the range and of the previous range of equal length. */
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

// ---------- coverage ----------

export interface CoverageGap {
  from: number;
  to: number;
  minutes: number;
  /** Local wall clock, `HH:MM`; the end of the day is `24:00`. */
  fromLocal: string;
  toLocal: string;
}

export interface DayCoverage {
  date: string;
  /** Length of the local day: 1440, or 1380 / 1500 on DST change days. */
  dayMinutes: number;
  /**
   * The part of the day before `now` and after the site was created (the whole day for past days, 0 for
   * future days and days before the site existed).
   */
  elapsedMinutes: number;
  /** Local wall clock from which the day is measured: `00:00`, the creation time, or `24:00` before it. */
  measuredFromLocal: string;
  /** Length of the union of online intervals within the day. */
  coveredMinutes: number;
  /** Business time of the day before `now`; null when the site has no business hours. */
  businessMinutes: number | null;
  /** Covered part of that business time; null when the site has no business hours. */
  coveredBusinessMinutes: number | null;
  /** covered ÷ elapsed, or coveredBusiness ÷ business when business hours are configured. */
  coveragePct: number | null;
  /** Uncovered stretches of the elapsed day (of the elapsed business hours when configured). */
  gaps: CoverageGap[];
  /** Distinct operators online at some point of the elapsed day. */
  operatorsOnline: number;
  operatorIds: string[];
  /** Covered minutes per local hour of day 0–23 (hour 2 lasts 0 min / 120 min on DST change days). */
  hours: number[];
}

export interface HourCoverage {
  hour: number;
  coveredMinutes: number;
  elapsedMinutes: number;
  businessMinutes: number | null;
  coveredBusinessMinutes: number | null;
  coveragePct: number | null;
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

/** `current` / `previous` of `GET /api/dashboard/coverage`. */
export interface CoverageReport {
  /** What coverage % is relative to. */
  basis: 'elapsed' | 'business';
  days: DayCoverage[];
  byHour: HourCoverage[];
  totals: CoverageTotals;
}

// ---------- overview ----------

export interface PeriodSummary {
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
}

/** `current` / `previous` of `GET /api/dashboard/overview`. */
export interface OverviewFigures extends PeriodSummary {
  coverage: CoverageTotals & { basis: CoverageReport['basis'] };
}

// ---------- wait ----------

export interface DailyCounts {
  date: string;
  conversations: number;
  assigned: number;
  missed: number;
  offline: number;
  averageWaitMs: number | null;
}

/** `current` / `previous` of `GET /api/dashboard/wait`. */
export interface WaitFigures {
  assigned: number;
  missed: number;
  abandonmentPct: number | null;
  wait: PeriodSummary['wait'];
  daily: DailyCounts[];
}

// ---------- ratings ----------

export interface RatingComment {
  conversationId: string;
  createdAt: number;
  ratedAt: number | null;
  rating: Rating;
  comment: string;
  operatorId: string | null;
  operatorName: string | null;
}

/** `current` / `previous` of `GET /api/dashboard/ratings`. */
export interface RatingFigures {
  good: number;
  bad: number;
  rated: number;
  ended: number;
  csatPct: number | null;
  /** Rated ÷ ended chats. */
  ratedPct: number | null;
  comments: RatingComment[];
}

// ---------- volume ----------

/** `current` / `previous` of `GET /api/dashboard/volume`. */
export interface VolumeFigures {
  conversations: number;
  /** heatmap[weekday][hour]: chats started, weekday 0 = Sunday, local hour of the site. */
  heatmap: number[][];
  byHour: number[];
  byWeekday: number[];
  daily: DailyCounts[];
}

// ---------- operators ----------

export interface OperatorRow {
  /** null for the team row. */
  operatorId: string | null;
  name: string | null;
  /** Chats handled (assigned; a transferred chat counts for the operator it ended with). */
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
  /** Time online for this site (team row: the sum over operators, i.e. staffed minutes). */
  onlineMinutes: number;
}

/** `current` / `previous` of `GET /api/dashboard/operators`. */
export interface OperatorFigures {
  team: OperatorRow;
  operators: OperatorRow[];
}

// ---------- staffing planner ----------

/** Erlang C figures of one hour of the week. */
export interface StaffingNeed {
  /** Offered load in Erlangs (simultaneous chats on average). */
  erlangs: number;
  /** Chat slots needed, and the operators that provide them at `capacity` chats each. */
  servers: number;
  operators: number;
  /** Share answered within the SLA with that many slots, 0–1. */
  serviceLevel: number;
}

export interface StaffingHour {
  /** 0 = Sunday. */
  weekday: number;
  /** Local hour of the site, 0–23. */
  hour: number;
  chatsPerHour: number;
  need: StaffingNeed;
  /** Average operators online in that hour over the range. */
  online: number;
  understaffed: boolean;
}

/** `GET /api/dashboard/staffing` (and the rows of `/api/dashboard/export/staffing.csv`). */
export interface StaffingReport {
  range: { from: string; to: string };
  /** Share of chats to answer within `slaSeconds`, 0.5–0.99. */
  target: number;
  slaSeconds: number;
  /** Chats that started in the range (the measured volume). */
  chats: number;
  /** Mean handling time measured over the range (null: no handled chat, so no plan). */
  ahtSeconds: number | null;
  /** Chats one operator handles at once (asked for, or the mean capacity of the site's active operators). */
  capacity: number;
  hours: StaffingHour[];
  /** Hours of the week with fewer operators online than needed. */
  understaffed: { weekday: number; hour: number; missing: number }[];
}

// ---------- an operator's own figures ----------

/** `current` / `previous` of `GET /api/dashboard/mine`: the caller's own row, nobody else's. */
export type MyFigures = OperatorRow;

// ---------- setup checklist ----------

export type SetupItemId = 'hours' | 'texts' | 'operators' | 'embed' | 'testChat';

export interface SetupItem {
  id: SetupItemId;
  done: boolean;
  /** What was found: the page the widget was seen on (embed), how many operators or chats. */
  url?: string;
  count?: number;
}

/** `GET /api/setup/checklist?site=`: the owner's first-run checklist, derived from the site's real state. */
export interface SetupChecklist {
  siteId: string;
  items: SetupItem[];
  done: number;
  total: number;
  /**
   * The caller's own answer to "do you answer chats?" (PATCH /api/me/profile; null = not answered yet). Per
   * owner rather than per site, so it is beside `items` and not counted in `done` / `total`; the console
   * shows it as the checklist's first step until it is answered.
   */
  answersChats?: boolean | null;
}
