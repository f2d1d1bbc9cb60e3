import { formatNumber, t } from '../i18n/index.js';
import { formatMinutes, formatMs } from './format.js';
import { Card, keyOf, RangeNote, Section, type TabProps } from './parts.js';
import { dashboardApi, type Envelope, type OverviewFigures } from './types.js';
import { useDashboardData } from './useDashboardData.js';

export function OverviewTab({ query, live }: TabProps) {
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
                label={c.coverage.basis === 'business' ? t('dash.coverageBusiness') : t('dash.coverage')}
                value={c.coverage.coveragePct}
                kind="pct"
                change={cmp.coveragePct}
                higherIsBetter={true}
                note={t('dash.staffed', { time: formatMinutes(c.coverage.coveredMinutes) })}
              />
              <Card
                id="frt-median"
                label={t('dash.frtMedian')}
                value={c.frt.medianMs}
                kind="ms"
                change={cmp.frtMedianMs}
                higherIsBetter={false}
              />
              <Card
                id="frt-p90"
                label={t('dash.frtP90')}
                value={c.frt.p90Ms}
                kind="ms"
                change={cmp.frtP90Ms}
                higherIsBetter={false}
              />
              <Card
                id="within-sla"
                label={t('dash.withinSla', { sla: formatMs(c.wait.slaSeconds * 1000) })}
                value={c.wait.withinSlaPct}
                kind="pct"
                change={cmp.withinSlaPct}
                higherIsBetter={true}
                note={t('dash.xOfY', { x: c.wait.withinSla, y: c.wait.count })}
              />
              <Card
                id="missed"
                label={t('dash.missedChats')}
                value={c.missed}
                kind="count"
                change={cmp.missed}
                higherIsBetter={false}
              />
              <Card
                id="abandonment"
                label={t('dash.abandonmentRate')}
                value={c.abandonmentPct}
                kind="pct"
                change={cmp.abandonmentPct}
                higherIsBetter={false}
              />
              <Card
                id="csat"
                label={t('dash.csat')}
                value={c.csat.csatPct}
                kind="pct"
                change={cmp.csatPct}
                higherIsBetter={true}
                note={t('dash.goodBad', { good: c.csat.good, bad: c.csat.bad })}
              />
              <Card
                id="conversations"
                label={t('dash.conversations')}
                value={c.conversations}
                kind="count"
                change={cmp.conversations}
                higherIsBetter={null}
                note={t('dash.conversationsNote', {
                  answered: formatNumber(c.assigned),
                  offline: formatNumber(c.offline),
                })}
              />
              <Card
                id="wait-median"
                label={t('dash.waitMedianQueue')}
                value={c.wait.medianMs}
                kind="ms"
                change={cmp.waitMedianMs}
                higherIsBetter={false}
              />
              <Card
                id="aht"
                label={t('dash.aht')}
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
