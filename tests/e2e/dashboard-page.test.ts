import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, launchBrowser, screenshot } from '../helpers/browser.js';
import { seedDashboardFixture } from '../helpers/dashboard-fixture.js';
import { OWNER_EMAIL, OWNER_PASSWORD, startServer, type TestServer } from '../helpers/start-server.js';
import { type ConsoleSession, openConsole, realErrors } from './console-helpers.js';

/**
 * The owner dashboards in Chromium on the hand-computed fixture of server/src/metrics/test-fixture.ts
 * (numbers worked out in docs/metrics.md, "Worked example"): every tab shows exactly those figures.
 */
describeBrowser('console dashboards', () => {
  let server: TestServer;
  let browser: Browser;
  let session: ConsoleSession;
  let page: Page;
  const range = () => `site=${server.site.id}&from=2026-03-10&to=2026-03-11`;
  const open = async (tab: string) => {
    await page.evaluate((h) => {
      location.hash = h;
    }, `#/dashboards/${tab}?${range()}`);
  };
  const text = (testId: string) => page.getByTestId(testId).textContent();

  beforeAll(async () => {
    server = await startServer();
    await seedDashboardFixture(server);
    browser = await launchBrowser();
    session = await openConsole(browser, server, OWNER_EMAIL, OWNER_PASSWORD, { width: 1400, height: 1000 });
    page = session.page;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('overview: the fixture’s figures with the change vs the previous period', async () => {
    await page.getByTestId('nav-dashboards').waitFor();
    await open('overview');
    await page.getByTestId('overview-cards').waitFor();
    expect(await text('card-coverage-value')).toBe('31.25 %');
    expect(await text('card-coverage-change')).toBe('+22.92 pp vs previous');
    expect(await text('card-frt-median-value')).toBe('50 s');
    expect(await text('card-frt-p90-value')).toBe('58 s');
    expect(await text('card-within-sla-value')).toBe('66.67 %');
    expect(await text('card-within-sla-change')).toBe('−33.33 pp vs previous');
    expect(await text('card-missed-value')).toBe('1');
    expect(await text('card-abandonment-value')).toBe('25 %');
    expect(await text('card-abandonment-change')).toBe('−25 pp vs previous');
    expect(await text('card-csat-value')).toBe('50 %');
    expect(await text('card-csat-change')).toBe('−50 pp vs previous');
    expect(await text('card-conversations-value')).toBe('5');
    expect(await text('card-conversations-change')).toBe('+3 (+150 %) vs previous');
    expect(await text('card-wait-median-value')).toBe('20 s');
    expect(await text('card-aht-value')).toBe('11 min 40 s');
    // Improvements are green, regressions red.
    expect(await page.getByTestId('card-coverage-change').getAttribute('class')).toContain('trend-better');
    expect(await page.getByTestId('card-csat-change').getAttribute('class')).toContain('trend-worse');
    // A past range is not live.
    expect(await text('dash-updated')).not.toContain('Live');
    await screenshot(page, 'dashboard-overview');
  });

  it('coverage: one 24 h bar per day with gaps, percentages and who was online', async () => {
    await page.getByTestId('dash-tab-coverage').click();
    await page.getByTestId('coverage-chart').waitFor();
    const days = page.getByTestId('coverage-day');
    expect(await days.count()).toBe(2);
    expect(await page.getByTestId('coverage-day-pct').allTextContents()).toEqual(['41.67 %', '20.83 %']);
    const tue = page.locator('[data-testid="coverage-day"][data-date="2026-03-10"]');
    expect(await tue.getByTestId('coverage-day-who').textContent()).toBe(
      'Ann, BobGaps: 00:00–09:00, 17:00–22:00',
    );
    expect(await tue.locator('[data-kind="gap"]').count()).toBe(2);
    expect(await tue.locator('[data-kind="covered"]').count()).toBe(2);
    // 09:00 → 37.5 % of the bar, 17:00–22:00 → 5/24 of it.
    const style = await tue.locator('[data-kind="gap"]').nth(1).getAttribute('style');
    expect(style).toContain('left: 70.8333');
    expect(style).toContain('width: 20.8333');
    expect(await text('card-coverage-total-value')).toBe('31.25 %');
    expect(await text('card-covered-minutes-value')).toBe('15 h');
    expect(await text('card-gaps-value')).toBe('4');
    await screenshot(page, 'dashboard-coverage');
  });

  it('wait time and ratings: uPlot charts, CSAT and the latest comments', async () => {
    await page.getByTestId('dash-tab-wait').click();
    await page.locator('[data-testid="wait-chart"] canvas').waitFor();
    expect(await text('card-wait-p90-value')).toBe('36 s');
    expect(await text('card-wait-max-value')).toBe('40 s');
    // Hovering a day shows its average wait (Tue: 10 s and 40 s → 25 s).
    const over = page.locator('[data-testid="wait-chart"] .u-over');
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + 2, box.y + box.height / 2);
    await page.locator('[data-testid="wait-chart"] .chart-tooltip:not([hidden])').waitFor();
    expect(await page.locator('[data-testid="wait-chart"] .chart-tooltip').textContent()).toContain(
      'Average wait: 25 s',
    );
    await screenshot(page, 'dashboard-wait');

    await page.getByTestId('dash-tab-ratings').click();
    await page.locator('[data-testid="csat-chart"] canvas').waitFor();
    expect(await text('card-ratings-csat-value')).toBe('50 %');
    expect(await text('card-ratings-rated-value')).toBe('66.67 %');
    const comments = await page.getByTestId('rating-comment').allTextContents();
    expect(comments).toHaveLength(2);
    expect(comments[0]).toContain('Slow');
    expect(comments[0]).toContain('Ann');
    expect(comments[1]).toContain('Great help');
    await screenshot(page, 'dashboard-ratings');
  });

  it('volume heatmap, operators table and CSV links', async () => {
    await page.getByTestId('dash-tab-volume').click();
    await page.getByTestId('volume-heatmap').waitFor();
    const cell = (wd: number, h: number) =>
      page.locator(`[data-testid="heat-cell"][data-weekday="${wd}"][data-hour="${h}"]`).textContent();
    expect(await cell(2, 10)).toBe('2'); // Tue 10:00 and 10:30
    expect(await cell(2, 14)).toBe('1');
    expect(await cell(3, 23)).toBe('1');
    await screenshot(page, 'dashboard-volume');

    await page.getByTestId('dash-tab-operators').click();
    await page.getByTestId('operators-dash-table').waitFor();
    const row = (name: string) => page.locator(`[data-testid="operator-dash-row"][data-name="${name}"]`);
    expect(await row('Ann').locator('[data-col="chats"]').textContent()).toBe('3');
    expect(await row('Ann').locator('[data-col="frt"]').textContent()).toBe('40 s');
    expect(await row('Ann').locator('[data-col="aht"]').textContent()).toBe('11 min 40 s');
    expect(await row('Ann').locator('[data-col="online"]').textContent()).toBe('11 h 30 min');
    expect(await row('Bob').locator('[data-col="online"]').textContent()).toBe('8 h');
    const team = page.getByTestId('operator-team-row');
    expect(await team.locator('[data-col="online"]').textContent()).toBe('19 h 30 min');
    expect(await team.locator('[data-col="frt"]').textContent()).toBe('50 s');
    await screenshot(page, 'dashboard-operators');

    for (const [id, first] of [
      ['csv-chats', 'conversation_id,'],
      ['csv-coverage', 'date,weekday,'],
    ] as const) {
      const href = (await page.getByTestId(id).getAttribute('href'))!;
      expect(href).toContain('from=2026-03-10');
      const body = await page.evaluate(async (h) => (await fetch(h)).text(), href);
      expect(body.startsWith(first), body).toBe(true);
    }
  });

  it('a range that includes today is live; presets change the range in the URL', async () => {
    await page.getByTestId('dash-tab-overview').click();
    await page.getByTestId('preset-today').click();
    await page.waitForFunction(() => !location.hash.includes('2026-03-10'));
    await page.locator('[data-testid="dash-updated"]', { hasText: 'Live' }).waitFor();
    expect(await page.getByTestId('preset-today').getAttribute('aria-pressed')).toBe('true');
    // Custom range back to the fixture.
    await page.getByTestId('preset-custom').click();
    await page.getByTestId('range-from').fill('2026-03-10');
    await page.getByTestId('range-to').fill('2026-03-11');
    await page.getByTestId('range-apply').click();
    await page.locator('[data-testid="card-coverage-value"]', { hasText: '31.25 %' }).waitFor();
    expect(realErrors(session.errors)).toEqual([]);
  });
});
