import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, launchBrowser, screenshot } from '../helpers/browser.js';
import { startServer, type TestServer } from '../helpers/start-server.js';
import { openConsole, realErrors, visitorSays } from './console-helpers.js';

/**
 * The queue panel colours each wait by the site's own thresholds (green → amber → red) and rings once
 * when a visitor arrives and once more when they have waited past the alert threshold.
 */
describeBrowser('console queue alerts', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer();
    await server.app.store.updateSite(server.site.id, { alertAfterSeconds: 10, amberAfterSeconds: 5 });
    await server.app.relay.refreshSite(server.site.id);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('turns a waiting visitor amber, then red past the threshold, with a sound each time', async () => {
    // Capacity 0: the operator is online but takes no chat, so the visitor stays in the queue.
    const op = await server.createOperator('Quinn', 0);
    const session = await openConsole(browser, server, 'quinn@test.local', op.password);
    const { page } = session;

    const visitor = await visitorSays(server, 'Anyone there?');
    const item = page.getByTestId('queue-item');
    await item.waitFor();
    const wait = item.getByTestId('queue-wait');
    await expect.poll(() => wait.getAttribute('data-level'), { timeout: 3_000 }).toBe('ok');
    // One beep pattern for the new visitor (two tones).
    await expect.poll(() => page.evaluate(() => (window as unknown as { __beeps: number }).__beeps)).toBe(2);

    await expect.poll(() => wait.getAttribute('data-level'), { timeout: 15_000 }).toBe('warn');
    await screenshot(page, 'console-queue-amber');
    await expect.poll(() => wait.getAttribute('data-level'), { timeout: 15_000 }).toBe('late');
    expect(Number(await wait.getAttribute('data-seconds'))).toBeGreaterThanOrEqual(10);
    // The overdue alert rings once (three tones), not on every tick.
    await expect.poll(() => page.evaluate(() => (window as unknown as { __beeps: number }).__beeps)).toBe(5);
    await screenshot(page, 'console-queue-red');
    await expect
      .poll(() => item.evaluate((el) => getComputedStyle(el).backgroundColor))
      .not.toBe('rgba(0, 0, 0, 0)');

    // Muted: a new visitor brings no sound.
    await page.getByTestId('mute-toggle').click();
    const second = await visitorSays(server, 'Hello?');
    await expect.poll(() => page.getByTestId('queue-item').count()).toBe(2);
    expect(await page.evaluate(() => (window as unknown as { __beeps: number }).__beeps)).toBe(5);

    expect(realErrors(session.errors)).toEqual([]);
    await visitor.client.close();
    await second.client.close();
    await session.ctx.close();
  });
});
