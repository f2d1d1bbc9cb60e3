import type { Role } from '@beseda/shared';

/**
 * Who may see and administer what (DESIGN §3 invariant 3). Pure decisions over plain values so the REST
 * routes, the socket handlers and the tests share one rule set:
 * - `admin` (installation admin): every site, every account, may grant any role;
 * - `owner` (site owner): administers only the sites they belong to and the accounts that work only there;
 * - `operator`: chats and reads the sites they belong to.
 */
export interface Actor {
  id: string;
  role: Role;
  siteIds: readonly string[];
}

export const isAdmin = (a: Pick<Actor, 'role'>): boolean => a.role === 'admin';
/** Admins and owners reach the admin pages (each within their scope). */
export const administers = (a: Pick<Actor, 'role'>): boolean => a.role === 'admin' || a.role === 'owner';

/** The sites whose data the actor may read: all for the installation admin, else their own. */
export function siteScope(a: Actor, allSiteIds: readonly string[]): string[] {
  return isAdmin(a) ? [...allSiteIds] : a.siteIds.filter((id) => allSiteIds.includes(id));
}

/** How far an administrator reaches over another account. */
export type Reach =
  /** Not visible at all (answer `not_found`, as for an id that does not exist). */
  | 'none'
  /** Visible (works for one of my sites too), but only my own sites may be added or removed. */
  | 'membership'
  /** Every field: name, role, capacity, active, password, sites within my scope. */
  | 'full';

export function reachOver(
  actor: Actor,
  target: { id: string; role: Role; siteIds: readonly string[] },
): Reach {
  if (isAdmin(actor)) return 'full';
  if (!administers(actor)) return 'none';
  const mine = (id: string) => actor.siteIds.includes(id);
  if (!target.siteIds.some(mine)) return target.id === actor.id ? 'membership' : 'none';
  // An admin's account, or one that also works for someone else's site, would let this owner act on (or log
  // in to) another tenant: only their own sites' membership may change.
  if (target.role === 'admin' || !target.siteIds.every(mine)) return 'membership';
  return 'full';
}

/** Roles an actor may hand out: only an admin creates admins. */
export const mayGrantRole = (actor: Pick<Actor, 'role'>, role: Role): boolean =>
  isAdmin(actor) || (administers(actor) && role !== 'admin');

/**
 * A new membership list for `target` when `actor` asks for `requested`: sites outside the actor's scope keep
 * their current state (nobody grants or removes a site they do not administer). Returns null when the request
 * names a site outside the scope.
 */
export function mergeSiteIds(
  scope: readonly string[],
  current: readonly string[],
  requested: readonly string[],
): string[] | null {
  if (requested.some((id) => !scope.includes(id))) return null;
  const kept = current.filter((id) => !scope.includes(id));
  return [...kept, ...requested.filter((id, i) => requested.indexOf(id) === i)];
}

/** Whether the actor may read a site's chats and data (REST and socket alike). */
export const seesSite = (a: Actor, siteId: string): boolean => isAdmin(a) || a.siteIds.includes(siteId);

/**
 * May the actor end or transfer this chat? Its assigned operator may; so may the installation admin and an
 * owner of the chat's site (supervision). A chat of a site the actor cannot see answers `not_found`, exactly
 * like an id that does not exist; a visible chat that is not theirs to act on answers `forbidden`.
 */
export function chatAction(
  a: Actor,
  chat: { siteId: string; operatorId: string | null },
): 'ok' | 'not_found' | 'forbidden' {
  if (!seesSite(a, chat.siteId)) return 'not_found';
  if (chat.operatorId === a.id || isAdmin(a) || a.role === 'owner') return 'ok';
  return 'forbidden';
}
