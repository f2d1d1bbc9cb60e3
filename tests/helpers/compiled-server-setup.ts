import { buildServer } from '../integration/ops-process.js';

/**
 * globalSetup of the integration project when BESEDA_TEST_SERVER=dist: rebuild server/dist if a source
 * is newer than it (`pnpm test` has just built it, so normally nothing happens), so a targeted run never
 * tests yesterday's compiled server.
 */
export default function setup(): void {
  buildServer();
}
