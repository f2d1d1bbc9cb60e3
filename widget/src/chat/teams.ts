import type { WidgetConfig } from '@beseda/shared/types';
import { storageKey } from '../keys.js';
import { fill, type Strings } from './i18n.js';
import { readJson, type StorageLike, write } from './storage.js';

/**
 * Teams (departments): which of the site's teams a new conversation is for. The visitor picks one (pre-chat
 * form, the leave-a-message form, or the compact picker above the composer) or the host page does
 * (`Beseda.setTeam(idOrName)`), which hides the visitor's choice. The choice is persisted (`team` key), so
 * it survives reloads, navigation and other tabs; each outbox item also carries the team it was written for
 * (chat-state.ts), which goes out as `send.teamId` on every (re)send — the server uses it only when that
 * message opens a conversation. A choice the site's teams no longer have (deleted, renamed) counts as none:
 * the chat goes to the whole site.
 */

export type Team = NonNullable<WidgetConfig['teams']>[number];

export interface TeamRecord {
  /** A team id, or (host page only) a team name, matched case-insensitively once the teams are known. */
  pick: string;
  /** Set by `Beseda.setTeam`: the visitor is not asked. */
  api: boolean;
}

/** The site's teams with the live availability frames applied over the config's snapshot. */
export function liveTeams(
  config: Pick<WidgetConfig, 'teams'> | null,
  online: Readonly<Record<string, boolean>>,
): Team[] {
  return (config?.teams ?? []).map((t) => (t.id in online ? { ...t, online: !!online[t.id] } : t));
}

/** The team `pick` names: an id, else a name (trimmed, case-insensitive); null when there is none. */
export function resolveTeam(teams: readonly Team[], pick: string | null | undefined): Team | null {
  if (!pick) return null;
  const byId = teams.find((t) => t.id === pick);
  if (byId) return byId;
  const name = pick.trim().toLocaleLowerCase();
  return teams.find((t) => t.name.trim().toLocaleLowerCase() === name) ?? null;
}

/** "Sales", or "Sales (offline — leave a message)" when nobody of the team can take chats now. */
export const teamLabel = (t: Strings, team: Team): string =>
  team.online ? team.name : fill(t.teamOffline, { name: team.name });

/** The visitor's (or host page's) choice, persisted for the site. */
export class TeamBox {
  rec: TeamRecord | null = null;
  private readonly key: string;

  constructor(
    private readonly storage: StorageLike,
    site: string,
  ) {
    this.key = storageKey(site, 'team');
    this.reload();
  }

  reload(): void {
    const r = readJson<TeamRecord>(this.storage, this.key);
    this.rec =
      r && typeof r.pick === 'string' && r.pick ? { pick: r.pick.slice(0, 80), api: r.api === true } : null;
  }

  /** The visitor's pick from a select ('' = any team); offered only while the host page's choice is not a team. */
  choose(id: string): void {
    this.save(id ? { pick: id, api: false } : null);
  }

  /**
   * `Beseda.setTeam`: an id or a name (anything else is ignored), or null/'' to let the visitor choose again.
   * Kept as given: the teams may not be known yet when the host page calls it.
   */
  setByPage(raw: unknown): void {
    if (raw === null || raw === undefined || raw === '') this.save(null);
    else if (typeof raw === 'string' || typeof raw === 'number')
      this.save({ pick: String(raw).trim().slice(0, 80), api: true });
  }

  private save(rec: TeamRecord | null): void {
    if (rec && !rec.pick) rec = null;
    this.rec = rec;
    write(this.storage, this.key, rec ? JSON.stringify(rec) : null);
  }
}

/** What the panel needs to know about teams right now. */
export interface TeamState {
  /** The site's teams, live availability applied (empty: the site has none). */
  teams: Team[];
  /** The resolved choice (null: the whole site). */
  team: Team | null;
  /** The visitor may pick (the site has teams and the host page did not pick one that exists). */
  ask: boolean;
}

export function teamState(
  config: Pick<WidgetConfig, 'teams'> | null,
  online: Readonly<Record<string, boolean>>,
  rec: TeamRecord | null,
): TeamState {
  const teams = liveTeams(config, online);
  const team = resolveTeam(teams, rec?.pick);
  return { teams, team, ask: teams.length > 0 && !(rec?.api && team) };
}
