import { t } from '../i18n/index.js';
import { Chart } from './Chart.js';
import { formatMs, volumeSeries, waitTrendSeries } from './format.js';
import { Card, keyOf, RangeNote, Section, type TabProps } from './parts.js';
import { dashboardApi, type Envelope, type WaitFigures } from './types.js';
import { useDashboardData } from './useDashboardData.js';

const secondsLabel = (v: number) => formatMs(v * 1000);
const countLabel = (v: number | null) => String(v ?? 0);

export function WaitTab({ query, live }: TabProps) {
  const loaded = useDashboardData(keyOf(query), () => dashboardApi.wait(query), live);
  return (
    <Section loaded={loaded} live={live}>
      {(env: Envelope<WaitFigures>) => {
        const w = env.current;
        const cmp = env.comparison;
        const sla = formatMs(w.wait.slaSeconds * 1000);
        return (
          <>
            <RangeNote env={env} />
            <div class="dash-cards">
              <Card
                id="wait-median"
                label={t('dash.waitMedian')}
                value={w.wait.medianMs}
                kind="ms"
                change={cmp.medianMs}
                higherIsBetter={false}
              />
              <Card
                id="wait-p90"
                label={t('dash.waitP90')}
                value={w.wait.p90Ms}
                kind="ms"
                change={cmp.p90Ms}
                higherIsBetter={false}
              />
              <Card
                id="wait-max"
                label={t('dash.waitMax')}
                value={w.wait.maxMs}
                kind="ms"
                change={cmp.maxMs}
                higherIsBetter={false}
              />
              <Card
                id="wait-sla"
                label={t('dash.withinSlaShort', { sla })}
                value={w.wait.withinSlaPct}
                kind="pct"
                change={cmp.withinSlaPct}
                higherIsBetter={true}
                note={t('dash.xOfY', { x: w.wait.withinSla, y: w.wait.count })}
              />
              <Card
                id="wait-missed"
                label={t('dash.missed')}
                value={w.missed}
                kind="count"
                change={cmp.missed}
                higherIsBetter={false}
              />
              <Card
                id="wait-abandonment"
                label={t('dash.abandonment')}
                value={w.abandonmentPct}
                kind="pct"
                change={cmp.abandonmentPct}
                higherIsBetter={false}
              />
            </div>
            <h2 class="dash-h">{t('dash.waitPerDay')}</h2>
            <Chart
              testId="wait-chart"
              data={waitTrendSeries(w.daily, w.wait.slaSeconds) as never}
              yLabel={t('dash.axisWait')}
              yFormat={secondsLabel}
              series={[
                {
                  label: t('dash.averageWait'),
                  color: '#2563eb',
                  format: (v) => (v === null ? t('dash.noChats') : formatMs(v * 1000)),
                },
                {
                  label: t('dash.sla', { sla }),
                  color: '#c2410c',
                  kind: 'dashed',
                  format: (v) => formatMs((v ?? 0) * 1000),
                },
              ]}
            />
            <h2 class="dash-h">{t('dash.chatsPerDay')}</h2>
            <Chart
              testId="wait-volume-chart"
              data={volumeSeries(w.daily) as never}
              yLabel={t('dash.axisChats')}
              yFormat={(v) => (Number.isInteger(v) ? String(v) : '')}
              height={200}
              series={[
                { label: t('dash.answered'), color: '#93c5fd', kind: 'bars', format: countLabel },
                { label: t('dash.missed'), color: '#b91c1c', kind: 'points', format: countLabel },
                { label: t('dash.offlineMessages'), color: '#a16207', kind: 'points', format: countLabel },
              ]}
            />
          </>
        );
      }}
    </Section>
  );
}
