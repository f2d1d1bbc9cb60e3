/** Same-origin requests (the demo page and the console served by this node) are always allowed. */
export function isSameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (!origin || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowed: readonly string[],
): boolean {
  if (!origin) return false;
  if (isSameOrigin(origin, host)) return true;
  if (allowed.includes('*')) return true;
  const normalized = origin.replace(/\/$/, '').toLowerCase();
  return allowed.some((a) => a.replace(/\/$/, '').toLowerCase() === normalized);
}
