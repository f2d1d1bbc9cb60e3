/**
 * What the metrics endpoint reads at scrape time (gauges): a snapshot, never a stream of events.
 * `app.relay.liveStats()` provides it. Connection counts are this node's; the per-site figures are the
 * installation's (the same on every node of a cluster, so dashboards aggregate them with max, not sum).
 */
export interface LiveStats {
  visitorsConnected: number;
  operatorsConnected: number;
  sites: SiteLiveStats[];
}

export interface SiteLiveStats {
  siteId: string;
  /** Operators whose live status is `online` and who belong to the site. */
  operatorsOnline: number;
  /** Conversations waiting for an operator. */
  queueLength: number;
  /** How long the longest-waiting visitor has waited (0 when nobody waits). */
  oldestWaitMs: number;
}

export type LiveStatsSource = () => Promise<LiveStats>;
