/**
 * Hash routes: #/chats (default), #/history[/<conversationId>], #/canned, #/admin[/operators|sites|canned].
 * Hash routing needs no server support: the console is static files under /console/.
 */
export type AdminSection = 'operators' | 'sites' | 'canned';
export const ADMIN_SECTIONS: readonly AdminSection[] = ['operators', 'sites', 'canned'];

export type Route =
  | { page: 'chats' }
  | { page: 'history'; transcriptId: string | null }
  | { page: 'canned' }
  | { page: 'admin'; section: AdminSection };

export type Page = Route['page'];

export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  switch (parts[0]) {
    case 'history':
      return { page: 'history', transcriptId: parts[1] ? decodeURIComponent(parts[1]) : null };
    case 'canned':
      return { page: 'canned' };
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
  }
}
