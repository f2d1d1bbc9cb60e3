import { defineConfig } from 'vitest/config';
import { compiledServerPlugin, SERVER_DIST, serverUnderTest } from './tests/helpers/server-under-test.js';

// BESEDA_TEST_SERVER=dist (set by scripts/run-tests.sh): the integration project imports the compiled
// server in server/dist, loaded by Node itself (not transformed by Vite), instead of the TypeScript
// sources. See "Test projects" in README.md.
const compiled = serverUnderTest() === 'dist';
const distFiles = new RegExp(`^${SERVER_DIST.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/`);

// One run, four kinds of tests: unit tests beside the code, integration tests with a real server and
// real sockets, end-to-end tests in Debian's Chromium, and cluster tests with several server processes on
// the local Redis and PostgreSQL. Each integration/e2e test starts its own server on port 0 with its own
// data dir, so files run in parallel safely.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'shared/src/**/*.test.ts',
            'server/src/**/*.test.ts',
            'widget/src/**/*.test.ts',
            'console/src/**/*.test.ts',
            'scripts/**/*.test.ts',
          ],
          environment: 'node',
        },
      },
      {
        plugins: compiled ? [compiledServerPlugin()] : [],
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          ...(compiled && {
            globalSetup: ['tests/helpers/compiled-server-setup.ts'],
            server: { deps: { external: [distFiles] } },
          }),
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        // Several real server processes per test against the local Redis and PostgreSQL; one file at a
        // time so the nodes of different tests do not compete for the same two cores.
        test: {
          name: 'cluster',
          include: ['tests/cluster/**/*.test.ts'],
          environment: 'node',
          // Starting three tsx processes alone can take a minute on a busy 2-core machine.
          testTimeout: 300_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
