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
 * visitor the bytes of one. Their names and digests are compiled into the chat bundle (`__LANGS__`), and so are
 * the English key names (`__LANG_KEYS__`): a pack is a JSON array of its strings in that order.
 */
const langDir = fileURLToPath(new URL('src/chat/lang/', import.meta.url));
const read = (f: string): Record<string, string> => JSON.parse(readFileSync(langDir + f, 'utf8'));
// A pack ships as its strings alone, in the order of the English keys (compiled in as the keys of the object
// `__LANG_KEYS__`, so the keys in STRING_KEYS are mangled there as everywhere else), not as an object: the key
// names cost the visitor ~420 bytes gzip per pack (i18n.ts rebuilds the object).
const KEYS = Object.keys(read('en.json'));
const packs = readdirSync(langDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => {
    const lang = f.slice(0, -5);
    const table = read(f);
    const body = JSON.stringify(KEYS.map((k) => table[k] ?? ''));
    const digest = createHash('sha384').update(body).digest();
    const file = `lang-${lang}-${digest.toString('hex').slice(0, 10)}.json`;
    return { lang, body, file, integrity: `sha384-${digest.toString('base64')}` };
  });
// UI string keys read only as `t.<key>` (no wire, storage, DOM or string-lookup use of the name): mangled in
// `t.<key>` and in `__LANG_KEYS__` alike.
const STRING_KEYS = [
  'withOperator',
  'sendFeedback',
  'anyTeam',
  'openChat',
  'rateThanks',
  'offlineSent',
  'teamOffline',
  'openChatUnread',
  'queueNext',
  'removeMessage',
  'offlineNobody',
  'anotherMessage',
  'startChat',
  'closeChat',
  'anotherOperator',
  'offlineHours',
  'badEmail',
  'endChat',
  'etaOne',
  'rateAsk',
  'leaveInstead',
  'etaUnder',
  'rateGood',
  'chooseTopic',
  'rateBad',
  'offlineAsk',
  'unmute',
  'connecting',
  'reconnecting',
  'newMessage',
  'startNew',
  'plural',
];
// More private names, added for the byte budget: members, view fields and component props that only this
// bundle reads (none is a protocol field, a stored record's field, a loader/API contract name or a key looked
// up by a string such as a TimerName or a status). `builtins: true` below, so terser's list of DOM names does
// not veto any of them: each was checked against the bundle's real DOM/builtin uses (e.g. not `state`, which
// AudioContext has, nor `preview`, a TimerName read as `handles[name]`).
const MORE_PRIVATE = [
  'changed',
  'storage',
  'frame',
  'ident',
  'asked',
  'chat',
  'items',
  'queue',
  'wasOpen',
  'onMute',
  'onDismiss',
  'showStatus',
  'onLeave',
  'canEnd',
  'conn',
  'onTyping',
  'onTeam',
  'onStart',
  'onSend',
  'onRate',
  'onPick',
  'onNew',
  'onIdle',
  'onEnd',
  'onAnother',
  'network',
  'whenOnline',
  'save',
  'reload',
  'cancel',
  'fail',
  'pending',
  'opened',
  'dismiss',
  'acked',
  'outbox',
  'locale',
  'muted',
  'initial',
  'multiline',
  'prompt',
  'errors',
  'subtitle',
  'known',
  'item',
  'closed',
  'onClose',
  'check',
  'sync',
  'label',
  'options',
  'team',
  'after',
  'welcome',
  'drop',
  'build',
  'follow',
  'handle',
  'release',
  'update',
];
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
    'attempt',
    'receive',
    'sendPreview',
    'flushAll',
    'confirmStored',
    'subscribe',
    'identityChanged',
    'refuse',
    'clearOffline',
    'hasChat',
    'stopTyping',
    'merge',
    'forget',
    'rec',
    'setLabel',
    'setUnread',
    'setMuted',
    'setOpen',
    'setStrings',
    'emit',
    'timers',
    'probe',
    'newIdentity',
    'onMessage',
    'onTransition',
    'minDelayMs',
    'maxDelayMs',
    'WS',
    'teamsOnline',
    'fatal',
    'storageChanged',
    ...STRING_KEYS,
    ...MORE_PRIVATE,
  ].join('|')})$`,
);
const LANGS = Object.fromEntries(packs.map((p) => [p.lang, [p.file, p.integrity]]));

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact', legalComments: 'none' },
  define: {
    __LANGS__: JSON.stringify(LANGS),
    __LANG_KEYS__: JSON.stringify(Object.fromEntries(KEYS.map((k) => [k, 0]))),
  },
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
      // `module`: the sources are ES modules (strict), wrapped in a "use strict" IIFE.
      compress: {
        passes: 3,
        pure_getters: true,
        unsafe: true,
        unsafe_arrows: true,
        unsafe_methods: true,
        module: true,
      },
      // Private members of the connection and chat state, named long for readers, short on the wire. Only
      // names that never cross a boundary (no protocol field, storage record, DOM or loader contract).
      // `builtins`: the regexp alone decides (terser's DOM-name list would veto e.g. `storage`, `frame`).
      mangle: { properties: { regex: PRIVATE, builtins: true } },
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
