import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';

/**
 * What the metrics endpoint reads at scrape time (gauges): a snapshot, never a stream of events.
 * Connection counts are this node's; the per-site figures are the installation's (the same on every node
 * of a cluster, so dashboards aggregate them with max, not sum).
 */
export interface LiveStats {
  visitorsConnected: number;
  operatorsConnected: number;
  sites: SiteLiveStats[];
}

export interface SiteLiveStats {
  siteId: string;
  /** Operators with status `online` who belong to the site. */
  operatorsOnline: number;
  /** Conversations waiting for an operator. */
  queueLength: number;
  /** How long the longest-waiting visitor has waited (0 when nobody waits). */
  oldestWaitMs: number;
}

export type LiveStatsSource = () => Promise<LiveStats>;

/**
 * Counts this node's open sockets per endpoint from the upgrade path (the transport is the truth about
 * what is connected, whatever the relay thinks).
 */
export function countSockets(app: FastifyInstance): () => { visitors: number; operators: number } {
  let visitors = 0;
  let operators = 0;
  app.addHook('onReady', async () => {
    app.websocketServer.on('connection', (ws: WebSocket, req: { url?: string }) => {
      const path = req.url?.split('?')[0];
      if (path === '/ws/visitor') {
        visitors++;
        ws.once('close', () => visitors--);
      } else if (path === '/ws/operator') {
        operators++;
        ws.once('close', () => operators--);
      }
    });
  });
  return () => ({ visitors, operators });
}

/**
 * Until the relay offers `liveStats()` from its in-memory state: the queue is read from the store (the relay
 * persists `queued` before it acks), each operator's live status from `relay.presenceOf` (the stored status
 * is only the one they chose). Three indexed queries per scrape. Replace with `() => app.relay.liveStats()`
 * once it exists.
 */
export function liveStatsFromStore(
  app: FastifyInstance,
  sockets: () => { visitors: number; operators: number },
): LiveStatsSource {
  return async () => {
    const [sites, open, operators] = await Promise.all([
      app.store.listSites(),
      app.store.listOpenConversations(),
      app.store.listOperators(),
    ]);
    const now = app.clock.now();
    const { visitors, operators: operatorSockets } = sockets();
    return {
      visitorsConnected: visitors,
      operatorsConnected: operatorSockets,
      sites: sites.map((site) => {
        const waiting = open.filter((c) => c.siteId === site.id && c.status === 'queued');
        const oldest = Math.min(...waiting.map((c) => c.enqueuedAt ?? c.createdAt));
        return {
          siteId: site.id,
          operatorsOnline: operators.filter(
            (o) => o.siteIds.includes(site.id) && app.relay.presenceOf(o.id)?.status === 'online',
          ).length,
          queueLength: waiting.length,
          oldestWaitMs: waiting.length > 0 ? Math.max(0, now - oldest) : 0,
        };
      }),
    };
  };
}
