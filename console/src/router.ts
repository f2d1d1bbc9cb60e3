/**
 * Hash routes: #/chats (default), #/inbox, #/history[/<conversationId>], #/canned, #/admin[/operators|sites|canned],
 * #/dashboards[/<tab>][?site=&team=&from=YYYY-MM-DD&to=YYYY-MM-DD].
 * Hash routing needs no server support: the console is static files under /console/.
 */
export type AdminSection = 'operators' | 'sites' | 'canned';
export const ADMIN_SECTIONS: readonly AdminSection[] = ['operators', 'sites', 'canned'];

export type DashboardTab = 'overview' | 'coverage' | 'wait' | 'ratings' | 'volume' | 'operators' | 'staffing';
export const DASHBOARD_TABS: readonly DashboardTab[] = [
  'overview',
  'coverage',
  'wait',
  'ratings',
  'volume',
  'operators',
  'staffing',
];

/** Dashboard selection kept in the URL so a range can be bookmarked; null = the page's default. */
export interface DashboardRoute {
  page: 'dashboards';
  tab: DashboardTab;
  site: string | null;
  /** A team of the site: only its chats (absent or null: all teams). */
  team?: string | null;
  from: string | null;
  to: string | null;
}

export type Route =
  | { page: 'chats' }
  | { page: 'inbox' }
  | { page: 'history'; transcriptId: string | null }
  | { page: 'canned' }
  | { page: 'admin'; section: AdminSection }
  | DashboardRoute;

export type Page = Route['page'];

export function parseHash(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const parts = path.split('/').filter(Boolean);
  switch (parts[0]) {
    case 'dashboards': {
      const params = new URLSearchParams(search);
      const date = (key: string) => {
        const v = params.get(key);
        return v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null;
      };
      return {
        page: 'dashboards',
        tab: DASHBOARD_TABS.find((t) => t === parts[1]) ?? 'overview',
        site: params.get('site') || null,
        team: params.get('team') || null,
        from: date('from'),
        to: date('to'),
      };
    }
    case 'history':
      return { page: 'history', transcriptId: parts[1] ? decodeURIComponent(parts[1]) : null };
    case 'canned':
      return { page: 'canned' };
    case 'inbox':
      return { page: 'inbox' };
    case 'admin': {
      const section = ADMIN_SECTIONS.find((s) => s === parts[1]) ?? 'operators';
      return { page: 'admin', section };
    }
    default:
      return { page: 'chats' };
  }
}

export function routeHref(route: Route): string {
  switch (route.page) {
    case 'history':
      return route.transcriptId ? `#/history/${encodeURIComponent(route.transcriptId)}` : '#/history';
    case 'canned':
      return '#/canned';
    case 'admin':
      return `#/admin/${route.section}`;
    case 'chats':
      return '#/chats';
    case 'inbox':
      return '#/inbox';
    case 'dashboards': {
      const params = new URLSearchParams();
      if (route.site) params.set('site', route.site);
      if (route.team) params.set('team', route.team);
      if (route.from) params.set('from', route.from);
      if (route.to) params.set('to', route.to);
      const search = params.toString();
      return `#/dashboards/${route.tab}${search ? `?${search}` : ''}`;
    }
  }
}
