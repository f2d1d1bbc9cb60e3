import { t } from '../i18n/index.js';
import { Card, keyOf, RangeNote, Section, type TabProps } from './parts.js';
import { dashboardApi, type Envelope, type MyFigures as Mine } from './types.js';
import { useDashboardData } from './useDashboardData.js';

/**
 * An operator's own figures (issue #12.9): what the server scopes to the session's operator, so nothing
 * here can show a colleague's numbers.
 */
export function MyFigures({ query, live, siteName }: TabProps & { siteName: string }) {
  const loaded = useDashboardData(keyOf(query, 'mine'), () => dashboardApi.mine(query), live);
  return (
    <Section loaded={loaded} live={live}>
      {(env: Envelope<Mine>) => {
        const r = env.current;
        const cmp = env.comparison;
        return (
          <>
            <p class="hint">{t('mine.lead', { site: siteName })}</p>
            <RangeNote env={env} />
            <div class="dash-cards" data-testid="my-figures">
              <Card
                id="mine-chats"
                label={t('mine.chats')}
                value={r.chats}
                kind="count"
                change={cmp.chats}
                higherIsBetter={null}
              />
              <Card
                id="mine-frt"
                label={t('mine.frt')}
                value={r.medianFrtMs}
                kind="ms"
                change={cmp.medianFrtMs}
                higherIsBetter={false}
              />
              <Card
                id="mine-csat"
                label={t('mine.ratings')}
                value={r.csatPct}
                kind="pct"
                change={cmp.csatPct}
                higherIsBetter={true}
                note={t('mine.ratingsNote', { good: r.good, bad: r.bad })}
              />
              <Card
                id="mine-online"
                label={t('mine.online')}
                value={r.onlineMinutes}
                kind="minutes"
                change={cmp.onlineMinutes}
                higherIsBetter={null}
              />
              <Card
                id="mine-aht"
                label={t('mine.aht')}
                value={r.averageHandlingMs}
                kind="ms"
                change={cmp.averageHandlingMs}
                higherIsBetter={null}
              />
              <Card
                id="mine-response"
                label={t('mine.response')}
                value={r.averageResponseMs}
                kind="ms"
                higherIsBetter={false}
              />
            </div>
          </>
        );
      }}
    </Section>
  );
}
