import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, launchBrowser, screenshot } from '../helpers/browser.js';
import { OWNER_EMAIL, OWNER_PASSWORD, startServer, type TestServer } from '../helpers/start-server.js';
import { openConsole, realErrors } from './console-helpers.js';

/**
 * Owners manage the team and the sites from #/admin; operators see no admin navigation and the server
 * refuses them the admin API.
 */
describeBrowser('console admin', () => {
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

  it('an owner creates an operator who can sign in but cannot reach the admin API', async () => {
    const owner = await openConsole(browser, server, OWNER_EMAIL, OWNER_PASSWORD);
    const { page } = owner;
    await page.getByTestId('nav-admin').click();
    await page.getByTestId('operators-table').waitFor();

    // Create: the generated password is shown once.
    await page.getByTestId('new-operator-email').fill('dana@test.local');
    await page.getByTestId('new-operator-name').fill('Dana');
    await page.getByTestId('new-operator-submit').click();
    const password = (await page.getByTestId('new-password-value').textContent()) ?? '';
    expect(password.length).toBeGreaterThanOrEqual(8);
    await page.locator('[data-testid="operator-row"][data-email="dana@test.local"]').waitFor();
    await screenshot(page, 'console-admin-operators');

    // Site settings: thresholds saved and applied to this console's queue colours.
    await page.getByTestId('admin-tab-sites').click();
    await page.getByTestId('site-form').waitFor();
    await page.getByTestId('site-amber').fill('20');
    await page.getByTestId('site-alert').fill('90');
    await page.getByTestId('hours-on').check();
    await page.getByTestId('week-editor').waitFor();
    await page.getByTestId('site-save').click();
    await expect
      .poll(() => page.getByTestId('site-status').textContent(), { timeout: 10_000 })
      .toBe('Saved.');
    const site = await server.app.store.getSite(server.site.id);
    expect(site).toMatchObject({ amberAfterSeconds: 20, alertAfterSeconds: 90 });
    expect(site?.businessHours?.days).toHaveLength(5);
    await screenshot(page, 'console-admin-site');

    // A server-side check too: a mismatched pair is refused and the error shown.
    await page.getByTestId('site-amber').fill('95');
    await page.getByTestId('site-save').click();
    await expect.poll(() => page.getByTestId('site-status').textContent()).toMatch(/Amber/);

    // Dana signs in with the shown password: no admin navigation, and the API says 403.
    const dana = await openConsole(browser, server, 'dana@test.local', password);
    expect(await dana.page.getByTestId('nav-admin').count()).toBe(0);
    const statuses = await dana.page.evaluate(async () =>
      Promise.all(['/api/admin/operators', '/api/admin/sites'].map(async (url) => (await fetch(url)).status)),
    );
    expect(statuses).toEqual([403, 403]);
    await dana.page.goto(`${server.origin}/console/#/admin`);
    await dana.page.getByTestId('admin-forbidden').waitFor();

    // Reset password: the old one stops working, the new one is shown once.
    await page.getByTestId('admin-tab-operators').click();
    page.once('dialog', (d) => void d.accept());
    await page
      .locator('[data-testid="operator-row"][data-email="dana@test.local"]')
      .getByTestId('reset-password')
      .click();
    const fresh = (await page.getByTestId('new-password-value').textContent()) ?? '';
    expect(fresh).not.toBe(password);
    const oldLogin = await fetch(`${server.origin}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'dana@test.local', password }),
    });
    expect(oldLogin.status).toBe(401);

    // Deactivate.
    await page
      .locator('[data-testid="operator-row"][data-email="dana@test.local"]')
      .getByTestId('toggle-active')
      .click();
    await expect
      .poll(async () => (await server.app.store.getOperatorByEmail('dana@test.local'))?.active)
      .toBe(false);

    expect(realErrors(owner.errors)).toEqual([]);
    await Promise.all([owner.ctx.close(), dana.ctx.close()]);
  });
});
