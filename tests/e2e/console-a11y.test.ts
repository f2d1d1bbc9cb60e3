import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, launchBrowser, screenshot } from '../helpers/browser.js';
import { seedDashboardFixture } from '../helpers/dashboard-fixture.js';
import { OWNER_EMAIL, OWNER_PASSWORD, startServer, type TestServer } from '../helpers/start-server.js';
import { openConsole, visitorSays } from './console-helpers.js';

/**
 * Issue #12.2: axe-core finds no serious or critical violation on any console page — sign-in, chats
 * (with a chat, the queue, the help and end dialogs), history and a transcript, canned responses, the
 * three admin sections and the seven dashboard tabs — in light and dark colour schemes; every page has
 * exactly one h1 and headings that do not skip levels.
 */
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string;
  targets: string[];
}

async function axe(page: Page, state: string): Promise<string[]> {
  // Evaluated over the DevTools protocol: the console's CSP (script-src 'self') refuses inline script tags.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const r = await (
      window as unknown as {
        axe: {
          run: (
            ctx: unknown,
            o: unknown,
          ) => Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }>;
        };
      }
    ).axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map(
      (x): Violation => ({
        id: x.id,
        impact: x.impact,
        targets: x.nodes.map((n) => JSON.stringify(n.target)),
      }),
    );
  });
  return violations
    .filter((x) => x.impact === 'serious' || x.impact === 'critical')
    .map((x) => `${state}: ${x.id} ${x.targets.slice(0, 5).join(' ')}`);
}

/** One visible h1, and no heading more than one level below the one before it. */
async function headingProblems(page: Page, state: string): Promise<string[]> {
  const levels = await page.evaluate(() =>
    [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
      .filter((h) => (h as HTMLElement).closest('[hidden], dialog:not([open])') === null)
      .map((h) => Number(h.tagName.slice(1))),
  );
  const problems: string[] = [];
  if (levels.filter((l) => l === 1).length !== 1) problems.push(`${state}: ${levels.join(',')} (h1 count)`);
  levels.forEach((l, i) => {
    if (i > 0 && l > (levels[i - 1] ?? 0) + 1) problems.push(`${state}: h${levels[i - 1]} → h${l}`);
  });
  return problems;
}

describeBrowser('console accessibility', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer();
    await seedDashboardFixture(server);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`passes axe on every page (${scheme})`, async () => {
      const problems: string[] = [];
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: scheme });
      const login = await ctx.newPage();
      await login.goto(`${server.origin}/console/`);
      await login.getByTestId('login-email').waitFor();
      problems.push(...(await axe(login, 'login')));
      problems.push(...(await headingProblems(login, 'login')));
      await ctx.close();

      const owner = await openConsole(browser, server, OWNER_EMAIL, OWNER_PASSWORD, {
        width: 1280,
        height: 800,
      });
      const { page } = owner;
      await page.emulateMedia({ colorScheme: scheme });
      const check = async (state: string) => {
        problems.push(...(await axe(page, state)));
        problems.push(...(await headingProblems(page, state)));
      };
      const visitors = [];
      for (const name of ['Ann', 'Ben', 'Cid', 'Dan']) {
        visitors.push(await visitorSays(server, `Hello, this is ${name}`, { name, email: `${name}@x.test` }));
      }
      await page.getByTestId('queue-item').first().waitFor({ timeout: 10_000 });
      await page.keyboard.press('Alt+1');
      await page.locator('[data-testid="msg"][data-author="visitor"]').first().waitFor();
      await page.getByTestId('composer').fill('A reply');
      await page.getByTestId('composer').press('Enter');
      await page.locator('[data-testid="msg"][data-author="operator"]').first().waitFor();
      // Chats of the previous run may have been requeued and reassigned: whoever is open, their card.
      const who = await page.getByTestId('chat-title').textContent();
      await page.getByTestId('visitor-card').getByText(`${who}@x.test`).waitFor();
      await check('chats');
      if (scheme === 'dark') await screenshot(page, 'console-dark');
      await page.keyboard.press('Alt+H');
      await page.getByTestId('help-dialog').getByText('Alt+W').waitFor();
      await check('help dialog');
      await page.keyboard.press('Escape');
      await page.keyboard.press('Alt+X');
      await page.getByTestId('end-confirm').waitFor();
      await check('end dialog');
      await page.keyboard.press('Escape');

      const go = async (hash: string, ready: string, state: string) => {
        await page.evaluate((h) => {
          location.hash = h;
        }, hash);
        await page.getByTestId(ready).first().waitFor({ timeout: 10_000 });
        await check(state);
      };
      await go('#/history', 'history-result', 'history');
      await page.getByTestId('history-result').first().click();
      await page.getByTestId('transcript').waitFor();
      await check('transcript');
      await go('#/canned', 'canned-shortcut', 'canned');
      await go('#/admin/operators', 'admin-tab-operators', 'admin operators');
      // The site form with its setup checklist (the demo site is not fully set up).
      await go('#/admin/sites', 'setup-checklist', 'admin sites');
      await go('#/admin/canned', 'admin-tab-canned', 'admin canned');
      const range = `site=${server.site.id}&from=2026-03-10&to=2026-03-11`;
      for (const [tab, ready] of [
        ['overview', 'overview-cards'],
        ['coverage', 'coverage-chart'],
        ['wait', 'dash-tab-wait'],
        ['ratings', 'rating-comment'],
        ['volume', 'volume-heatmap'],
        ['operators', 'operators-dash-table'],
        ['staffing', 'staffing-grid'],
      ] as const) {
        await go(`#/dashboards/${tab}?${range}`, ready, `dashboard ${tab}`);
      }
      for (const v of visitors) await v.client.close();
      await owner.ctx.close();
      expect(problems).toEqual([]);
    });
  }
});
