import type { SiteSettings } from '@beseda/shared/types';
import { type ComponentChildren, Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../api.js';
import { DASHBOARD_TABS, type DashboardRoute, type DashboardTab, routeHref } from '../router.js';
import { useConsole } from '../ui/hooks.js';
import { Chart } from './Chart.js';
import './dashboard.css';
import {
  coverageSegments,
  csatByDay,
  type DateRange,
  dayLabel,
  dayToSeconds,
  describeChange,
  type FigureKind,
  formatFigure,
  formatMinutes,
  formatMs,
  formatPct,
  heatLevel,
  includesToday,
  minutesToClock,
  type Preset,
  presetOf,
  presetRange,
  todayIn,
  volumeSeries,
  waitTrendSeries,
} from './format.js';
import {
  type Compared,
  type CoverageReport,
  type DashboardQuery,
  dashboardApi,
  type Envelope,
  exportHref,
  type OperatorFigures,
  type OperatorRow,
  type OverviewFigures,
  type RatingFigures,
  type VolumeFigures,
  type WaitFigures,
} from './types.js';
import { type Loaded, useDashboardData } from './useDashboardData.js';

const TAB_LABELS: Record<DashboardTab, string> = {
  overview: 'Overview',
  coverage: 'Coverage',
  wait: 'Wait time',
  ratings: 'Ratings',
  volume: 'Volume',
  operators: 'Operators',
};

const PRESETS: ReadonlyArray<[Exclude<Preset, 'custom'>, string]> = [
  ['today', 'Today'],
  ['7d', 'Last 7 days'],
  ['30d', 'Last 30 days'],
];

/** Lazy-loaded #/dashboards for owners (issue #5): site and range in the URL, one tab at a time. */
export default function DashboardPage({ route }: { route: DashboardRoute }) {
  const isOwner = useConsole((s) => s.me?.role === 'owner' || s.me?.role === 'admin');
  const [sites, setSites] = useState<SiteSettings[] | null>(null);
  const [sitesError, setSitesError] = useState<string | null>(null);
  // Re-evaluated on every refresh so "today" moves on at midnight.
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    api.sites().then(setSites, (err: unknown) => setSitesError(errorText(err)));
  }, []);

  if (!isOwner) {
    return (
      <div class="settings-page">
        <p class="form-error" role="alert" data-testid="dashboards-forbidden">
          Only owners can see the dashboards.
        </p>
      </div>
    );
  }
  if (sitesError) {
    return (
      <div class="settings-page">
        <p class="form-error" role="alert">
          {sitesError}
        </p>
      </div>
    );
  }
  if (!sites) return <p class="empty">Loading…</p>;
  if (sites.length === 0) return <p class="empty">No sites yet.</p>;

  const site = sites.find((s) => s.id === route.site) ?? sites[0]!;
  const today = todayIn(site.timezone, now);
  const week = presetRange('7d', today);
  const range: DateRange = { from: route.from ?? week.from, to: route.to ?? week.to };
  const go = (patch: Partial<DashboardRoute>) => {
    location.hash = routeHref({ ...route, site: site.id, from: range.from, to: range.to, ...patch });
  };

  return (
    <div class="settings-page dashboards" data-testid="dashboards">
      <div class="dash-controls">
        <label class="field-inline">
          <span>Site</span>
          <select
            value={site.id}
            onChange={(e) => go({ site: e.currentTarget.value })}
            data-testid="dash-site"
          >
            {sites.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <RangePicker
          range={range}
          today={today}
          onChange={(r) => {
            setNow(Date.now());
            go(r);
          }}
        />
        <span class="spacer" />
        <a
          class="btn small"
          href={exportHref('chats', { site: site.id, ...range })}
          download
          data-testid="csv-chats"
        >
          Chats CSV
        </a>
        <a
          class="btn small"
          href={exportHref('coverage', { site: site.id, ...range })}
          download
          data-testid="csv-coverage"
        >
          Coverage CSV
        </a>
      </div>
      <nav class="subnav" aria-label="Dashboard sections">
        {DASHBOARD_TABS.map((t) => (
          <a
            key={t}
            href={routeHref({ ...route, tab: t, site: site.id, from: range.from, to: range.to })}
            aria-current={route.tab === t ? 'page' : undefined}
            data-testid={`dash-tab-${t}`}
          >
            {TAB_LABELS[t]}
          </a>
        ))}
      </nav>
      <TabBody
        tab={route.tab}
        query={{ site: site.id, ...range }}
        live={includesToday(range, today)}
        timezone={site.timezone}
      />
    </div>
  );
}

function RangePicker({
  range,
  today,
  onChange,
}: {
  range: DateRange;
  today: string;
  onChange: (r: DateRange) => void;
}) {
  const preset = presetOf(range, today);
  const [custom, setCustom] = useState(preset === 'custom');
  const [draft, setDraft] = useState(range);
  useEffect(() => setDraft(range), [range.from, range.to]);
  const valid = draft.from !== '' && draft.to !== '' && draft.from <= draft.to;

  return (
    <div class="dash-range" data-testid="dash-range">
      {PRESETS.map(([p, label]) => (
        <button
          key={p}
          type="button"
          class={`btn small toggle${!custom && preset === p ? ' on' : ''}`}
          aria-pressed={!custom && preset === p}
          onClick={() => {
            setCustom(false);
            onChange(presetRange(p, today));
          }}
          data-testid={`preset-${p}`}
        >
          {label}
        </button>
      ))}
      <button
        type="button"
        class={`btn small toggle${custom || preset === 'custom' ? ' on' : ''}`}
        aria-pressed={custom || preset === 'custom'}
        onClick={() => setCustom(true)}
        data-testid="preset-custom"
      >
        Custom
      </button>
      {(custom || preset === 'custom') && (
        <form
          class="dash-custom"
          onSubmit={(e) => {
            e.preventDefault();
            if (valid) onChange(draft);
          }}
        >
          <input
            type="date"
            aria-label="From"
            value={draft.from}
            max={draft.to || undefined}
            onInput={(e) => setDraft({ ...draft, from: e.currentTarget.value })}
            data-testid="range-from"
          />
          <span>–</span>
          <input
            type="date"
            aria-label="To"
            value={draft.to}
            min={draft.from || undefined}
            onInput={(e) => setDraft({ ...draft, to: e.currentTarget.value })}
            data-testid="range-to"
          />
          <button type="submit" class="btn small primary" disabled={!valid} data-testid="range-apply">
            Apply
          </button>
        </form>
      )}
    </div>
  );
}

interface TabProps {
  query: DashboardQuery;
  live: boolean;
  timezone: string;
}

function TabBody({ tab, ...props }: TabProps & { tab: DashboardTab }) {
  switch (tab) {
    case 'overview':
      return <OverviewTab {...props} />;
    case 'coverage':
      return <CoverageTab {...props} />;
    case 'wait':
      return <WaitTab {...props} />;
    case 'ratings':
      return <RatingsTab {...props} />;
    case 'volume':
      return <VolumeTab {...props} />;
    case 'operators':
      return <OperatorsTab {...props} />;
  }
}

const keyOf = (q: DashboardQuery, extra = '') => `${q.site}|${q.from}|${q.to}|${extra}`;

/** Loading, error and "updated" line around a tab's content. */
function Section<T>({
  loaded,
  live,
  children,
}: {
  loaded: Loaded<T>;
  live: boolean;
  children: (data: T) => ComponentChildren;
}) {
  const { data, error, loading, updatedAt } = loaded;
  return (
    <section class="dash-section" aria-busy={loading} data-loading={loading ? 'true' : 'false'}>
      {error && (
        <p class="form-error" role="alert" data-testid="dash-error">
          {error}
        </p>
      )}
      {data === null ? (
        !error && <p class="empty">Loading…</p>
      ) : (
        <>
          {children(data)}
          {updatedAt !== null && (
            <p class="hint dash-updated" data-testid="dash-updated">
              {live ? 'Live: refreshed every 30 s. ' : ''}Updated{' '}
              {new Date(updatedAt).toLocaleTimeString(undefined, {
                hour: '2-digit',
                minute: '2-digit',
                second: '2-digit',
              })}
            </p>
          )}
        </>
      )}
    </section>
  );
}

function RangeNote({ env }: { env: Envelope<unknown> }) {
  return (
    <p class="hint" data-testid="dash-range-note">
      {dayLabel(env.range.from)} – {dayLabel(env.range.to)} ({env.range.days}{' '}
      {env.range.days === 1 ? 'day' : 'days'}, {env.site.timezone}), compared with{' '}
      {dayLabel(env.previousRange.from)} – {dayLabel(env.previousRange.to)}
    </p>
  );
}

interface CardProps {
  id: string;
  label: string;
  value: number | null;
  kind: FigureKind;
  change?: Compared;
  higherIsBetter: boolean | null;
  note?: string;
}

function Card({ id, label, value, kind, change, higherIsBetter, note }: CardProps) {
  const c = describeChange(change, kind, higherIsBetter);
  return (
    <div class="dash-card" data-testid={`card-${id}`}>
      <div class="dash-card-label">{label}</div>
      <div class="dash-card-value" data-testid={`card-${id}-value`}>
        {formatFigure(value, kind)}
      </div>
      <div class={`dash-card-change trend-${c.trend}`} data-testid={`card-${id}-change`}>
        {c.text}
      </div>
      {note && <div class="dash-card-note">{note}</div>}
    </div>
  );
}

function OverviewTab({ query, live }: TabProps) {
  const loaded = useDashboardData(keyOf(query), () => dashboardApi.overview(query), live);
  return (
    <Section loaded={loaded} live={live}>
      {(o: Envelope<OverviewFigures>) => {
        const c = o.current;
        const cmp = o.comparison;
        return (
          <>
            <RangeNote env={o} />
            <div class="dash-cards" data-testid="overview-cards">
              <Card
                id="coverage"
                label={o.current.coverage.basis === 'business' ? 'Coverage (business hours)' : 'Coverage'}
                value={c.coverage.coveragePct}
                kind="pct"
                change={cmp.coveragePct}
                higherIsBetter={true}
                note={`${formatMinutes(c.coverage.coveredMinutes)} staffed`}
              />
              <Card
                id="frt-median"
                label="Median first response"
                value={c.frt.medianMs}
                kind="ms"
                change={cmp.frtMedianMs}
                higherIsBetter={false}
              />
              <Card
                id="frt-p90"
                label="p90 first response"
                value={c.frt.p90Ms}
                kind="ms"
                change={cmp.frtP90Ms}
                higherIsBetter={false}
              />
              <Card
                id="within-sla"
                label={`Answered within SLA (${c.wait.slaSeconds} s)`}
                value={c.wait.withinSlaPct}
                kind="pct"
                change={cmp.withinSlaPct}
                higherIsBetter={true}
                note={`${c.wait.withinSla} of ${c.wait.count}`}
              />
              <Card
                id="missed"
                label="Missed chats"
                value={c.missed}
                kind="count"
                change={cmp.missed}
                higherIsBetter={false}
              />
              <Card
                id="abandonment"
                label="Abandonment rate"
                value={c.abandonmentPct}
                kind="pct"
                change={cmp.abandonmentPct}
                higherIsBetter={false}
              />
              <Card
                id="csat"
                label="CSAT"
                value={c.csat.csatPct}
                kind="pct"
                change={cmp.csatPct}
                higherIsBetter={true}
                note={`${c.csat.good} good, ${c.csat.bad} bad`}
              />
              <Card
                id="conversations"
                label="Conversations"
                value={c.conversations}
                kind="count"
                change={cmp.conversations}
                higherIsBetter={null}
                note={`${c.assigned} answered, ${c.offline} offline messages`}
              />
              <Card
                id="wait-median"
                label="Median queue wait"
                value={c.wait.medianMs}
                kind="ms"
                change={cmp.waitMedianMs}
                higherIsBetter={false}
              />
              <Card
                id="aht"
                label="Average handling time"
                value={c.handling.averageMs}
                kind="ms"
                change={cmp.averageHandlingMs}
                higherIsBetter={null}
              />
            </div>
          </>
        );
      }}
    </Section>
  );
}

const HOUR_TICKS = [0, 3, 6, 9, 12, 15, 18, 21, 24];

function CoverageTab({ query, live }: TabProps) {
  const loaded = useDashboardData(
    keyOf(query),
    async () => {
      const [coverage, ops] = await Promise.all([
        dashboardApi.coverage(query),
        dashboardApi.operators(query),
      ]);
      return { coverage, ops };
    },
    live,
  );
  return (
    <Section loaded={loaded} live={live}>
      {({ coverage: env, ops }: { coverage: Envelope<CoverageReport>; ops: Envelope<OperatorFigures> }) => {
        const r = env.current;
        const names = new Map(
          ops.current.operators.map((o) => [o.operatorId, o.name ?? o.operatorId ?? '?']),
        );
        return (
          <>
            <RangeNote env={env} />
            <div class="dash-cards">
              <Card
                id="coverage-total"
                label={r.basis === 'business' ? 'Coverage of business hours' : 'Coverage'}
                value={r.totals.coveragePct}
                kind="pct"
                change={env.comparison.coveragePct}
                higherIsBetter={true}
              />
              <Card
                id="covered-minutes"
                label="Covered time"
                value={r.totals.coveredMinutes}
                kind="minutes"
                change={env.comparison.coveredMinutes}
                higherIsBetter={true}
              />
              <Card
                id="gaps"
                label="Gaps (nobody online)"
                value={r.totals.gapCount}
                kind="count"
                change={env.comparison.gapCount}
                higherIsBetter={false}
                note={`${formatMinutes(r.totals.gapMinutes)} in total`}
              />
            </div>
            <div class="cov-legend" aria-hidden="true">
              <span>
                <i class="seg-covered" /> someone online
              </span>
              <span>
                <i class="seg-gap" /> nobody online{r.basis === 'business' ? ' (business hours)' : ''}
              </span>
              {r.basis === 'business' && (
                <span>
                  <i class="seg-outside" /> not a gap (see hourly strip)
                </span>
              )}
              <span>
                <i class="seg-future" /> not yet
              </span>
            </div>
            <div class="cov-chart" data-testid="coverage-chart">
              <div class="cov-row cov-axis" aria-hidden="true">
                <span class="cov-day" />
                <div class="cov-scale">
                  {HOUR_TICKS.map((h) => (
                    <span key={h} style={{ left: `${(h / 24) * 100}%` }}>
                      {h}
                    </span>
                  ))}
                </div>
                <span class="cov-pct" />
                <span class="cov-who" />
              </div>
              {r.days.map((d) => {
                const segs = coverageSegments(d, r.basis);
                const who = d.operatorIds.map((id) => names.get(id) ?? id).sort();
                return (
                  <div class="cov-row" key={d.date} data-testid="coverage-day" data-date={d.date}>
                    <span class="cov-day">{dayLabel(d.date)}</span>
                    <div
                      class="cov-bar"
                      role="img"
                      aria-label={`${dayLabel(d.date)}: ${formatPct(d.coveragePct)} covered; gaps ${
                        d.gaps.map((g) => `${g.fromLocal}–${g.toLocal}`).join(', ') || 'none'
                      }`}
                    >
                      {segs.map((s) => (
                        <span
                          key={s.from}
                          class={`seg seg-${s.kind}`}
                          data-kind={s.kind}
                          style={{
                            left: `${(s.from / 1440) * 100}%`,
                            width: `${((s.to - s.from) / 1440) * 100}%`,
                          }}
                          title={`${minutesToClock(s.from)}–${minutesToClock(s.to)} ${
                            s.kind === 'gap'
                              ? 'nobody online'
                              : s.kind === 'covered'
                                ? 'covered'
                                : s.kind === 'future'
                                  ? 'not yet'
                                  : ''
                          }`}
                        />
                      ))}
                      {r.basis === 'business' && (
                        <div class="cov-hours">
                          {d.hours.map((m, h) => (
                            <span
                              key={h}
                              style={{ opacity: Math.min(1, m / 60) }}
                              title={`${h}:00 ${Math.round(m)} min covered`}
                            />
                          ))}
                        </div>
                      )}
                    </div>
                    <span class="cov-pct" data-testid="coverage-day-pct">
                      {formatPct(d.coveragePct)}
                    </span>
                    <span class="cov-who" data-testid="coverage-day-who">
                      {who.length > 0 ? who.join(', ') : <em class="cov-nobody">nobody online</em>}
                      {d.gaps.length > 0 && (
                        <span class="cov-gaps">
                          Gaps: {d.gaps.map((g) => `${g.fromLocal}–${g.toLocal}`).join(', ')}
                        </span>
                      )}
                    </span>
                  </div>
                );
              })}
            </div>
          </>
        );
      }}
    </Section>
  );
}

const secondsLabel = (v: number) => formatMs(v * 1000);

function WaitTab({ query, live }: TabProps) {
  const loaded = useDashboardData(keyOf(query), () => dashboardApi.wait(query), live);
  return (
    <Section loaded={loaded} live={live}>
      {(env: Envelope<WaitFigures>) => {
        const w = env.current;
        const cmp = env.comparison;
        return (
          <>
            <RangeNote env={env} />
            <div class="dash-cards">
              <Card
                id="wait-median"
                label="Median wait"
                value={w.wait.medianMs}
                kind="ms"
                change={cmp.medianMs}
                higherIsBetter={false}
              />
              <Card
                id="wait-p90"
                label="p90 wait"
                value={w.wait.p90Ms}
                kind="ms"
                change={cmp.p90Ms}
                higherIsBetter={false}
              />
              <Card
                id="wait-max"
                label="Longest wait"
                value={w.wait.maxMs}
                kind="ms"
                change={cmp.maxMs}
                higherIsBetter={false}
              />
              <Card
                id="wait-sla"
                label={`Within SLA (${w.wait.slaSeconds} s)`}
                value={w.wait.withinSlaPct}
                kind="pct"
                change={cmp.withinSlaPct}
                higherIsBetter={true}
                note={`${w.wait.withinSla} of ${w.wait.count}`}
              />
              <Card
                id="wait-missed"
                label="Missed"
                value={w.missed}
                kind="count"
                change={cmp.missed}
                higherIsBetter={false}
              />
              <Card
                id="wait-abandonment"
                label="Abandonment"
                value={w.abandonmentPct}
                kind="pct"
                change={cmp.abandonmentPct}
                higherIsBetter={false}
              />
            </div>
            <h2 class="dash-h">Average queue wait per day</h2>
            <Chart
              testId="wait-chart"
              data={waitTrendSeries(w.daily, w.wait.slaSeconds) as never}
              yLabel="wait"
              yFormat={secondsLabel}
              series={[
                {
                  label: 'Average wait',
                  color: '#2563eb',
                  format: (v) => (v === null ? 'no chats' : formatMs(v * 1000)),
                },
                {
                  label: `SLA (${w.wait.slaSeconds} s)`,
                  color: '#c2410c',
                  kind: 'dashed',
                  format: (v) => formatMs((v ?? 0) * 1000),
                },
              ]}
            />
            <h2 class="dash-h">Chats per day</h2>
            <Chart
              testId="wait-volume-chart"
              data={volumeSeries(w.daily) as never}
              yLabel="chats"
              yFormat={(v) => (Number.isInteger(v) ? String(v) : '')}
              height={200}
              series={[
                { label: 'Answered', color: '#93c5fd', kind: 'bars', format: (v) => String(v ?? 0) },
                { label: 'Missed', color: '#b91c1c', kind: 'points', format: (v) => String(v ?? 0) },
                {
                  label: 'Offline messages',
                  color: '#a16207',
                  kind: 'points',
                  format: (v) => String(v ?? 0),
                },
              ]}
            />
          </>
        );
      }}
    </Section>
  );
}

/** Days of CSAT trend read from the chats CSV at most (a longer range shows the totals only). */
const CSAT_TREND_MAX_DAYS = 92;

function RatingsTab({ query, live }: TabProps) {
  const loaded = useDashboardData(
    keyOf(query),
    async () => {
      const env = await dashboardApi.ratings(query);
      const trend =
        env.range.days <= CSAT_TREND_MAX_DAYS ? csatByDay(await dashboardApi.chatsCsv(query), query) : null;
      return { env, trend };
    },
    live,
  );
  return (
    <Section loaded={loaded} live={live}>
      {({ env, trend }: { env: Envelope<RatingFigures>; trend: ReturnType<typeof csatByDay> | null }) => {
        const r = env.current;
        const cmp = env.comparison;
        return (
          <>
            <RangeNote env={env} />
            <div class="dash-cards">
              <Card
                id="ratings-csat"
                label="CSAT"
                value={r.csatPct}
                kind="pct"
                change={cmp.csatPct}
                higherIsBetter={true}
              />
              <Card
                id="ratings-good"
                label="Good ratings"
                value={r.good}
                kind="count"
                change={cmp.good}
                higherIsBetter={true}
              />
              <Card
                id="ratings-bad"
                label="Bad ratings"
                value={r.bad}
                kind="count"
                change={cmp.bad}
                higherIsBetter={false}
              />
              <Card
                id="ratings-rated"
                label="Chats rated"
                value={r.ratedPct}
                kind="pct"
                change={cmp.ratedPct}
                higherIsBetter={true}
                note={`${r.rated} of ${r.ended} ended`}
              />
            </div>
            {trend && (
              <>
                <h2 class="dash-h">CSAT per day</h2>
                <Chart
                  testId="csat-chart"
                  data={[trend.map((d) => dayToSeconds(d.date)), trend.map((d) => d.csatPct)] as never}
                  yLabel="CSAT"
                  yFormat={(v) => `${v} %`}
                  yRange={[0, 100]}
                  series={[
                    {
                      label: 'CSAT',
                      color: '#15803d',
                      format: (v) => {
                        return v === null ? 'no ratings' : formatPct(v);
                      },
                    },
                  ]}
                />
              </>
            )}
            <h2 class="dash-h">Latest comments</h2>
            {r.comments.length === 0 ? (
              <p class="empty">No comments in this range.</p>
            ) : (
              <ul class="dash-comments" data-testid="rating-comments">
                {r.comments.map((c) => (
                  <li key={c.conversationId} class={`comment-${c.rating}`} data-testid="rating-comment">
                    <span class={`rating-badge rating-${c.rating}`}>
                      {c.rating === 'good' ? 'Good' : 'Bad'}
                    </span>
                    <q>{c.comment}</q>
                    <span class="muted">
                      {c.operatorName ?? 'no operator'} ·{' '}
                      <a href={routeHref({ page: 'history', transcriptId: c.conversationId })}>
                        {new Date(c.ratedAt ?? c.createdAt).toLocaleString()}
                      </a>
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </>
        );
      }}
    </Section>
  );
}

/** Monday first, as owners read a work week; the API's rows are Sunday = 0. */
const WEEK_ORDER: ReadonlyArray<[number, string]> = [
  [1, 'Mon'],
  [2, 'Tue'],
  [3, 'Wed'],
  [4, 'Thu'],
  [5, 'Fri'],
  [6, 'Sat'],
  [0, 'Sun'],
];

function VolumeTab({ query, live }: TabProps) {
  const loaded = useDashboardData(keyOf(query), () => dashboardApi.volume(query), live);
  return (
    <Section loaded={loaded} live={live}>
      {(env: Envelope<VolumeFigures>) => {
        const v = env.current;
        const max = Math.max(0, ...v.heatmap.flat());
        return (
          <>
            <RangeNote env={env} />
            <div class="dash-cards">
              <Card
                id="volume-conversations"
                label="Conversations"
                value={v.conversations}
                kind="count"
                change={env.comparison.conversations}
                higherIsBetter={null}
              />
            </div>
            <h2 class="dash-h">Chats started by hour and weekday ({env.site.timezone})</h2>
            <div class="heatmap" data-testid="volume-heatmap">
              <span class="hm-corner" />
              {Array.from({ length: 24 }, (_, h) => (
                <span key={`h${h}`} class="hm-hour">
                  {h}
                </span>
              ))}
              <span class="hm-total">Σ</span>
              {WEEK_ORDER.map(([wd, label]) => (
                <Fragment key={wd}>
                  <span class="hm-day">{label}</span>
                  {v.heatmap[wd]!.map((n, h) => (
                    <span
                      key={`${wd}-${h}`}
                      class={`hm-cell hm-${heatLevel(n, max)}`}
                      title={`${label} ${h}:00–${h + 1}:00: ${n} chats`}
                      data-testid="heat-cell"
                      data-weekday={wd}
                      data-hour={h}
                    >
                      {n > 0 ? n : ''}
                    </span>
                  ))}
                  <span class="hm-total">{v.byWeekday[wd]}</span>
                </Fragment>
              ))}
              <span class="hm-day">Σ</span>
              {v.byHour.map((n, h) => (
                <span key={`s${h}`} class="hm-total">
                  {n}
                </span>
              ))}
              <span class="hm-total">{v.conversations}</span>
            </div>
          </>
        );
      }}
    </Section>
  );
}

function OperatorsTab({ query, live }: TabProps) {
  const loaded = useDashboardData(keyOf(query), () => dashboardApi.operators(query), live);
  return (
    <Section loaded={loaded} live={live}>
      {(env: Envelope<OperatorFigures>) => (
        <>
          <RangeNote env={env} />
          <table class="admin-table dash-table" data-testid="operators-dash-table">
            <thead>
              <tr>
                <th>Operator</th>
                <th class="num">Chats</th>
                <th class="num">Median first response</th>
                <th class="num">Avg response</th>
                <th class="num">Avg handling time</th>
                <th class="num">CSAT</th>
                <th class="num">Transfers</th>
                <th class="num">Online</th>
              </tr>
            </thead>
            <tbody>
              {env.current.operators.map((r) => (
                <OperatorTr key={r.operatorId} row={r} />
              ))}
            </tbody>
            <tfoot>
              <OperatorTr row={env.current.team} team />
            </tfoot>
          </table>
        </>
      )}
    </Section>
  );
}

function OperatorTr({ row, team = false }: { row: OperatorRow; team?: boolean }) {
  return (
    <tr data-testid={team ? 'operator-team-row' : 'operator-dash-row'} data-name={row.name ?? ''}>
      <td class="op-name">{team ? 'Team' : (row.name ?? row.operatorId)}</td>
      <td class="num" data-col="chats">
        {row.chats}
      </td>
      <td class="num" data-col="frt">
        {formatMs(row.medianFrtMs)}
      </td>
      <td class="num">{formatMs(row.averageResponseMs)}</td>
      <td class="num" data-col="aht">
        {formatMs(row.averageHandlingMs)}
      </td>
      <td class="num" data-col="csat">
        {formatPct(row.csatPct)}
        {row.good + row.bad > 0 && (
          <span class="muted">
            {' '}
            ({row.good}/{row.good + row.bad})
          </span>
        )}
      </td>
      <td class="num">{row.transfers}</td>
      <td class="num" data-col="online">
        {formatMinutes(row.onlineMinutes)}
      </td>
    </tr>
  );
}
