import { createHash } from 'node:crypto';
import { copyFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { WidgetManifest } from '@beseda/shared/types';

/**
 * The last build step (closeBundle of vite.loader.config.ts):
 * - `widget-<hash>.js`, an immutable, versioned copy of the loader for the SRI embed snippet (the plain
 *   `/widget.js` stays the short-lived "latest" URL);
 * - `.br` and `.gz` beside every text asset, served by content negotiation (@fastify/static `preCompressed`),
 *   so nothing is compressed per request and the printed sizes are the sizes on the wire;
 * - `manifest.json`: file names, SRI digests and those sizes, read by the server (embed snippet) and the
 *   size test.
 */
export function finishDist(dist: string): WidgetManifest {
  for (const f of readdirSync(dist))
    if (/\.(br|gz)$/.test(f) || /^widget-[0-9a-f]+\.js$/.test(f)) rmSync(dist + f);

  const loaderBody = readFileSync(`${dist}widget.js`);
  const sri = (b: Buffer) => `sha384-${createHash('sha384').update(b).digest('base64')}`;
  const loaderFile = `widget-${createHash('sha256').update(loaderBody).digest('hex').slice(0, 10)}.js`;
  copyFileSync(`${dist}widget.js`, dist + loaderFile);
  const chatFile = readdirSync(dist).find((f) => /^chat\.[\w-]+\.js$/.test(f));
  if (!chatFile) throw new Error('chat bundle missing in dist/');

  const files: WidgetManifest['files'] = {};
  for (const f of readdirSync(dist).sort()) {
    if (!/\.(js|json)$/.test(f) || f === 'manifest.json') continue;
    const body = readFileSync(dist + f);
    const gz = gzipSync(body, { level: 9 });
    const br = brotliCompressSync(body, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    });
    writeFileSync(`${dist + f}.gz`, gz);
    writeFileSync(`${dist + f}.br`, br);
    files[f] = { bytes: body.length, gzip: gz.length, brotli: br.length };
  }
  const langs: WidgetManifest['langs'] = {};
  for (const f of Object.keys(files)) {
    const m = /^lang-([a-z]+)-[0-9a-f]+\.json$/.exec(f);
    if (m?.[1]) langs[m[1]] = f;
  }
  const manifest: WidgetManifest = {
    loader: { file: loaderFile, integrity: sri(loaderBody) },
    chat: { file: chatFile, integrity: sri(readFileSync(dist + chatFile)) },
    langs,
    files,
  };
  writeFileSync(`${dist}manifest.json`, `${JSON.stringify(manifest, null, 2)}\n`);

  const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`;
  const rows = Object.entries(files).filter(([f]) => !f.startsWith('widget-'));
  for (const [f, s] of rows)
    console.log(
      `dist/${f.padEnd(30)} ${kb(s.bytes).padStart(9)} │ gzip ${kb(s.gzip).padStart(9)} │ br ${kb(s.brotli).padStart(9)}`,
    );
  return manifest;
}
