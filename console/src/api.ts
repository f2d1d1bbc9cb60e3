import type {
  ErrorCode,
  MeResponse,
  Transcript,
  TranscriptList,
  TranscriptQuery,
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

async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
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

export const api = {
  me: () => request<MeResponse>('GET', '/api/auth/me'),
  login: (email: string, password: string) =>
    request<MeResponse>('POST', '/api/auth/login', { email, password }),
  logout: () => request<unknown>('POST', '/api/auth/logout', {}),
  transcripts: (query: TranscriptQuery) =>
    request<TranscriptList>('GET', `/api/transcripts${transcriptSearch(query)}`),
  transcript: (id: string) => request<Transcript>('GET', `/api/transcripts/${encodeURIComponent(id)}`),
};

/** Query string for the transcript search; empty fields are left out so the server applies no filter. */
export function transcriptSearch(query: TranscriptQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}
