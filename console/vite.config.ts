import { gzipSync } from 'node:zlib';
import preact from '@preact/preset-vite';
import { defineConfig, type Plugin } from 'vite';

/** DESIGN.md §6: what a browser must fetch before the console is usable. */
const INITIAL_LOAD_BUDGET_GZIP = 150 * 1024;

/**
 * Fails the build when the initial load (index.html, the entry chunk, its static imports and their CSS)
 * exceeds the budget. Lazy chunks such as the history page do not count.
 */
function initialLoadBudget(limit: number): Plugin {
  return {
    name: 'beseda-initial-load-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = new Set<string>(['index.html']);
      const visit = (fileName: string) => {
        const chunk = bundle[fileName];
        if (chunk?.type !== 'chunk' || files.has(fileName)) return;
        files.add(fileName);
        for (const css of chunk.viteMetadata?.importedCss ?? []) files.add(css);
        for (const imported of chunk.imports) visit(imported);
      };
      for (const item of Object.values(bundle)) {
        if (item.type === 'chunk' && item.isEntry) visit(item.fileName);
      }
      let total = 0;
      for (const fileName of files) {
        const item = bundle[fileName];
        if (!item) continue;
        const source = item.type === 'chunk' ? item.code : item.source;
        total += gzipSync(typeof source === 'string' ? Buffer.from(source) : source, { level: 9 }).length;
      }
      const kb = (total / 1024).toFixed(1);
      if (total > limit) this.error(`console initial load is ${kb} KB gzip, budget ${limit / 1024} KB`);
      this.info(`initial load ${kb} KB gzip (budget ${limit / 1024} KB): ${[...files].join(', ')}`);
    },
  };
}

// The server serves the built console under /console/; in `vite dev`, API and socket go to a running server.
const devServer = process.env.BESEDA_SERVER ?? 'http://localhost:4000';

export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  plugins: [preact(), initialLoadBudget(INITIAL_LOAD_BUDGET_GZIP)],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  server: {
    proxy: {
      '/api': devServer,
      '/ws': { target: devServer.replace(/^http/, 'ws'), ws: true },
    },
  },
});
