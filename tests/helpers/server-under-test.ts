import { existsSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

/**
 * Which build of the server the integration tests run: the TypeScript sources (default, so a targeted
 * run sees an edit at once) or, with `BESEDA_TEST_SERVER=dist`, the compiled JavaScript in server/dist
 * that `pnpm start` runs. scripts/run-tests.sh sets `dist` (`pnpm test` builds first), so CI runs the
 * whole integration project against the compiled server without a second pass.
 */
export type ServerUnderTest = 'src' | 'dist';

export function serverUnderTest(env: NodeJS.ProcessEnv = process.env): ServerUnderTest {
  const value = env.BESEDA_TEST_SERVER ?? '';
  if (value === '' || value === 'src') return 'src';
  if (value === 'dist') return 'dist';
  throw new Error(`BESEDA_TEST_SERVER="${value}": expected "src" or "dist"`);
}

// Not import.meta.dirname: vitest.config.ts imports this file through Vite's config bundler.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SERVER_SRC = resolve(ROOT, 'server/src');
const SHARED_SRC = resolve(ROOT, 'shared/src');
export const SERVER_DIST = resolve(ROOT, 'server/dist');
const SHARED_DIST = resolve(SERVER_DIST, 'node_modules/@beseda/shared');

/**
 * Test fixtures that live beside the code but never ship (server/build.mjs emits only what the entry
 * points reach). They keep running from source against the compiled server; they only call the public
 * Store interface and pure helpers.
 */
export const TEST_ONLY_SOURCES = ['metrics/test-fixture.ts'];

const inside = (dir: string, file: string) => file.startsWith(`${dir}${sep}`);

/**
 * Maps every import of the server's or the shared package's TypeScript sources made by test code
 * (`@beseda/server`, `@beseda/shared`, `../../server/src/x.js`) to the compiled file in server/dist, so
 * the test and the server share one module instance of each. Imports made by the compiled files
 * themselves are left alone (Node resolves them, as in production). An import of a source file that the
 * build does not emit fails loudly instead of quietly running that file from source.
 */
export function compiledServerPlugin(): Plugin {
  return {
    name: 'beseda-compiled-server',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!importer || inside(SERVER_SRC, importer) || inside(SHARED_SRC, importer)) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      if (!resolved || resolved.external) return resolved;
      const file = resolved.id.split('?')[0]!;
      let target: string;
      if (inside(SERVER_SRC, file)) {
        const rel = relative(SERVER_SRC, file);
        if (TEST_ONLY_SOURCES.includes(rel.split(sep).join('/'))) return resolved;
        target = resolve(SERVER_DIST, rel.replace(/\.ts$/, '.js'));
      } else if (inside(SHARED_SRC, file)) {
        target = resolve(SHARED_DIST, relative(SHARED_SRC, file).replace(/\.ts$/, '.js'));
      } else {
        return resolved;
      }
      if (!existsSync(target))
        throw new Error(
          `BESEDA_TEST_SERVER=dist: ${relative(ROOT, importer)} imports ${relative(ROOT, file)}, but ` +
            `${relative(ROOT, target)} does not exist. Run \`pnpm build:server\`; if the file is a test ` +
            'fixture the build does not ship, list it in TEST_ONLY_SOURCES (tests/helpers/server-under-test.ts).',
        );
      return { id: target };
    },
  };
}

/** The command line (after `node`) that runs the chosen build as its own process, from the repo root. */
export function serverProcessArgs(mode: ServerUnderTest = serverUnderTest()): string[] {
  return mode === 'dist' ? ['server/dist/server.js'] : ['--import', 'tsx', 'server/src/server.ts'];
}
