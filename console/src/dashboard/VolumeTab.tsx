import { Fragment } from 'preact';
import { t } from '../i18n/index.js';
import { heatLevel } from './format.js';
import { Card, keyOf, RangeNote, Section, type TabProps } from './parts.js';
import { dashboardApi, type Envelope, type VolumeFigures } from './types.js';
import { useDashboardData } from './useDashboardData.js';
import { hourClock, weekRows } from './week.js';

export function VolumeTab({ query, live }: TabProps) {
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
                label={t('dash.conversations')}
                value={v.conversations}
                kind="count"
                change={env.comparison.conversations}
                higherIsBetter={null}
              />
            </div>
            <h2 class="dash-h">{t('dash.heatTitle', { timezone: env.site.timezone })}</h2>
            <div class="heatmap" data-testid="volume-heatmap">
              <span class="hm-corner" />
              {Array.from({ length: 24 }, (_, h) => (
                <span key={`h${h}`} class="hm-hour">
                  {h}
                </span>
              ))}
              <span class="hm-total">Σ</span>
              {weekRows().map(([wd, label]) => (
                <Fragment key={wd}>
                  <span class="hm-day">{label}</span>
                  {v.heatmap[wd]!.map((n, h) => (
                    <span
                      key={`${wd}-${h}`}
                      class={`hm-cell hm-${heatLevel(n, max)}`}
                      title={t('dash.heatCell', {
                        day: label,
                        from: hourClock(h),
                        to: hourClock(h + 1),
                        chats: t('dash.chats', { count: n }),
                      })}
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
