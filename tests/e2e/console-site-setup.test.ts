import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, launchBrowser, screenshot } from '../helpers/browser.js';
import { OWNER_EMAIL, OWNER_PASSWORD, startServer, type TestServer } from '../helpers/start-server.js';
import { openConsole, realErrors } from './console-helpers.js';

/**
 * An owner sets a site up from Admin → Sites without reading docs (issue #12.10): decides whether they answer
 * chats (the header's capacity follows), adds a second site for the operators they tick, and changes a site key
 * after a warning and a confirmation.
 */
describeBrowser('console site setup', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('availability step, a new site for the ticked operators, and a site key change with a warning', async () => {
    const ann = await server.createOperator('Ann', 2);
    const bob = await server.createOperator('Bob', 2);
    const owner = await openConsole(browser, server, OWNER_EMAIL, OWNER_PASSWORD);
    const { page } = owner;
    await page.getByTestId('nav-admin').click();
    await page.getByTestId('admin-tab-sites').click();
    await page.getByTestId('site-form').waitFor();

    // 1. "I will not answer chats": capacity 0 on the server and in the header.
    const step = page.getByTestId('setup-availability');
    await step.waitFor();
    expect(await step.getAttribute('data-done')).toBe('false');
    await screenshot(page, 'console-setup-availability');
    await page.getByTestId('setup-answer-no').click();
    await expect.poll(() => step.getAttribute('data-done')).toBe('true');
    await expect.poll(() => page.getByTestId('capacity-input').inputValue()).toBe('0');
    const me = await server.app.store.getOperatorByEmail(OWNER_EMAIL);
    expect(me).toMatchObject({ capacity: 0, answersChats: false });
    await page.getByTestId('setup-answer-yes').click();
    await expect.poll(() => page.getByTestId('capacity-input').inputValue()).toBe('3');

    // 2. A second site, offered to the operators: untick Bob.
    await page.getByTestId('new-site-name').fill('Second shop');
    const boxes = page.getByTestId('new-site-operator');
    await expect.poll(() => boxes.count()).toBe(2);
    expect(await boxes.evaluateAll((els) => els.every((e) => (e as HTMLInputElement).checked))).toBe(true);
    await page.locator(`[data-testid="new-site-operator"][data-operator-id="${bob.id}"]`).uncheck();
    await screenshot(page, 'console-new-site-operators');
    await page.getByTestId('new-site-add').click();
    await expect.poll(() => page.getByTestId('new-site-status').textContent()).toContain('Second shop');
    const second = (await server.app.store.listSites()).find((s) => s.name === 'Second shop')!;
    expect(second.ringTimeoutSeconds).toBe(45);
    expect((await server.app.store.getOperator(ann.id))?.siteIds).toContain(second.id);
    expect((await server.app.store.getOperator(bob.id))?.siteIds).not.toContain(second.id);

    // 3. The new site is selected; change its key: warning first, then a confirmation naming both keys.
    await page.getByTestId('site-key-change').click();
    await page.getByTestId('site-key-editor').waitFor();
    expect(await page.getByTestId('site-key-editor').textContent()).toContain('breaks every embed snippet');
    await page.getByTestId('site-key-input').fill('Second Shop');
    await page.getByTestId('site-key-save').click();
    await expect
      .poll(() => page.getByTestId('site-key-status').textContent())
      .toContain('3 to 40 characters');
    // Taken by the demo site: the server's 409 sentence is shown.
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.accept();
    });
    await page.getByTestId('site-key-input').fill('demo');
    await page.getByTestId('site-key-save').click();
    await expect.poll(() => page.getByTestId('site-key-status').textContent()).toContain('already used');
    await page.getByTestId('site-key-input').fill('second-shop');
    await screenshot(page, 'console-site-key-editor');
    await page.getByTestId('site-key-save').click();
    await expect.poll(() => page.getByTestId('site-key').textContent()).toBe('second-shop');
    expect(dialogs.at(-1)).toContain('"second-shop"');
    expect((await server.app.store.getSite(second.id))?.key).toBe('second-shop');
    await screenshot(page, 'console-site-key-changed');

    expect(realErrors(owner.errors)).toEqual([]);
    await owner.ctx.close();
  });
});
