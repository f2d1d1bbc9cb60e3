import { randomUUID } from 'node:crypto';
import type { TeamInput } from '@beseda/shared';
import { BesedaError } from './errors.js';

/**
 * Teams (departments) of a site. Each team is a routing scope of its own — `<siteId>/<teamId>` — next to the
 * site's scope (`<siteId>`, chats for no team). The routing core knows nothing of teams: an operator's scopes
 * list their sites and their teams' scopes, a chat has exactly one scope, and an operator's capacity is one
 * number across all their scopes, so it is shared across teams by construction.
 */

export interface TeamDef {
  id: string;
  name: string;
}

const SEPARATOR = '/';

/** The routing scope of a chat of the site, for a team (or, with null, the whole site). */
export function teamScope(siteId: string, teamId: string | null | undefined): string {
  return teamId ? `${siteId}${SEPARATOR}${teamId}` : siteId;
}

/** The site a scope belongs to (ids never contain the separator: they are UUIDs). */
export function siteOfScope(scope: string): string {
  const i = scope.indexOf(SEPARATOR);
  return i < 0 ? scope : scope.slice(0, i);
}

/** The team of a scope, or null for a site's own scope. */
export function teamOfScope(scope: string): string | null {
  const i = scope.indexOf(SEPARATOR);
  return i < 0 ? null : scope.slice(i + 1);
}

/**
 * Every scope an operator takes chats from: their sites, and the teams of those sites they belong to. A team
 * id that no longer exists on any of their sites is ignored (deleting a team needs no sweep of accounts).
 */
export function operatorScopes(
  siteIds: readonly string[],
  teamIds: readonly string[],
  teamsOf: (siteId: string) => readonly TeamDef[] | undefined,
): string[] {
  const scopes = [...siteIds];
  for (const siteId of siteIds)
    for (const team of teamsOf(siteId) ?? [])
      if (teamIds.includes(team.id)) scopes.push(teamScope(siteId, team.id));
  return scopes;
}

/**
 * The site's new team list from an edit of the whole list: an entry with an id keeps (and may rename) that
 * team, one without is new, a team left out is deleted. Unknown ids and duplicate names are refused with a
 * message an owner understands.
 */
export function mergeTeams(current: readonly TeamDef[], input: readonly TeamInput[]): TeamDef[] {
  const seen = new Set<string>();
  const ids = new Set<string>();
  return input.map((t) => {
    const name = t.name.trim().replace(/\s+/g, ' ');
    if (!name) throw new BesedaError('validation', 'A team needs a name');
    const folded = name.toLocaleLowerCase();
    if (seen.has(folded)) throw new BesedaError('validation', `There are two teams called "${name}"`);
    seen.add(folded);
    if (t.id === undefined) return { id: randomUUID(), name };
    if (!current.some((c) => c.id === t.id) || ids.has(t.id))
      throw new BesedaError('validation', `Unknown team id "${t.id}"`);
    ids.add(t.id);
    return { id: t.id, name };
  });
}

/**
 * An operator's team list, checked against their sites: every id must be a team of one of them. Returns the
 * ids de-duplicated, or throws a validation error naming the first stranger.
 */
export function checkTeamIds(
  teamIds: readonly string[],
  siteIds: readonly string[],
  teamsOf: (siteId: string) => readonly TeamDef[] | undefined,
): string[] {
  const allowed = new Set(siteIds.flatMap((s) => (teamsOf(s) ?? []).map((t) => t.id)));
  const bad = teamIds.find((id) => !allowed.has(id));
  if (bad) throw new BesedaError('validation', `"${bad}" is not a team of this operator's sites`);
  return [...new Set(teamIds)];
}
