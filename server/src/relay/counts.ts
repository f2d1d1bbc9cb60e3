import type { Clock } from '../core/clock.js';
import type { LiveStats } from '../ops/live-stats.js';
import type { RoutingPort } from '../routing/port.js';
import type { Directory } from './directory.js';
import type { LocalSockets } from './local-sockets.js';
import type { Presence } from './presence.js';
import type { QueueViews } from './queue-views.js';

interface StatsDeps {
  directory: Directory;
  presence: Presence;
  queues: QueueViews;
  routing: RoutingPort;
  sockets: LocalSockets;
  clock: Clock;
}

/** For health checks and tests: counts only, no internals. A site's queue includes its teams' queues. */
export function openCounts(d: StatsDeps) {
  let queued = 0;
  for (const site of d.directory.allSites())
    for (const scope of d.directory.scopesOfSite(site)) queued += d.queues.waitingStats(scope).length;
  let active = 0;
  for (const op of d.directory.allOperators()) active += d.presence.of(op.id)?.load ?? 0;
  return { open: queued + active, queued, operatorsOnline: d.presence.countOnline() };
}

/** The ops metrics' live figures (ops/metrics.ts), read from the routing state at scrape time. */
export async function liveStats(d: StatsDeps): Promise<LiveStats> {
  const now = d.clock.now();
  const sites = await Promise.all(
    d.directory.allSites().map(async (s) => {
      // The site's own queue and its teams' queues, oldest first.
      const queue = (await Promise.all(d.directory.scopesOfSite(s).map((q) => d.routing.queue(q))))
        .flat()
        .sort((x, y) => x.enqueuedAt - y.enqueuedAt);
      const online = d.directory
        .allOperators()
        .filter((o) => o.siteIds.includes(s.id) && d.presence.of(o.id)?.status === 'online').length;
      return {
        siteId: s.id,
        operatorsOnline: online,
        queueLength: queue.length,
        oldestWaitMs: queue[0] ? now - queue[0].enqueuedAt : 0,
      };
    }),
  );
  return { visitorsConnected: d.sockets.visitors.size, operatorsConnected: d.sockets.operators.size, sites };
}
