const WINDOW_MS = 60_000;

interface Window {
  startedAt: number;
  /** Visitor ids admitted in this window: a reconnect of the same new visitor is not counted twice. */
  ids: Set<string>;
  /** Sessions without a client-made id (old clients): each one counts. */
  anonymous: number;
}

/**
 * How many new visitor sessions one client address may open per minute (issue #9 point 6). Memory only,
 * checked before any database work, so a flood of new sessions from one address costs no rows and no
 * queries. A new visitor that reconnects (navigation, a dropped socket) before its first message presents
 * the same generated id and is counted once per window. Fixed windows; memory is bounded by `limit` ids per
 * address and addresses idle for a window are swept.
 */
export class NewVisitorLimit {
  private readonly windows = new Map<string, Window>();
  private sweptAt = 0;

  constructor(
    private readonly limit: number,
    private readonly now: () => number,
  ) {}

  /** True (and counted) when this address may open a session for this new visitor id now. */
  admit(ip: string, visitorId: string | null): boolean {
    const now = this.now();
    this.sweep(now);
    let w = this.windows.get(ip);
    if (!w || now - w.startedAt >= WINDOW_MS) {
      w = { startedAt: now, ids: new Set(), anonymous: 0 };
      this.windows.set(ip, w);
    }
    if (visitorId !== null && w.ids.has(visitorId)) return true;
    if (w.ids.size + w.anonymous >= this.limit) return false;
    if (visitorId === null) w.anonymous += 1;
    else w.ids.add(visitorId);
    return true;
  }

  private sweep(now: number): void {
    if (now - this.sweptAt < WINDOW_MS) return;
    this.sweptAt = now;
    for (const [ip, w] of this.windows) if (now - w.startedAt >= WINDOW_MS) this.windows.delete(ip);
  }
}
