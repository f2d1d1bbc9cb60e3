import { setTimeout as delay } from 'node:timers/promises';

/**
 * Polls `probe` until it returns something other than undefined/false, or throws after `timeoutMs` with the
 * last value seen (so a failure says how far things got). Tests wait on conditions, never for a fixed time.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  opts: { timeoutMs?: number; intervalMs?: number; last?: () => unknown } = {},
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const deadline = performance.now() + timeoutMs;
  let lastError: unknown = null;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
      lastError = null;
    } catch (err) {
      lastError = err;
    }
    if (performance.now() >= deadline) {
      const detail = opts.last ? ` — last seen: ${JSON.stringify(opts.last())}` : '';
      const cause = lastError instanceof Error ? ` — last error: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}${cause}`);
    }
    await delay(opts.intervalMs ?? 25);
  }
}

/**
 * Checks that `probe` stays true for the whole window (used to show something did NOT happen, e.g. nobody
 * was requeued during a grace period). Fails at the first sample where it is false.
 */
export async function holdsFor(
  what: string,
  windowMs: number,
  probe: () => boolean | Promise<boolean>,
  describe?: () => unknown,
): Promise<void> {
  const end = performance.now() + windowMs;
  while (performance.now() < end) {
    if (!(await probe())) {
      throw new Error(`${what} stopped holding${describe ? `: ${JSON.stringify(describe())}` : ''}`);
    }
    await delay(25);
  }
}

export const elapsed = (since: number) => performance.now() - since;

/** Awaits `promise` but fails after `timeoutMs` (an ack that never comes must fail the test, not hang it). */
export async function within<T>(what: string, promise: Promise<T>, timeoutMs = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
