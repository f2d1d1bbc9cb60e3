import { defineConfig } from 'vite';

/**
 * dist/widget.js: the loader, a classic script (IIFE) because host pages include it with a plain
 * <script async>. Lib mode on purpose: an app build wraps `import()` in Vite's preload helper (more
 * bytes, and it dispatches events on the host's window). The entry has no exports, so Rollup emits a
 * bare IIFE and `name` defines no global; the only global is `window.Beseda`, assigned in the code.
 * Runs after vite.config.ts, so it must not empty dist/.
 */
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    // Browsers with class fields, optional chaining and logical assignment: nothing gets down-levelled.
    target: ['chrome91', 'edge91', 'firefox90', 'safari14.1'],
    minify: 'esbuild',
    copyPublicDir: false,
    lib: {
      entry: 'src/loader.ts',
      formats: ['iife'],
      name: 'BesedaLoader',
      fileName: () => 'widget.js',
    },
  },
});
