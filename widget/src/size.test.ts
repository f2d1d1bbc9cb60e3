import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import type { WidgetManifest } from '@beseda/shared/types';
import { describe, expect, it } from 'vitest';

/**
 * The performance budgets from DESIGN.md §6, enforced on the built files (the root `pnpm test` builds
 * first): the loader the host page fetches ≤ 2 KB gzip; what a visitor who chats downloads — loader, chat
 * UI incl. Preact and the largest language pack (each visitor fetches exactly one) — ≤ 25 KB gzip. Also:
 * the pre-compressed files the server sends are those bytes, and the README states the real sizes.
 */
const LOADER_BUDGET = 2048;
const TOTAL_BUDGET = 25_600;

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const readme = fileURLToPath(new URL('../../README.md', import.meta.url));

function manifest(): WidgetManifest {
  if (!existsSync(`${dist}manifest.json`)) {
    throw new Error(
      `${dist}manifest.json is missing: build the widget first (pnpm --filter @beseda/widget build, or pnpm test from the root).`,
    );
  }
  return JSON.parse(readFileSync(`${dist}manifest.json`, 'utf8')) as WidgetManifest;
}
const gz = (name: string) => gzipSync(readFileSync(dist + name), { level: 9 }).length;
const kb = (n: number) => n / 1024;

describe('widget bundle budgets (gzip level 9)', () => {
  it(`loader dist/widget.js ≤ ${LOADER_BUDGET} bytes`, () => {
    const loader = gz('widget.js');
    expect(
      loader,
      `dist/widget.js is ${loader} bytes gzipped; the budget is ${LOADER_BUDGET}`,
    ).toBeLessThanOrEqual(LOADER_BUDGET);
  });

  it(`loader + chat UI + the largest language pack ≤ ${TOTAL_BUDGET} bytes`, () => {
    const m = manifest();
    const packs = Object.values(m.langs).map(gz);
    expect(packs.length).toBe(7);
    const total = gz('widget.js') + gz(m.chat.file) + Math.max(...packs);
    expect(
      total,
      `the widget a visitor downloads is ${total} bytes gzipped; the budget is ${TOTAL_BUDGET}`,
    ).toBeLessThanOrEqual(TOTAL_BUDGET);
  });

  it('every shipped file has .gz and .br twins holding exactly its bytes, sized as the manifest says', () => {
    const m = manifest();
    expect(Object.keys(m.files)).toContain(m.loader.file);
    for (const [name, size] of Object.entries(m.files)) {
      const body = readFileSync(dist + name);
      const viaGzip = readFileSync(`${dist + name}.gz`);
      const viaBrotli = readFileSync(`${dist + name}.br`);
      expect(gunzipSync(viaGzip).equals(body), name).toBe(true);
      expect(brotliDecompressSync(viaBrotli).equals(body), name).toBe(true);
      expect([size.bytes, size.gzip, size.brotli], name).toEqual([
        body.length,
        viaGzip.length,
        viaBrotli.length,
      ]);
    }
    // The versioned loader is the loader.
    expect(readFileSync(dist + m.loader.file).equals(readFileSync(`${dist}widget.js`))).toBe(true);
  });

  it('the README states the measured sizes (to 0.1 KB)', () => {
    const m = manifest();
    const text = readFileSync(readme, 'utf8');
    const claim =
      /a ([\d.]+) KB loader .*?\(Preact, Shadow DOM, ([\d.]+) KB gzip incl\. its language pack\)/s.exec(text);
    expect(claim, 'README "Widget" bullet with the loader and chat UI sizes').not.toBeNull();
    const chat = gz(m.chat.file) + Math.max(...Object.values(m.langs).map(gz));
    expect(Number(claim![1])).toBeCloseTo(kb(gz('widget.js')), 1);
    expect(Number(claim![2])).toBeCloseTo(kb(chat), 1);
  });
});
