/**
 * Reconnect delay with exponential growth and full jitter: uniform in [0, min(maxMs, minMs · 2^attempt)).
 * Full jitter (rather than "base + small jitter") spreads thousands of widgets that lost the server at the
 * same moment over the whole window, so a restarted node is not hit by synchronised waves.
 * Pure: `random` is passed in so tests can pin it.
 */
export function backoff(attempt: number, minMs: number, maxMs: number, random: () => number): number {
  const cap = Math.min(maxMs, minMs * 2 ** Math.max(0, attempt));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(r * cap);
}
