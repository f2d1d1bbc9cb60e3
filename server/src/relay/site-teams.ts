import type { FastifyBaseLogger } from 'fastify';
import { siteOfScope, teamScope } from '../core/teams.js';
import type { RoutingPort } from '../routing/port.js';
import type { Site, SiteTeam } from '../store/types.js';
import type { Directory } from './directory.js';
import type { Router } from './router.js';

export interface TeamChangeDeps {
  directory: Directory;
  router: Router;
  routing: RoutingPort;
  log: FastifyBaseLogger;
}

/**
 * A site's team list changed (on this node or another: every node runs this, and the moves are refused as
 * already done on all but one). Operators of the site get their new scopes (a new team's members can take
 * its chats at once, a deleted team's members stop being offered them), and whoever waited in a deleted
 * team's queue goes back to the whole site's queue at their original place, so no visitor waits for a team
 * that no longer exists. A deleted team's active chats stay with their operators; if one comes back to the
 * queue later, the router sends it to the site's queue (Router.requeued).
 */
export async function applyTeamChanges(
  d: TeamChangeDeps,
  before: readonly SiteTeam[],
  site: Site,
): Promise<void> {
  const same =
    before.length === site.teams.length && before.every((t) => site.teams.some((n) => n.id === t.id));
  if (same) return;
  for (const op of d.directory.allOperators())
    if (op.siteIds.includes(site.id))
      await d.router.dispatch({ type: 'operator_upsert', operator: d.directory.routingDef(op) });
  for (const gone of before.filter((t) => !site.teams.some((n) => n.id === t.id))) {
    const scope = teamScope(site.id, gone.id);
    for (const waiting of await d.routing.queue(scope)) {
      try {
        await d.router.dispatch({
          type: 'move',
          conversationId: waiting.conversationId,
          scope: siteOfScope(scope),
        });
      } catch (err) {
        // Another node moved it first (or it ended meanwhile): nothing left to do for this one.
        d.log.debug({ err, conversationId: waiting.conversationId }, 'team deleted: chat not moved');
      }
    }
  }
}
