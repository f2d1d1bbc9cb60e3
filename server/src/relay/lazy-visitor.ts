import type { Page } from '@beseda/shared';
import { tokenMatches } from '../auth/tokens.js';
import { BesedaError } from '../core/errors.js';
import type { PageViewRecord, Store, Visitor } from '../store/types.js';

/** Pages a not-yet-stored visitor viewed, kept for the visitor card once they write (the newest win). */
const MAX_PENDING_PAGES = 20;

/**
 * A visitor as one socket knows them. A new visitor is not stored on connect: the row is made at the
 * first message, the leave-a-message form or an identify (issue #9 point 6), so a visitor who only reads,
 * or a flood of sessions that never writes, costs no rows. Until then what hello and `page` report lives
 * here and is written with the row.
 */
export interface SessionVisitor extends Visitor {
  stored: boolean;
  pendingPages: PageViewRecord[];
}

export function storedVisitor(v: Visitor): SessionVisitor {
  return { ...v, stored: true, pendingPages: [] };
}

export function pendingVisitor(v: {
  id: string;
  siteId: string;
  tokenHash: string;
  userAgent: string | null;
  now: number;
}): SessionVisitor {
  return {
    id: v.id,
    siteId: v.siteId,
    tokenHash: v.tokenHash,
    name: null,
    email: null,
    lang: null,
    userAgent: v.userAgent,
    userId: null,
    verified: false,
    timezone: null,
    attributes: {},
    createdAt: v.now,
    lastSeenAt: v.now,
    stored: false,
    pendingPages: [],
  };
}

export function rememberPage(v: SessionVisitor, page: Page, at: number): void {
  v.pendingPages.push({
    visitorId: v.id,
    url: page.url,
    title: page.title ?? null,
    referrer: page.referrer ?? null,
    at,
  });
  if (v.pendingPages.length > MAX_PENDING_PAGES) v.pendingPages.shift();
}

/**
 * Becomes the stored visitor another tab (on any node) made meanwhile. Same id with another secret is
 * someone else's visitor: refused.
 */
export function adopt(v: SessionVisitor, row: Visitor): void {
  if (row.siteId !== v.siteId || row.tokenHash !== v.tokenHash)
    throw new BesedaError('unauthorized', 'Unknown visitor or wrong token');
  Object.assign(v, row, { stored: true });
}

/**
 * Makes sure the visitor has a row (idempotent across tabs and nodes: the store inserts by id unless it
 * exists), then writes what was kept in memory. The caller holds the visitor's lock.
 */
export async function ensureStored(store: Store, v: SessionVisitor): Promise<void> {
  if (v.stored) return;
  const { visitor: row, created } = await store.ensureVisitor({
    id: v.id,
    siteId: v.siteId,
    tokenHash: v.tokenHash,
    name: null,
    email: null,
    lang: v.lang,
    userAgent: v.userAgent,
    timezone: v.timezone,
    createdAt: v.createdAt,
    lastSeenAt: v.lastSeenAt,
  });
  const { lang, timezone } = v;
  adopt(v, row);
  // A row another tab made first did not get this tab's language and timezone.
  if (!created && (lang || timezone))
    await store.updateVisitor(v.id, { ...(lang ? { lang } : {}), ...(timezone ? { timezone } : {}) });
  if (lang) v.lang = lang;
  if (timezone) v.timezone = timezone;
  for (const p of v.pendingPages.splice(0)) await store.appendPageView(p);
}

/** The secret matches the stored visitor of this site. */
export function credentialsMatch(row: Visitor, siteId: string, token: string): boolean {
  return row.siteId === siteId && !!token && tokenMatches(token, row.tokenHash);
}
