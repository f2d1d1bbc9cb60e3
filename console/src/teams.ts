import type { QueueEntry, Team, TeamInput } from '@beseda/shared/types';

/**
 * Teams (departments) of a site, console side (issue #12.8): the owner's edits of a site's team list (the
 * server takes the whole list: an entry with an id keeps or renames that team, one without is new, one left
 * out is deleted), an operator's memberships grouped per site, a chat's team name, the transfer targets and
 * the per-team queue positions. Pure, so it is unit-tested without a DOM.
 */

/** A site as far as teams go (`teams` may be missing from a server older than the console). */
export interface SiteTeams {
  id: string;
  name: string;
  teams?: readonly Team[];
}

/** The name as the server stores it: trimmed, runs of white space made one space. */
export function normalTeamName(name: string): string {
  return name.trim().replace(/\s+/g, ' ');
}

export type TeamNameProblem = 'empty' | 'tooLong' | 'duplicate';

/** Why `name` cannot be a team of the list (other than team `exceptId`), or null. Mirrors the server. */
export function teamNameProblem(
  teams: readonly Team[],
  name: string,
  exceptId: string | null = null,
): TeamNameProblem | null {
  const normal = normalTeamName(name);
  if (!normal) return 'empty';
  if (normal.length > 60) return 'tooLong';
  const folded = normal.toLocaleLowerCase();
  if (teams.some((t) => t.id !== exceptId && t.name.toLocaleLowerCase() === folded)) return 'duplicate';
  return null;
}

/** The whole list the server keeps as it is (ids kept). */
function asInput(teams: readonly Team[]): TeamInput[] {
  return teams.map((t) => ({ id: t.id, name: t.name }));
}

/** The list to send for a new team at the end. */
export function withTeamAdded(teams: readonly Team[], name: string): TeamInput[] {
  return [...asInput(teams), { name: normalTeamName(name) }];
}

/** The list to send for a renamed team (same place, same id). */
export function withTeamRenamed(teams: readonly Team[], id: string, name: string): TeamInput[] {
  return teams.map((t) => ({ id: t.id, name: t.id === id ? normalTeamName(name) : t.name }));
}

/** The list to send without the team: the server deletes it (its waiting chats go to the site's queue). */
export function withTeamRemoved(teams: readonly Team[], id: string): TeamInput[] {
  return asInput(teams.filter((t) => t.id !== id));
}

/** The team's name, or null for no team (or a team deleted since). */
export function teamName(
  sites: Readonly<Record<string, SiteTeams>> | readonly SiteTeams[],
  siteId: string,
  teamId: string | null | undefined,
): string | null {
  if (!teamId) return null;
  const site = Array.isArray(sites)
    ? (sites as readonly SiteTeams[]).find((s) => s.id === siteId)
    : (sites as Readonly<Record<string, SiteTeams>>)[siteId];
  return site?.teams?.find((t) => t.id === teamId)?.name ?? null;
}

/** An operator's team checkboxes: the teams of each of the chosen sites that has any, in the sites' order. */
export function teamGroups(
  sites: readonly SiteTeams[],
  siteIds: readonly string[],
): { siteId: string; siteName: string; teams: readonly Team[] }[] {
  return sites
    .filter((s) => siteIds.includes(s.id) && (s.teams?.length ?? 0) > 0)
    .map((s) => ({ siteId: s.id, siteName: s.name, teams: s.teams ?? [] }));
}

/**
 * The memberships to send once the chosen sites changed: teams of a site the operator no longer works for
 * go (the server would refuse them); teams the console does not know (other owners' sites) are kept.
 */
export function pruneTeamIds(
  teamIds: readonly string[],
  sites: readonly SiteTeams[],
  siteIds: readonly string[],
): string[] {
  const siteOf = new Map<string, string>();
  for (const s of sites) for (const t of s.teams ?? []) siteOf.set(t.id, s.id);
  return teamIds.filter((id) => {
    const site = siteOf.get(id);
    return site === undefined || siteIds.includes(site);
  });
}

/** Where a chat can be transferred: a colleague, a team of its site, or the whole site's queue (team null). */
export type TransferTarget = { operatorId: string } | { teamId: string | null };

/** The transfer select's option value for a target (operator and team ids cannot collide: prefixed). */
export function targetValue(target: TransferTarget): string {
  return 'operatorId' in target ? `op:${target.operatorId}` : `team:${target.teamId ?? ''}`;
}

export function parseTarget(value: string): TransferTarget | null {
  if (value.startsWith('op:') && value.length > 3) return { operatorId: value.slice(3) };
  if (value.startsWith('team:')) return { teamId: value.slice(5) || null };
  return null;
}

/** The transfer frame's target fields: exactly one of `toOperatorId` / `toTeamId`. */
export function transferFields(
  target: TransferTarget,
): { toOperatorId: string } | { toTeamId: string | null } {
  return 'operatorId' in target ? { toOperatorId: target.operatorId } : { toTeamId: target.teamId };
}

/** The queue a waiting chat is in: one per (site, team). */
export function queueKey(entry: Pick<QueueEntry, 'siteId' | 'teamId'>): string {
  return entry.teamId ? `${entry.siteId}/${entry.teamId}` : entry.siteId;
}
