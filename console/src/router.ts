/** Hash routes: #/chats (default), #/history, #/history/<conversationId>. */
export type Route = { page: 'chats' } | { page: 'history'; transcriptId: string | null };

export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  if (parts[0] === 'history') {
    const id = parts[1] ? decodeURIComponent(parts[1]) : null;
    return { page: 'history', transcriptId: id };
  }
  return { page: 'chats' };
}

export function routeHref(route: Route): string {
  if (route.page === 'history') {
    return route.transcriptId ? `#/history/${encodeURIComponent(route.transcriptId)}` : '#/history';
  }
  return '#/chats';
}
