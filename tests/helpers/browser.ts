import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { describe } from 'vitest';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const browserAvailable = existsSync(CHROMIUM);
export const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts');

if (!browserAvailable) {
  if (process.env.CI) throw new Error(`Chromium not found at ${CHROMIUM}: CI must run the browser tests`);
  console.warn(`NOTICE: ${CHROMIUM} not found — browser tests are skipped (apt-get install chromium)`);
}

/** describe() that skips, with the notice above, when there is no Chromium outside CI. */
export const describeBrowser = browserAvailable ? describe : describe.skip;

/** Debian's Chromium through playwright-core: no browser download, loopback traffic only. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Collects page errors and console errors so a test can assert the host page stayed clean. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return errors;
}
