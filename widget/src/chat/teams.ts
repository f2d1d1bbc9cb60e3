import type { WidgetConfig } from '@beseda/shared/types';

/**
 * Teams (departments): which of the site's teams a new conversation is for. The visitor picks one (the
 * pre-chat or leave-a-message form, or the compact row above the composer before the first message) or the
 * host page does (`Beseda.setTeam(idOrName)`), which hides the visitor's choice. The choice is persisted
 * (`team` key, index.tsx), so it survives reloads, navigation and other tabs; each outbox item carries the
 * team it was written for (chat-state.ts), sent as `send.teamId` on every (re)send: the server uses it only
 * when that message opens a conversation. A choice the site's teams do not have (deleted, misspelt) counts
 * as none: the chat goes to the whole site, and the visitor is asked.
 */

export type Team = NonNullable<WidgetConfig['teams']>[number];

export interface TeamRecord {
  /** A team id, or (host page) an id or a name, matched case-insensitively once the teams are known. */
  pick: string;
  /** Set by `Beseda.setTeam`: the visitor is not asked (while it names one of the site's teams). */
  api?: boolean;
}

export interface TeamState {
  /** The site's teams, live availability frames applied over the config's snapshot (empty: none). */
  teams: Team[];
  /** The chosen team (null: the whole site). */
  team: Team | null;
  /** The visitor may pick. */
  ask: boolean;
}

export function teamState(
  config: Pick<WidgetConfig, 'teams'> | null,
  online: Readonly<Record<string, boolean>>,
  rec: TeamRecord | null,
): TeamState {
  const teams = (config?.teams ?? []).map((t) => (t.id in online ? { ...t, online: !!online[t.id] } : t));
  const name = String(rec?.pick ?? '')
    .trim()
    .toLowerCase();
  const team =
    teams.find((t) => t.id === rec?.pick) ?? teams.find((t) => name && t.name.toLowerCase() === name) ?? null;
  return { teams, team, ask: teams.length > 0 && !(rec?.api && team) };
}
