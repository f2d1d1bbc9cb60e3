import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCs } from '../../console/src/i18n/admin.cs.js';
import { adminEn } from '../../console/src/i18n/admin.en.js';
import { adminRu } from '../../console/src/i18n/admin.ru.js';
import { cs } from '../../console/src/i18n/cs.js';
import { dashCs } from '../../console/src/i18n/dash.cs.js';
import { dashEn } from '../../console/src/i18n/dash.en.js';
import { dashRu } from '../../console/src/i18n/dash.ru.js';
import { type Entry, en } from '../../console/src/i18n/en.js';
import { ru } from '../../console/src/i18n/ru.js';
import { describeBrowser, launchBrowser, screenshot } from '../helpers/browser.js';
import { seedDashboardFixture } from '../helpers/dashboard-fixture.js';
import { OWNER_EMAIL, OWNER_PASSWORD, startServer, type TestServer } from '../helpers/start-server.js';
import { type ConsoleSession, openConsole, realErrors } from './console-helpers.js';

/**
 * Issue #10.5 (the staffing planner in the console), #12.4 (admin and dashboard pages in Czech and
 * Russian with no English left), #12.9 (an operator sees their own figures only) and #12.10 (the setup
 * checklist) in Chromium on the dashboard fixture. Screenshots: test-artifacts/dashboard-*.png.
 */
type Dict = Record<string, Entry>;
const EN: Dict = { ...en, ...adminEn, ...dashEn };
const CS: Dict = { ...cs, ...adminCs, ...dashCs };
const RU: Dict = { ...ru, ...adminRu, ...dashRu };

const forms = (e: Entry | undefined) =>
  e === undefined ? [] : typeof e === 'string' ? [e] : Object.values(e);
const words = (text: string) => text.match(/[A-Za-z]{3,}/g) ?? [];

/** Words of the console's own data on screen (names, site, timezone): not translatable. */
const DATA_WORDS = ['demo', 'shop', 'ann', 'bob', 'owner', 'europe', 'prague', 'test', 'local'];

/**
 * English words of the dictionaries (4+ letters) the translation never uses: one on screen is English
 * left over, whether it came from a dictionary or was written into a component by hand.
 */
function englishWords(translation: Dict): Set<string> {
  const theirs = new Set(
    Object.values(translation)
      .flatMap(forms)
      .flatMap(words)
      .map((w) => w.toLowerCase()),
  );
  const ours = Object.values(EN).flatMap(forms).flatMap(words);
  return new Set(
    ours
      .map((w) => w.toLowerCase())
      .filter((w) => w.length >= 4 && !theirs.has(w) && !DATA_WORDS.includes(w)),
  );
}

/**
 * Rendered text and labels of the page (or of one part of it), without form values, code, the time zone
 * list and what visitors wrote (rating comments).
 */
async function screenText(page: Page, root = 'body'): Promise<string> {
  return page.evaluate((selector) => {
    const body = document.querySelector(selector)!.cloneNode(true) as HTMLElement;
    for (const el of body.querySelectorAll('select, textarea, code, input, q')) el.remove();
    document.body.append(body);
    body.style.position = 'absolute';
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point here
    const visible = body.innerText;
    const attrs = [...body.querySelectorAll('[title], [placeholder], [aria-label]')]
      .map((el) => ['title', 'placeholder', 'aria-label'].map((a) => el.getAttribute(a) ?? '').join('\n'))
      .join('\n');
    body.remove();
    return `${visible}\n${attrs}`;
  }, root);
}

async function leftovers(page: Page, translation: Dict): Promise<string[]> {
  const english = englishWords(translation);
  return [...new Set(words(await screenText(page)).filter((w) => english.has(w.toLowerCase())))];
}

/** Russian is Cyrillic: any Latin word that is neither in the Russian texts nor data is left over. */
async function latinInRussian(page: Page): Promise<string[]> {
  const allowed = new Set(Object.values(RU).flatMap(forms).flatMap(words));
  return [
    ...new Set(
      words(await screenText(page)).filter((w) => !allowed.has(w) && !DATA_WORDS.includes(w.toLowerCase())),
    ),
  ];
}

describeBrowser('staffing planner, own figures and the admin/dashboard pages in cs and ru', () => {
  let server: TestServer;
  let browser: Browser;
  let owner: ConsoleSession;
  let page: Page;
  const week = () => `site=${server.site.id}&from=2026-03-06&to=2026-03-12`;
  const go = async (p: Page, hash: string, ready: string) => {
    await p.evaluate((h) => {
      location.hash = h;
    }, hash);
    await p.getByTestId(ready).first().waitFor();
    await p.locator('[data-loading="true"]').waitFor({ state: 'detached' });
  };
  const api = (p: Page, path: string) =>
    p.evaluate(async (u) => (await fetch(u, { credentials: 'same-origin' })).json(), path);

  beforeAll(async () => {
    server = await startServer();
    await seedDashboardFixture(server);
    browser = await launchBrowser();
    owner = await openConsole(browser, server, OWNER_EMAIL, OWNER_PASSWORD, { width: 1400, height: 1000 });
    page = owner.page;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  describe('staffing planner', () => {
    type Hour = { weekday: number; hour: number; understaffed: boolean; need: { operators: number } };
    async function gridMatches(query: string) {
      const report = (await api(page, `/api/dashboard/staffing?${query}`)) as {
        hours: Hour[];
        understaffed: unknown[];
      };
      const cells = await page.getByTestId('staffing-cell').evaluateAll((els) =>
        els.map((e) => ({
          weekday: Number(e.getAttribute('data-weekday')),
          hour: Number(e.getAttribute('data-hour')),
          need: Number(e.getAttribute('data-need')),
          short: e.getAttribute('data-state') === 'short',
        })),
      );
      expect(cells).toHaveLength(7 * 24);
      for (const h of report.hours) {
        const cell = cells.find((c) => c.weekday === h.weekday && c.hour === h.hour)!;
        expect(cell.need, `${h.weekday} ${h.hour}`).toBe(h.need.operators);
        expect(cell.short).toBe(h.understaffed);
      }
      expect(await page.getByTestId('staffing-verdict').getAttribute('data-count')).toBe(
        String(report.understaffed.length),
      );
      return report;
    }

    it('shows operators needed vs online for every hour of the week, with its inputs and CSV', async () => {
      await go(page, `#/dashboards/staffing?${week()}`, 'staffing-grid');
      const base = await gridMatches(week());
      // The fixture's chats had nobody online at some hours: those are flagged.
      expect(base.understaffed.length).toBeGreaterThan(0);
      expect(await page.getByTestId('staffing-short').locator('li').count()).toBe(base.understaffed.length);
      expect(await page.getByTestId('staffing-target').inputValue()).toBe('80');
      expect(await page.getByTestId('staffing-sla').inputValue()).toBe('30');
      expect(await page.getByTestId('staffing-summary').textContent()).toContain('7 chats');
      await screenshot(page, 'dashboard-staffing');

      // A stricter goal with one chat per operator: recalculated by the server, CSV with the same inputs.
      await page.getByTestId('staffing-target').fill('95');
      await page.getByTestId('staffing-sla').fill('10');
      await page.getByTestId('staffing-capacity').fill('1');
      await page.getByTestId('staffing-apply').click();
      await expect.poll(() => page.getByTestId('csv-staffing').getAttribute('href')).toContain('capacity=1');
      await page.locator('[data-loading="true"]').waitFor({ state: 'detached' });
      const strict = await gridMatches(`${week()}&target=0.95&sla=10&capacity=1`);
      const sum = (r: { hours: Hour[] }) => r.hours.reduce((n, h) => n + h.need.operators, 0);
      expect(sum(strict)).toBeGreaterThan(0);
      expect(sum(strict)).toBeGreaterThanOrEqual(sum(base));
      const href = (await page.getByTestId('csv-staffing').getAttribute('href'))!;
      expect(href).toContain('target=0.95');
      expect(href).toContain('sla=10');
      const csv = await page.evaluate(async (u) => (await fetch(u)).text(), href);
      expect(csv.split('\r\n')).toHaveLength(7 * 24 + 2);
      expect(realErrors(owner.errors)).toEqual([]);
    });
  });

  describe('Czech and Russian', () => {
    const pages: [string, string][] = [
      ['dashboards/overview', 'overview-cards'],
      ['dashboards/coverage', 'coverage-chart'],
      ['dashboards/wait', 'wait-chart'],
      ['dashboards/ratings', 'rating-comments'],
      ['dashboards/volume', 'volume-heatmap'],
      ['dashboards/operators', 'operators-dash-table'],
      ['dashboards/staffing', 'staffing-grid'],
      ['admin/operators', 'operators-table'],
      ['admin/sites', 'embed-html'],
    ];

    it('every admin and dashboard page in Czech has no English left', async () => {
      await page.getByTestId('language-select').selectOption('cs');
      await page.getByText('Přehledy').first().waitFor();
      const found: Record<string, string[]> = {};
      for (const [path, ready] of pages) {
        const hash = path.startsWith('dashboards') ? `#/${path}?${week()}` : `#/${path}`;
        await go(page, hash, ready);
        const left = await leftovers(page, CS);
        if (left.length) found[path] = left;
        if (path === 'dashboards/staffing' || path === 'admin/sites' || path === 'dashboards/coverage')
          await screenshot(page, `dashboard-cs-${path.replace('/', '-')}`);
      }
      expect(found).toEqual({});
      // Czech numbers and units.
      await go(
        page,
        `#/dashboards/overview?site=${server.site.id}&from=2026-03-10&to=2026-03-11`,
        'overview-cards',
      );
      expect(await page.getByTestId('card-coverage-value').textContent()).toBe('31,25 %');
      expect(await page.getByTestId('card-coverage-change').textContent()).toBe(
        '+22,92 p. b. proti předchozímu',
      );
    });

    it('every admin and dashboard page in Russian has no Latin words but names and codes', async () => {
      await page.getByTestId('language-select').selectOption('ru');
      await page
        .getByText('Отчёты')
        .first()
        .waitFor({ state: 'attached' })
        .catch(() => undefined);
      const found: Record<string, string[]> = {};
      for (const [path, ready] of pages) {
        const hash = path.startsWith('dashboards') ? `#/${path}?${week()}` : `#/${path}`;
        await go(page, hash, ready);
        const left = [...(await latinInRussian(page)), ...(await leftovers(page, RU))];
        if (left.length) found[path] = left;
        if (path === 'dashboards/staffing' || path === 'dashboards/overview')
          await screenshot(page, `dashboard-ru-${path.replace('/', '-')}`);
      }
      expect(found).toEqual({});
      await page.getByTestId('language-select').selectOption('en');
      expect(realErrors(owner.errors)).toEqual([]);
    });
  });

  describe("an operator's own figures", () => {
    it('Ann sees her own figures, the same as the owner sees for her, and nobody else’s', async () => {
      const ann = await openConsole(browser, server, 'ann@test.local', 'pw-Ann', {
        width: 1280,
        height: 800,
      });
      const p = ann.page;
      expect(await p.getByTestId('nav-dashboards').textContent()).toBe('My figures');
      expect(await p.getByTestId('nav-admin').count()).toBe(0);
      const range = `site=${server.site.id}&from=2026-03-10&to=2026-03-11`;
      // Even the owner's operators tab in the URL shows only her figures.
      await go(p, `#/dashboards/operators?${range}`, 'my-figures');
      expect(await p.getByTestId('dash-tab-operators').count()).toBe(0);
      const all = (await api(page, `/api/dashboard/operators?${range}`)) as {
        current: { operators: { operatorId: string; name: string; chats: number; onlineMinutes: number }[] };
      };
      const hers = all.current.operators.find((o) => o.name === 'Ann')!;
      expect(hers.chats).toBeGreaterThan(0);
      expect(await p.getByTestId('card-mine-chats-value').textContent()).toBe(String(hers.chats));
      // (The workspace lists colleagues online; the figures page names nobody but her.)
      const figures = await screenText(p, '[data-testid="dashboards"]');
      expect(figures).not.toContain('Bob');
      expect(figures).toContain(String(hers.chats));
      // Her session cannot read the team's figures.
      const status = await p.evaluate(
        async (u) => (await fetch(u, { credentials: 'same-origin' })).status,
        `/api/dashboard/operators?${range}`,
      );
      expect(status).toBe(403);
      await screenshot(p, 'dashboard-my-figures');
      expect(realErrors(ann.errors)).toEqual([]);
      await ann.ctx.close();
    });
  });

  describe('setup checklist', () => {
    it('a new site shows what is left to do, and ticks business hours once they are saved', async () => {
      await page.getByTestId('language-select').selectOption('en');
      await page.evaluate(() => {
        location.hash = '#/admin/sites';
      });
      await page.getByTestId('site-form').waitFor();
      await page.getByLabel('New site name').fill('Second shop');
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await page.locator('[data-testid="site-form"] h2', { hasText: 'Second shop' }).waitFor();
      const list = page.getByTestId('setup-checklist');
      await list.waitFor();
      for (const id of ['availability', 'hours', 'texts', 'embed', 'testChat'])
        expect(await page.getByTestId(`setup-${id}`).getAttribute('data-done'), id).toBe('false');
      // A new site is offered to every operator (all ticked when it was added).
      expect(await page.getByTestId('setup-operators').getAttribute('data-done')).toBe('true');
      await screenshot(page, 'dashboard-setup-checklist');
      await page.getByTestId('hours-on').check();
      await page.getByTestId('site-save').click();
      await expect
        .poll(() => page.getByTestId('setup-hours').getAttribute('data-done'), { timeout: 5000 })
        .toBe('true');
      expect(await list.textContent()).toContain('2 of 6 done');
      expect(realErrors(owner.errors)).toEqual([]);
    });
  });
});
