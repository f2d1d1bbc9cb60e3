import { defineConfig } from 'vite';

/**
 * dist/chat.js: the lazily loaded chat UI as one ES module (Preact included), imported by the loader with
 * `import(base + '/widget/chat.js')`. Built as a plain Rollup entry rather than `build.lib`: lib mode
 * keeps whitespace in ES output (to preserve pure annotations for downstream bundlers), which nobody
 * re-bundles here and which costs gzip bytes against the 25 KB budget.
 */
export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact', legalComments: 'none' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Browsers with class fields, optional chaining and logical assignment: nothing gets down-levelled.
    target: ['chrome91', 'edge91', 'firefox90', 'safari14.1'],
    minify: 'esbuild',
    modulePreload: false,
    copyPublicDir: false,
    reportCompressedSize: true,
    rollupOptions: {
      input: 'src/chat/index.tsx',
      preserveEntrySignatures: 'exports-only',
      output: { format: 'es', entryFileNames: 'chat.js', inlineDynamicImports: true },
    },
  },
});
