import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * dist/chat-<hash>.js: the lazily loaded chat UI (Preact included) as one classic script. Classic, not an ES
 * module, because only a <script> element can carry `integrity`: the loader pins this file by its SHA-384
 * (see vite.loader.config.ts), so a changed file on the server is refused by the browser. The script hands
 * its `mount` to the loader through `document.currentScript` (no global). Plain Rollup entry rather than
 * `build.lib` (lib mode keeps whitespace, which costs gzip bytes against the 25 KB budget).
 *
 * dist/lang-<lang>-<hash>.json: the UI strings of every language but English (which is built in), fetched
 * with `fetch(url, { integrity })` only when the visitor's language needs it, so seven languages cost the
 * visitor the bytes of one. Their names and digests are compiled into the chat bundle (`__LANGS__`).
 */
const langDir = fileURLToPath(new URL('src/chat/lang/', import.meta.url));
const packs = readdirSync(langDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => {
    const lang = f.slice(0, -5);
    const body = JSON.stringify(JSON.parse(readFileSync(langDir + f, 'utf8')));
    const digest = createHash('sha384').update(body).digest();
    const file = `lang-${lang}-${digest.toString('hex').slice(0, 10)}.json`;
    return { lang, body, file, integrity: `sha384-${digest.toString('base64')}` };
  });
const PRIVATE = new RegExp(
  `^(?:${[
    'operatorTyping',
    'held',
    'listeners',
    'retries',
    'tries',
    'saveChat',
    'dismissed',
    'typingOn',
    'failures',
    'announced',
    'adopt',
    'reloadOutbox',
    'handles',
    'previewSent',
    'offlineWait',
    'giveUp',
    'flushIdentity',
    'socketFresh',
    'shutdown',
    'setOperatorTyping',
    'saveOutbox',
    'rejected',
    'helloSent',
    'gaps',
    'detached',
    'typingSentAt',
    'socketVid',
    'sendOffline',
    'sendItem',
    'cancelRetry',
    'settle',
    'reconnectLater',
    'legacyIdentity',
    'gapped',
    'forgetIdentity',
    'announce',
    'runProbe',
    'armQuiet',
  ].join('|')})$`,
);
const LANGS = Object.fromEntries(packs.map((p) => [p.lang, [p.file, p.integrity]]));

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact', legalComments: 'none' },
  define: { __LANGS__: JSON.stringify(LANGS) },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Browsers with class fields, optional chaining and logical assignment: nothing gets down-levelled.
    target: ['chrome91', 'edge91', 'firefox90', 'safari14.1'],
    // Terser, several passes: ~2 % fewer gzip bytes than esbuild's minifier, which the budgets need.
    minify: 'terser',
    terserOptions: {
      ecma: 2020,
      toplevel: true,
      compress: { passes: 3, pure_getters: true, unsafe: true, unsafe_arrows: true, unsafe_methods: true },
      // Private members of the connection and chat state, named long for readers, short on the wire. Only
      // names that never cross a boundary (no protocol field, storage record, DOM or loader contract).
      mangle: { properties: { regex: PRIVATE } },
    },
    modulePreload: false,
    copyPublicDir: false,
    reportCompressedSize: false,
    rollupOptions: {
      input: 'src/chat/index.tsx',
      output: { format: 'iife', entryFileNames: 'chat.[hash].js', inlineDynamicImports: true },
    },
  },
  plugins: [
    {
      name: 'beseda-language-packs',
      closeBundle() {
        const dist = fileURLToPath(new URL('dist/', import.meta.url));
        mkdirSync(dist, { recursive: true });
        for (const p of packs) writeFileSync(dist + p.file, p.body);
      },
    },
  ],
});
