import type { ComponentChildren } from 'preact';
import { clockOptions, locale, t } from '../i18n/index.js';
import { dayLabel, describeChange, type FigureKind, formatFigure } from './format.js';
import type { Compared, DashboardQuery, Envelope } from './types.js';
import type { Loaded } from './useDashboardData.js';

/** Building blocks every dashboard tab shares: the loading frame, the range note and the figure card. */

export interface TabProps {
  query: DashboardQuery;
  live: boolean;
  timezone: string;
}

export const keyOf = (q: DashboardQuery, extra = '') =>
  `${q.site}|${q.team ?? ''}|${q.from}|${q.to}|${extra}`;

/** Loading, error and "updated" line around a tab's content. */
export function Section<T>({
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
        !error && <p class="empty">{t('app.loading')}</p>
      ) : (
        <>
          {children(data)}
          {updatedAt !== null && (
            <p class="hint dash-updated" data-testid="dash-updated">
              {live ? `${t('dash.live')} ` : ''}
              {t('dash.updated', {
                time: new Date(updatedAt).toLocaleTimeString(locale(), {
                  ...clockOptions(),
                  second: '2-digit',
                }),
              })}
              {loading && ` · ${t('dash.refreshing')}`}
            </p>
          )}
        </>
      )}
    </section>
  );
}

export function RangeNote({ env }: { env: Envelope<unknown> }) {
  return (
    <p class="hint" data-testid="dash-range-note">
      {t('dash.rangeNote', {
        from: dayLabel(env.range.from),
        to: dayLabel(env.range.to),
        days: t('dash.days', { count: env.range.days }),
        timezone: env.site.timezone,
        prevFrom: dayLabel(env.previousRange.from),
        prevTo: dayLabel(env.previousRange.to),
      })}
    </p>
  );
}

export interface CardProps {
  id: string;
  label: string;
  value: number | null;
  kind: FigureKind;
  change?: Compared | undefined;
  higherIsBetter: boolean | null;
  note?: string;
}

export function Card({ id, label, value, kind, change, higherIsBetter, note }: CardProps) {
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
