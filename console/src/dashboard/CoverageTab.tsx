import { type MessageKey, t } from '../i18n/index.js';
import {
  coverageSegments,
  dayLabel,
  formatMinutes,
  formatPct,
  minutesToClock,
  type SegmentKind,
} from './format.js';
import { Card, keyOf, RangeNote, Section, type TabProps } from './parts.js';
import { type CoverageReport, dashboardApi, type Envelope, type OperatorFigures } from './types.js';
import { useDashboardData } from './useDashboardData.js';

const HOUR_TICKS = [0, 3, 6, 9, 12, 15, 18, 21, 24];

const SEGMENT_TITLES: Record<SegmentKind, MessageKey> = {
  before: 'dash.beforeSite',
  covered: 'dash.covered',
  gap: 'dash.nobodyOnline',
  outside: 'dash.notAGap',
  future: 'dash.notYet',
};

/** One 0–24 h bar per day: covered, gaps, time outside business hours, before the site existed. */
export function CoverageTab({ query, live }: TabProps) {
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
        const anyBefore = r.days.some((d) => (d.measuredFromLocal ?? '00:00') !== '00:00');
        return (
          <>
            <RangeNote env={env} />
            <div class="dash-cards">
              <Card
                id="coverage-total"
                label={r.basis === 'business' ? t('dash.coverageOfBusiness') : t('dash.coverage')}
                value={r.totals.coveragePct}
                kind="pct"
                change={env.comparison.coveragePct}
                higherIsBetter={true}
              />
              <Card
                id="covered-minutes"
                label={t('dash.coveredTime')}
                value={r.totals.coveredMinutes}
                kind="minutes"
                change={env.comparison.coveredMinutes}
                higherIsBetter={true}
              />
              <Card
                id="gaps"
                label={t('dash.gaps')}
                value={r.totals.gapCount}
                kind="count"
                change={env.comparison.gapCount}
                higherIsBetter={false}
                note={t('dash.inTotal', { time: formatMinutes(r.totals.gapMinutes) })}
              />
            </div>
            <div class="cov-legend" aria-hidden="true">
              <span>
                <i class="seg-covered" /> {t('dash.someoneOnline')}
              </span>
              <span>
                <i class="seg-gap" />{' '}
                {r.basis === 'business' ? t('dash.nobodyOnlineBusiness') : t('dash.nobodyOnline')}
              </span>
              {r.basis === 'business' && (
                <span>
                  <i class="seg-outside" /> {t('dash.notAGap')}
                </span>
              )}
              {anyBefore && (
                <span>
                  <i class="seg-before" /> {t('dash.beforeSite')}
                </span>
              )}
              <span>
                <i class="seg-future" /> {t('dash.notYet')}
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
                const gapList = d.gaps.map((g) => `${g.fromLocal}–${g.toLocal}`).join(', ');
                return (
                  <div class="cov-row" key={d.date} data-testid="coverage-day" data-date={d.date}>
                    <span class="cov-day">{dayLabel(d.date)}</span>
                    <div
                      class="cov-bar"
                      role="img"
                      aria-label={t('dash.dayBar', {
                        day: dayLabel(d.date),
                        pct: formatPct(d.coveragePct),
                        gaps: gapList || t('dash.none'),
                      })}
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
                          title={`${minutesToClock(s.from)}–${minutesToClock(s.to)} ${t(SEGMENT_TITLES[s.kind])}`}
                        />
                      ))}
                      {r.basis === 'business' && (
                        <div class="cov-hours">
                          {d.hours.map((m, h) => (
                            <span
                              key={h}
                              style={{ opacity: Math.min(1, m / 60) }}
                              title={t('dash.hourCovered', { hour: h, minutes: formatMinutes(m) })}
                            />
                          ))}
                        </div>
                      )}
                    </div>
                    <span class="cov-pct" data-testid="coverage-day-pct">
                      {formatPct(d.coveragePct)}
                    </span>
                    <span class="cov-who" data-testid="coverage-day-who">
                      {who.length > 0 ? (
                        who.join(', ')
                      ) : d.measuredFromLocal === '24:00' ? (
                        <em class="cov-nobody">{t('dash.beforeSite')}</em>
                      ) : (
                        <em class="cov-nobody">{t('dash.nobodyOnline')}</em>
                      )}
                      {d.gaps.length > 0 && (
                        <span class="cov-gaps">{t('dash.gapsList', { list: gapList })}</span>
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
