import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { finishDist } from './build/finish-dist.js';

/**
 * dist/widget.js: the loader, a classic script (IIFE) because host pages include it with a plain
 * <script async>. Lib mode on purpose: an app build wraps `import()` in Vite's preload helper (more
 * bytes, and it dispatches events on the host's window). The entry has no exports, so Rollup emits a
 * bare IIFE and `name` defines no global; the only global is `window.Beseda`, assigned in the code.
 * Runs after vite.config.ts, so it must not empty dist/: it reads the chat bundle that build wrote and
 * compiles its name and SHA-384 into the loader (`__CHAT__`), then `finishDist` writes the versioned
 * loader copy, the manifest and the pre-compressed files.
 */
const dist = fileURLToPath(new URL('dist/', import.meta.url));
const chat = readdirSync(dist).find((f) => /^chat\.[\w-]+\.js$/.test(f));
if (!chat) throw new Error('dist/chat-<hash>.js is missing: run `vite build` (vite.config.ts) first');
const integrity = `sha384-${createHash('sha384')
  .update(readFileSync(dist + chat))
  .digest('base64')}`;

export default defineConfig({
  define: { __CHAT__: JSON.stringify([chat, integrity]) },
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    // Browsers with class fields, optional chaining and logical assignment: nothing gets down-levelled.
    target: ['chrome91', 'edge91', 'firefox90', 'safari14.1'],
    // Terser, several passes: ~2 % fewer gzip bytes than esbuild's minifier, which the budgets need.
    minify: 'terser',
    terserOptions: {
      ecma: 2020,
      toplevel: true,
      compress: { passes: 3, pure_getters: true, unsafe: true, unsafe_arrows: true, unsafe_methods: true },
    },
    copyPublicDir: false,
    reportCompressedSize: false,
    lib: {
      entry: 'src/loader.ts',
      formats: ['iife'],
      name: 'BesedaLoader',
      fileName: () => 'widget.js',
    },
  },
  plugins: [{ name: 'beseda-finish-dist', closeBundle: () => finishDist(dist) }],
});
