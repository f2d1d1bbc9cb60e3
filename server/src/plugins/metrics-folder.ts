import fp from 'fastify-plugin';
import { closeMetricsFor, metricsForStore } from '../metrics/for-store.js';

/**
 * Keeps the dashboard facts current: whenever the store commits events, the metrics layer folds them.
 * The live path (relay) only stores events; it knows nothing of metrics.
 */
export const metricsFolder = fp(
  async (app) => {
    const fold = () =>
      metricsForStore(app.store)?.scheduleSync((err) => app.log.error({ err }, 'metrics fold failed'));
    const off = app.store.onEvents(fold);
    // Events stored before this node started (or by a node that crashed before folding) are folded now.
    app.addHook('onReady', async () => fold());
    app.addHook('onClose', async () => {
      off();
      await closeMetricsFor(app.store);
    });
  },
  { name: 'metrics-folder', dependencies: ['core-services'] },
);
