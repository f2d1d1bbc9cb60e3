import type {
  CannedBody,
  CannedResponse,
  ErrorCode,
  InboxItem,
  InboxList,
  InboxQuery,
  InboxStatus,
  MeResponse,
  NewOperatorBody,
  NewSiteBody,
  OperatorAdmin,
  OperatorPatch,
  ProfilePatch,
  SiteAdmin,
  SitePatch,
  SiteSettings,
  Transcript,
  TranscriptList,
  TranscriptQuery,
  VisitorCard,
} from '@beseda/shared/types';

/** The console's REST calls. Same origin, so the httpOnly session cookie travels by itself. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network',
    message: string,
  ) {
    super(message);
  }
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'Cannot reach the server. Check your connection.');
  }
  const data: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const err = data as { error?: ErrorCode; message?: string } | null;
    throw new ApiError(
      res.status,
      err?.error ?? 'internal',
      err?.message ?? `Request failed (${res.status})`,
    );
  }
  return data as T;
}

/** `GET /api/widget/embed?site=KEY`: the snippet to paste, its script URL and SRI hash. */
export interface WidgetEmbed {
  html: string;
  src: string;
  integrity: string;
}

export const api = {
  me: () => request<MeResponse>('GET', '/api/auth/me'),
  login: (email: string, password: string) =>
    request<MeResponse>('POST', '/api/auth/login', { email, password }),
  logout: () => request<unknown>('POST', '/api/auth/logout', {}),
  /** The operator's own settings (console language, "I answer chats"); answers with the new me and profile. */
  saveProfile: (patch: ProfilePatch) => request<MeResponse>('PATCH', '/api/me/profile', patch),
  inbox: (query: InboxQuery = {}) => request<InboxList>('GET', `/api/inbox${transcriptSearch(query)}`),
  setInboxStatus: (conversationId: string, status: InboxStatus) =>
    request<{ item: InboxItem }>('PATCH', `/api/inbox/${encodeURIComponent(conversationId)}`, {
      status,
    }).then((r) => r.item),
  transcripts: (query: TranscriptQuery) =>
    request<TranscriptList>('GET', `/api/transcripts${transcriptSearch(query)}`),
  transcript: (id: string) => request<Transcript>('GET', `/api/transcripts/${encodeURIComponent(id)}`),
  sites: () => request<{ sites: SiteSettings[] }>('GET', '/api/sites').then((r) => r.sites),
  visitor: (id: string) => request<VisitorCard>('GET', `/api/visitors/${encodeURIComponent(id)}`),
  /** The widget's script tag for a site, with Subresource Integrity (served by the widget routes). */
  widgetEmbed: (siteKey: string) =>
    request<WidgetEmbed>('GET', `/api/widget/embed?site=${encodeURIComponent(siteKey)}`),
  tags: (prefix: string) =>
    request<{ tags: string[] }>('GET', `/api/tags?q=${encodeURIComponent(prefix)}`).then((r) => r.tags),
  canned: {
    list: () => request<{ items: CannedResponse[] }>('GET', '/api/canned').then((r) => r.items),
    create: (body: CannedBody) =>
      request<{ item: CannedResponse }>('POST', '/api/canned', body).then((r) => r.item),
    update: (id: string, body: CannedBody) =>
      request<{ item: CannedResponse }>('PATCH', `/api/canned/${encodeURIComponent(id)}`, body).then(
        (r) => r.item,
      ),
    remove: (id: string) => request<{ ok: true }>('DELETE', `/api/canned/${encodeURIComponent(id)}`),
  },
  admin: {
    operators: () =>
      request<{ operators: OperatorAdmin[] }>('GET', '/api/admin/operators').then((r) => r.operators),
    createOperator: (body: NewOperatorBody) =>
      request<{ operator: OperatorAdmin; password?: string }>('POST', '/api/admin/operators', body),
    updateOperator: (id: string, patch: OperatorPatch) =>
      request<{ operator: OperatorAdmin }>(
        'PATCH',
        `/api/admin/operators/${encodeURIComponent(id)}`,
        patch,
      ).then((r) => r.operator),
    resetPassword: (id: string) =>
      request<{ password: string }>(
        'POST',
        `/api/admin/operators/${encodeURIComponent(id)}/reset-password`,
        {},
      ).then((r) => r.password),
    sites: () => request<{ sites: SiteAdmin[] }>('GET', '/api/admin/sites').then((r) => r.sites),
    createSite: (body: NewSiteBody) =>
      request<{ site: SiteAdmin; operatorIds: string[] }>('POST', '/api/admin/sites', body),
    updateSite: (id: string, patch: SitePatch) =>
      request<{ site: SiteAdmin }>('PATCH', `/api/admin/sites/${encodeURIComponent(id)}`, patch).then(
        (r) => r.site,
      ),
  },
};

/** A human sentence for a failed request, for inline form errors. */
export function errorText(err: unknown, fallback = 'Something went wrong'): string {
  if (err instanceof ApiError) {
    if (err.status === 404 && err.code === 'internal') return 'This server does not offer that yet.';
    return err.message;
  }
  return err instanceof Error ? err.message : fallback;
}

/** Query string for the transcript search; empty fields are left out so the server applies no filter. */
export function transcriptSearch(query: TranscriptQuery | InboxQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}
