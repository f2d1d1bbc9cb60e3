import { postgresLocationOf } from '../store/postgres/postgres-store.js';
import type { Store } from '../store/types.js';
import { connectMetrics, PostgresMetrics } from './postgres-metrics.js';
import { metricsForStore as sqliteMetricsFor } from './sqlite-metrics.js';
import type { TeamFactsReader } from './team-source.js';

/** A store's metrics layer, whichever database it is on. */
export interface StoreMetrics extends TeamFactsReader {
  /** Folds on the next turn of the event loop (requests in one tick share one fold). */
  scheduleSync(onError?: (err: unknown) => void): void;
}

const postgresInstances = new WeakMap<Store, PostgresMetrics>();

/** One metrics layer per store: SQLite reads the store's own file, PostgreSQL opens a small pool. */
export function metricsForStore(store: Store): StoreMetrics | null {
  if (store.kind === 'sqlite') return sqliteMetricsFor(store);
  let m = postgresInstances.get(store);
  if (!m) {
    const at = postgresLocationOf(store);
    if (!at) return null;
    m = new PostgresMetrics(connectMetrics(at.url, at.schema), at.schema);
    postgresInstances.set(store, m);
  }
  return m;
}

/** Closes what metricsForStore opened for this store (call before closing the store). */
export async function closeMetricsFor(store: Store): Promise<void> {
  const m = postgresInstances.get(store);
  postgresInstances.delete(store);
  await m?.close();
}
