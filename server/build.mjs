// Compiles the server to plain JavaScript in server/dist, file by file (the layout of src/ is kept, so
// paths the code resolves from import.meta.url — migrations, front-end builds — stay the same).
// Only files reachable from the entry points are emitted: tests and contract suites never ship.
// @beseda/shared is a TypeScript-source workspace package; its compiled copy goes to
// dist/node_modules/@beseda/shared, which Node's resolution finds before server/node_modules.
// Type checking is `pnpm typecheck`'s job; esbuild only strips types (the repo uses isolatedModules).
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, 'src');
const shared = resolve(here, '../shared/src');
const out = join(here, 'dist');
const entries = ['server.ts', 'app.ts', 'ops/backup-cli.ts'].map((f) => join(src, f));

// Pass 1: resolve the import graph (nothing written) to learn which source files the server needs.
const graph = await build({
  entryPoints: entries,
  bundle: true,
  write: false,
  metafile: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  outdir: out,
  logLevel: 'silent',
  plugins: [
    {
      // Follow the workspace package into its sources; every other bare import stays external.
      name: 'workspace-shared',
      setup(b) {
        b.onResolve({ filter: /^@beseda\/shared(\/types)?$/ }, (args) => ({
          path: join(shared, args.path.endsWith('/types') ? 'types.ts' : 'index.ts'),
        }));
      },
    },
  ],
});
const inputs = Object.keys(graph.metafile.inputs).map((p) => resolve(p));
const serverFiles = inputs.filter((p) => p.startsWith(`${src}/`));
const sharedFiles = inputs.filter((p) => p.startsWith(`${shared}/`));
// A type-only entry is erased from the graph; ship it anyway so `@beseda/shared/types` resolves.
if (!sharedFiles.includes(join(shared, 'types.ts'))) sharedFiles.push(join(shared, 'types.ts'));

await rm(out, { recursive: true, force: true });
const common = {
  bundle: false,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
};
await build({ ...common, entryPoints: serverFiles, outbase: src, outdir: out });
// Non-code assets the compiled files read beside themselves: the routing state's Lua scripts.
await cp(join(src, 'routing/lua'), join(out, 'routing/lua'), { recursive: true });
const sharedOut = join(out, 'node_modules/@beseda/shared');
await build({ ...common, entryPoints: sharedFiles, outbase: shared, outdir: sharedOut });
await mkdir(sharedOut, { recursive: true });
await writeFile(
  join(sharedOut, 'package.json'),
  `${JSON.stringify({ name: '@beseda/shared', private: true, type: 'module', exports: { '.': './index.js', './types': './types.js' } }, null, 2)}\n`,
);
console.log(
  `server: ${serverFiles.length} + shared: ${sharedFiles.length} files → ${relative(process.cwd(), out) || '.'}`,
);
