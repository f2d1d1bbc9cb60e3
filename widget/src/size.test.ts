import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/**
 * The performance budgets from DESIGN.md §6, enforced on the built files (the root `pnpm test` builds
 * first): the loader the host page fetches ≤ 2 KB gzip, loader + whole chat UI incl. Preact ≤ 25 KB gzip.
 */
const LOADER_BUDGET = 2048;
const TOTAL_BUDGET = 25_600;

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

function gzipped(name: string): number {
  const path = `${dist}${name}`;
  if (!existsSync(path)) {
    throw new Error(
      `${path} is missing: build the widget first (pnpm --filter @beseda/widget build, or pnpm test from the root).`,
    );
  }
  return gzipSync(readFileSync(path), { level: 9 }).length;
}

describe('widget bundle budgets (gzip level 9)', () => {
  it(`loader dist/widget.js ≤ ${LOADER_BUDGET} bytes`, () => {
    const loader = gzipped('widget.js');
    expect(
      loader,
      `dist/widget.js is ${loader} bytes gzipped; the budget is ${LOADER_BUDGET}`,
    ).toBeLessThanOrEqual(LOADER_BUDGET);
  });

  it(`loader + chat UI (dist/widget.js + dist/chat.js) ≤ ${TOTAL_BUDGET} bytes`, () => {
    const total = gzipped('widget.js') + gzipped('chat.js');
    expect(
      total,
      `widget.js + chat.js are ${total} bytes gzipped; the budget is ${TOTAL_BUDGET}`,
    ).toBeLessThanOrEqual(TOTAL_BUDGET);
  });
});
