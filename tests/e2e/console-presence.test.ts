import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, launchBrowser, screenshot } from '../helpers/browser.js';
import { OWNER_EMAIL, OWNER_PASSWORD, startServer, type TestServer } from '../helpers/start-server.js';
import { openConsole, realErrors, visitorSays } from './console-helpers.js';

/**
 * Ring timeout as operators see it: a chat assigned to someone who does not answer in time leaves their
 * console with a notice, they become away, and a colleague's console gets the chat at once.
 */
describeBrowser('console presence and ring timeout', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer();
    await server.app.store.updateSite(server.site.id, { ringTimeoutSeconds: 3 });
    await server.app.relay.refreshSite(server.site.id);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('an unanswered chat moves to the next operator and the first one is told why', async () => {
    // The owner has the most free capacity, so routing offers the chat to them first.
    const owner = await openConsole(browser, server, OWNER_EMAIL, OWNER_PASSWORD);
    const boris = await server.createOperator('Boris', 1);
    const colleague = await openConsole(browser, server, 'boris@test.local', boris.password);
    await expect
      .poll(() => owner.page.locator('[data-testid="team-member"][data-status="online"]').count())
      .toBe(2);

    const visitor = await visitorSays(server, 'Is anybody there?');
    await owner.page.getByTestId('chat-item').waitFor();

    // Nobody answers: within the ring timeout it is gone, with a notice, and the owner is away.
    await owner.page.getByTestId('chat-item').waitFor({ state: 'detached', timeout: 10_000 });
    await expect.poll(() => owner.page.getByTestId('notice').textContent()).toMatch(/not answered in time/);
    await expect.poll(() => owner.page.getByTestId('presence-select').inputValue()).toBe('away');
    await colleague.page.getByTestId('chat-item').waitFor({ timeout: 10_000 });
    await colleague.page
      .locator('[data-testid="msg"][data-author="visitor"]')
      .getByText('Is anybody there?')
      .waitFor();
    await screenshot(owner.page, 'console-ring-timeout');

    // Boris answers in time: the chat stays with him.
    await colleague.page.getByTestId('composer').fill('Hi, I am here.');
    await colleague.page.getByTestId('composer').press('Enter');
    await visitor.client.next(
      (f) => f.type === 'message' && (f.message as { text: string }).text === 'Hi, I am here.',
    );

    // Back online by hand, the owner sees the team and their own status again.
    await owner.page.getByTestId('presence-select').selectOption('online');
    await expect.poll(() => owner.page.getByTestId('presence-select').inputValue()).toBe('online');
    await expect.poll(() => colleague.page.getByTestId('chat-item').count()).toBe(1);

    expect(realErrors(owner.errors)).toEqual([]);
    expect(realErrors(colleague.errors)).toEqual([]);
    await visitor.client.close();
    await Promise.all([owner.ctx.close(), colleague.ctx.close()]);
  });
});
