import type { SiteSettings } from '@beseda/shared/types';
import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../api.js';
import '../i18n/pages.js';
import { t } from '../i18n/index.js';
import { DASHBOARD_TABS, type DashboardRoute, type DashboardTab, routeHref } from '../router.js';
import { useConsole } from '../ui/hooks.js';
import { CoverageTab } from './CoverageTab.js';
import './dashboard.css';
import { type DateRange, includesToday, presetRange, todayIn } from './format.js';
import { MyFigures } from './MyFigures.js';
import { OperatorsTab } from './OperatorsTab.js';
import { OverviewTab } from './OverviewTab.js';
import type { TabProps } from './parts.js';
import { RangePicker } from './RangePicker.js';
import { RatingsTab } from './RatingsTab.js';
import { StaffingTab } from './StaffingTab.js';
import { exportHref } from './types.js';
import { VolumeTab } from './VolumeTab.js';
import { WaitTab } from './WaitTab.js';

/**
 * Lazy-loaded #/dashboards: site and range in the URL. Owners get the tabs (issue #5) and the staffing
 * planner (#10); operators get their own figures only (#12.9), which the server scopes to them anyway.
 */
export default function DashboardPage({ route }: { route: DashboardRoute }) {
  const isOwner = useConsole((s) => s.me?.role === 'owner' || s.me?.role === 'admin');
  const [sites, setSites] = useState<SiteSettings[] | null>(null);
  const [sitesError, setSitesError] = useState<string | null>(null);
  // Re-evaluated on every refresh so "today" moves on at midnight.
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    api.sites().then(setSites, (err: unknown) => setSitesError(errorText(err)));
  }, []);

  if (sitesError) {
    return (
      <div class="settings-page">
        <p class="form-error" role="alert">
          {sitesError}
        </p>
      </div>
    );
  }
  if (!sites) return <p class="empty">{t('app.loading')}</p>;
  if (sites.length === 0) return <p class="empty">{t('dash.noSites')}</p>;

  const site = sites.find((s) => s.id === route.site) ?? sites[0]!;
  const teams = site.teams ?? [];
  // A team of another site (or one deleted since) in the URL filters nothing.
  const team = isOwner ? (teams.find((x) => x.id === route.team)?.id ?? null) : null;
  const today = todayIn(site.timezone, now);
  const week = presetRange('7d', today);
  const range: DateRange = { from: route.from ?? week.from, to: route.to ?? week.to };
  const go = (patch: Partial<DashboardRoute>) => {
    location.hash = routeHref({ ...route, site: site.id, team, from: range.from, to: range.to, ...patch });
  };
  const props: TabProps = {
    query: { site: site.id, team, ...range },
    live: includesToday(range, today),
    timezone: site.timezone,
  };

  return (
    <div class="settings-page dashboards" data-testid="dashboards">
      <div class="dash-controls">
        {sites.length > 1 || isOwner ? (
          <label class="field-inline">
            <span>{t('dash.site')}</span>
            <select
              value={site.id}
              onChange={(e) => go({ site: e.currentTarget.value, team: null })}
              data-testid="dash-site"
            >
              {sites.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {isOwner && teams.length > 0 && (
          <label class="field-inline">
            <span>{t('dash.team')}</span>
            <select
              value={team ?? ''}
              onChange={(e) => go({ team: e.currentTarget.value || null })}
              data-testid="dash-team"
            >
              <option value="">{t('dash.allTeams')}</option>
              {teams.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <RangePicker
          range={range}
          today={today}
          onChange={(r) => {
            setNow(Date.now());
            go(r);
          }}
        />
        <span class="spacer" />
        {isOwner && (
          <>
            <a class="btn small" href={exportHref('chats', props.query)} download data-testid="csv-chats">
              {t('dash.csvChats')}
            </a>
            <a
              class="btn small"
              href={exportHref('coverage', props.query)}
              download
              data-testid="csv-coverage"
            >
              {t('dash.csvCoverage')}
            </a>
          </>
        )}
      </div>
      {isOwner ? (
        <>
          <nav class="subnav" aria-label={t('dash.sections')}>
            {DASHBOARD_TABS.map((tab) => (
              <a
                key={tab}
                href={routeHref({ ...route, tab, site: site.id, team, from: range.from, to: range.to })}
                aria-current={route.tab === tab ? 'page' : undefined}
                data-testid={`dash-tab-${tab}`}
              >
                {t(`dash.tab.${tab}`)}
              </a>
            ))}
          </nav>
          <TabBody tab={route.tab} {...props} />
        </>
      ) : (
        <MyFigures {...props} siteName={site.name} />
      )}
    </div>
  );
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
    case 'staffing':
      return <StaffingTab {...props} />;
  }
}
