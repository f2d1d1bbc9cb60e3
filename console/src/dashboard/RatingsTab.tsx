import { clockOptions, locale, t } from '../i18n/index.js';
import { routeHref } from '../router.js';
import { Chart } from './Chart.js';
import { csatByDay, dayToSeconds, formatPct } from './format.js';
import { Card, keyOf, RangeNote, Section, type TabProps } from './parts.js';
import { dashboardApi, type Envelope, type RatingFigures } from './types.js';
import { useDashboardData } from './useDashboardData.js';

/** Days of CSAT trend read from the chats CSV at most (a longer range shows the totals only). */
const CSAT_TREND_MAX_DAYS = 92;

export function RatingsTab({ query, live }: TabProps) {
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
                label={t('dash.csat')}
                value={r.csatPct}
                kind="pct"
                change={cmp.csatPct}
                higherIsBetter={true}
              />
              <Card
                id="ratings-good"
                label={t('dash.goodRatings')}
                value={r.good}
                kind="count"
                change={cmp.good}
                higherIsBetter={true}
              />
              <Card
                id="ratings-bad"
                label={t('dash.badRatings')}
                value={r.bad}
                kind="count"
                change={cmp.bad}
                higherIsBetter={false}
              />
              <Card
                id="ratings-rated"
                label={t('dash.chatsRated')}
                value={r.ratedPct}
                kind="pct"
                change={cmp.ratedPct}
                higherIsBetter={true}
                note={t('dash.ratedNote', { rated: r.rated, ended: r.ended })}
              />
            </div>
            {trend && (
              <>
                <h2 class="dash-h">{t('dash.csatPerDay')}</h2>
                <Chart
                  testId="csat-chart"
                  data={[trend.map((d) => dayToSeconds(d.date)), trend.map((d) => d.csatPct)] as never}
                  yLabel={t('dash.csat')}
                  yFormat={(v) => formatPct(v)}
                  yRange={[0, 100]}
                  series={[
                    {
                      label: t('dash.csat'),
                      color: '#15803d',
                      format: (v) => (v === null ? t('dash.noRatings') : formatPct(v)),
                    },
                  ]}
                />
              </>
            )}
            <h2 class="dash-h">{t('dash.latestComments')}</h2>
            {r.comments.length === 0 ? (
              <p class="empty">{t('dash.noComments')}</p>
            ) : (
              <ul class="dash-comments" data-testid="rating-comments">
                {r.comments.map((c) => (
                  <li key={c.conversationId} class={`comment-${c.rating}`} data-testid="rating-comment">
                    <span class={`rating-badge rating-${c.rating}`}>
                      {c.rating === 'good' ? t('dash.good') : t('dash.bad')}
                    </span>
                    <q>{c.comment}</q>
                    <span class="muted">
                      {c.operatorName ?? t('dash.noOperator')} ·{' '}
                      <a href={routeHref({ page: 'history', transcriptId: c.conversationId })}>
                        {new Date(c.ratedAt ?? c.createdAt).toLocaleString(locale(), {
                          day: 'numeric',
                          month: 'short',
                          year: 'numeric',
                          ...clockOptions(),
                        })}
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
