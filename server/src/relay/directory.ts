import type { Role } from '@beseda/shared';
import { operatorScopes, teamOfScope, teamScope } from '../core/teams.js';
import type { Hub } from '../hub/types.js';
import { topics } from '../hub/types.js';
import type { OperatorDef, ScopeSettings } from '../routing/port.js';
import type { Operator, Site, Store } from '../store/types.js';

/** What the relay needs to know about an operator account (the live status is in the routing state). */
export interface OperatorEntry {
  id: string;
  name: string;
  email: string;
  role: Role;
  siteIds: string[];
  /** Teams of their sites they answer for (see core/teams.ts). */
  teamIds: string[];
  capacity: number;
  chosen: Operator['status'];
  active: boolean;
}

export type DirectoryChange = { kind: 'site'; id: string } | { kind: 'operator'; id: string };

/**
 * This node's copy of sites and operator accounts. PostgreSQL/SQLite is the truth; an admin change made
 * through any node is announced on the control topic and every node re-reads that one row, so settings,
 * names and site memberships reach every node without a restart.
 */
export class Directory {
  private readonly sites = new Map<string, Site>();
  private readonly operators = new Map<string, OperatorEntry>();

  constructor(
    private readonly store: Store,
    private readonly hub: Hub,
  ) {}

  async load(): Promise<void> {
    for (const s of await this.store.listSites()) this.sites.set(s.id, s);
    for (const op of await this.store.listOperators()) this.operators.set(op.id, entryOf(op));
  }

  site(id: string): Site | undefined {
    return this.sites.get(id);
  }

  siteByKey(key: string): Site | undefined {
    for (const s of this.sites.values()) if (s.key === key) return s;
    return undefined;
  }

  allSites(): Site[] {
    return [...this.sites.values()];
  }

  operator(id: string): OperatorEntry | undefined {
    return this.operators.get(id);
  }

  allOperators(): OperatorEntry[] {
    return [...this.operators.values()];
  }

  operatorName(id: string): string | null {
    return this.operators.get(id)?.name ?? null;
  }

  /** Re-reads one row from the store; returns what it now holds (undefined when it is gone). */
  async reload(change: DirectoryChange): Promise<Site | OperatorEntry | undefined> {
    if (change.kind === 'site') {
      const s = await this.store.getSite(change.id);
      if (s) this.sites.set(s.id, s);
      else this.sites.delete(change.id);
      return s ?? undefined;
    }
    const op = await this.store.getOperator(change.id);
    if (op) this.operators.set(op.id, entryOf(op));
    else this.operators.delete(change.id);
    return op ? entryOf(op) : undefined;
  }

  /** Tells every other node to re-read the row (this node already did). */
  announce(change: DirectoryChange): void {
    void this.hub.publish(topics.control(), { kind: 'directory', change, from: this.hub.nodeId });
  }

  routingDef(op: OperatorEntry): OperatorDef {
    return {
      id: op.id,
      scopes: this.scopesOf(op),
      capacity: op.capacity,
      chosen: op.chosen,
      active: op.active,
    };
  }

  /** The routing scopes an operator takes chats from: their sites and their teams of those sites. */
  scopesOf(op: Pick<OperatorEntry, 'siteIds' | 'teamIds'>): string[] {
    return operatorScopes(op.siteIds, op.teamIds, (id) => this.sites.get(id)?.teams);
  }

  /** The scopes of an operator by id (none when unknown). */
  scopesOfOperator(id: string): string[] {
    const op = this.operators.get(id);
    return op ? this.scopesOf(op) : [];
  }

  /** The team ids of an operator that still exist on their sites (stale memberships dropped). */
  liveTeamIds(op: Pick<OperatorEntry, 'siteIds' | 'teamIds'>): string[] {
    return this.scopesOf(op)
      .map(teamOfScope)
      .filter((t): t is string => t !== null);
  }

  /** Every scope of the site: its own and each team's (team scopes share the site's settings). */
  scopesOfSite(site: Site): string[] {
    return [site.id, ...site.teams.map((t) => teamScope(site.id, t.id))];
  }

  /** The team id if the site has that team, else null (a stale or unknown id routes to the whole site). */
  teamOfChat(siteId: string, teamId: string | null): string | null {
    return (teamId && this.sites.get(siteId)?.teams.find((t) => t.id === teamId)?.id) || null;
  }

  /** The routing scope of a chat: its team's queue when the team still exists, else the site's. */
  chatScope(siteId: string, teamId: string | null): string {
    return teamScope(siteId, this.teamOfChat(siteId, teamId));
  }

  scopeSettings(site: Site): ScopeSettings {
    return {
      ringTimeoutMs: Math.max(0, site.ringTimeoutSeconds) * 1000,
      autoAwayMs: Math.max(0, site.autoAwayMinutes) * 60_000,
    };
  }
}

const entryOf = (op: Operator): OperatorEntry => ({
  id: op.id,
  name: op.name,
  email: op.email,
  role: op.role,
  siteIds: op.siteIds,
  teamIds: op.teamIds ?? [],
  capacity: op.capacity,
  chosen: op.status,
  active: op.active,
});
