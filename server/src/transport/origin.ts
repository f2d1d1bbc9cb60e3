/**
 * Whether a request's Origin is this server itself (the demo page and the console it serves are always
 * allowed). With PUBLIC_URL set that is the only self origin — scheme, host and port — because the Host
 * header is chosen by the client: a page on `evil.example` whose DNS points at this server, or a proxy that
 * forwards any Host, would otherwise count as "same origin". Without PUBLIC_URL (local use) the Host header
 * is the best there is.
 */
export function isSameOrigin(
  origin: string | undefined,
  host: string | undefined,
  publicUrl?: string | undefined,
): boolean {
  if (!origin) return false;
  try {
    const o = new URL(origin);
    if (publicUrl) return o.origin === new URL(publicUrl).origin;
    return !!host && o.host === host;
  } catch {
    return false;
  }
}

export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowed: readonly string[],
  publicUrl?: string | undefined,
): boolean {
  if (!origin) return false;
  if (isSameOrigin(origin, host, publicUrl)) return true;
  if (allowed.includes('*')) return true;
  const normalized = origin.replace(/\/$/, '').toLowerCase();
  return allowed.some((a) => a.replace(/\/$/, '').toLowerCase() === normalized);
}
