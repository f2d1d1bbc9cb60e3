import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildApp } from '@beseda/server';
import { MAX_FRAME_BYTES } from '@beseda/shared';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/src/config.js';
import { SERVER_DIST, serverUnderTest } from '../helpers/server-under-test.js';
import { startServer } from '../helpers/start-server.js';

// The integration project runs either the TypeScript sources or, with BESEDA_TEST_SERVER=dist (CI),
// the compiled server. These checks fail if the switch says dist but the tests quietly got the sources
// (or the reverse): the functions the tests import must be the very objects the chosen build exports.
const mode = serverUnderTest();
const ROOT = resolve(import.meta.dirname, '../..');
const built = (file: string) =>
  mode === 'dist' ? resolve(SERVER_DIST, file) : resolve(ROOT, 'server/src', file.replace(/\.js$/, '.ts'));
const sharedBuilt = () =>
  mode === 'dist'
    ? resolve(SERVER_DIST, 'node_modules/@beseda/shared/index.js')
    : resolve(ROOT, 'shared/src/index.ts');

// CI runs `pnpm check` → scripts/run-tests.sh, which asks for the compiled server (issue #13: the
// compiled server passes the integration suite). Fail if that ever stops being true.
it.runIf(process.env.CI)('CI runs the integration project against server/dist', () => {
  expect(mode).toBe('dist');
});

describe(`the integration project runs the server from ${mode === 'dist' ? 'server/dist' : 'server/src'}`, () => {
  it('resolves @beseda/server, deep server imports and @beseda/shared to that build', async () => {
    const app = await import(/* @vite-ignore */ pathToFileURL(built('app.js')).href);
    const config = await import(/* @vite-ignore */ pathToFileURL(built('config.js')).href);
    const shared = await import(/* @vite-ignore */ pathToFileURL(sharedBuilt()).href);
    expect(buildApp).toBe(app.buildApp);
    expect(loadConfig).toBe(config.loadConfig);
    expect(MAX_FRAME_BYTES).toBe(shared.MAX_FRAME_BYTES);
    // Vite rewrites the imports of files it transforms into __vite_ssr_import_N__ bindings; the compiled
    // server is loaded by Node itself, exactly as `node server/dist/server.js` loads it.
    const transformed = /__vite_ssr_import_\d+__/.test(buildApp.toString());
    expect(transformed).toBe(mode === 'src');
  });

  it('starts the helper server from that build', async () => {
    const server = await startServer();
    try {
      // The relay the helper started was constructed by the chosen build's classes.
      const { Relay } = await import(/* @vite-ignore */ pathToFileURL(built('relay/relay.js')).href);
      expect(server.app.relay).toBeInstanceOf(Relay);
      expect((await fetch(`${server.origin}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
