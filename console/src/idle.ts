/**
 * Auto-away is decided by the server (a deadline in the routing state from the sites' `autoAwayMinutes`):
 * every tab and every node sees one status, and an idle tab cannot set away an operator who is working in
 * another. The console only reports that the operator is there. Input is frequent (every pointer move), so
 * reports are throttled; the first input after a quiet spell is always reported at once, which is what
 * ends an automatic away.
 */

/** At most one report this often: well under the shortest auto-away period (one minute). */
export const ACTIVITY_REPORT_MS = 15_000;

export interface ActivityReporter {
  /** Any keyboard, pointer or wheel input in the console. Cheap unless a report is due. */
  input(): void;
  /** The connection was (re)established: the next input is reported at once. */
  reset(): void;
}

export function createActivityReporter(opts: {
  now: () => number;
  /** Sends the report; false when it could not be sent (disconnected), so the next input tries again. */
  report: () => boolean;
  everyMs?: number;
}): ActivityReporter {
  const every = opts.everyMs ?? ACTIVITY_REPORT_MS;
  let last = Number.NEGATIVE_INFINITY;
  return {
    input() {
      const now = opts.now();
      if (now - last < every) return;
      if (opts.report()) last = now;
    },
    reset() {
      last = Number.NEGATIVE_INFINITY;
    },
  };
}
