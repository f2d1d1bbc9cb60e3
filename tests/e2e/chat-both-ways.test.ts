import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, launchBrowser, screenshot, watchErrors } from '../helpers/browser.js';
import { OWNER_EMAIL, OWNER_PASSWORD, startServer, type TestServer } from '../helpers/start-server.js';

/**
 * Issue #2's end-to-end path: a host page with the one script tag, the visitor writes, an operator logged
 * in to the console in a second browser context gets the chat and replies, the visitor sees the reply.
 */
describeBrowser('visitor and operator chat end to end in Chromium', () => {
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

  it('a chat works both ways and follows the visitor to another page', async () => {
    const operatorCtx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const console_ = await operatorCtx.newPage();
    await console_.goto(`${server.origin}/console/`);
    await console_.getByTestId('login-email').fill(OWNER_EMAIL);
    await console_.getByTestId('login-password').fill(OWNER_PASSWORD);
    await console_.getByTestId('login-submit').click();
    await console_.getByTestId('me-name').waitFor();
    await console_.locator('[data-testid="connection"][data-phase="open"]').waitFor({ state: 'attached' });

    const visitorCtx = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    const host = await visitorCtx.newPage();
    const hostErrors = watchErrors(host);
    await host.goto(`${server.origin}/`);
    await host.locator('beseda-widget button.l').click();
    const input = host.locator('beseda-widget textarea');
    await input.fill('Hello! Do you ship to Brno?');
    await input.press('Enter');

    // The operator gets the chat and the visitor's words.
    await console_.getByTestId('chat-item').first().click();
    await expect
      .poll(async () => console_.locator('[data-testid="msg"][data-author="visitor"]').allInnerTexts(), {
        timeout: 10_000,
      })
      .toEqual([expect.stringContaining('Do you ship to Brno?')]);
    await console_.getByTestId('composer').fill('Yes, we deliver to Brno within two days.');
    await console_.getByTestId('composer').press('Enter');

    // The visitor sees the reply with the operator's name.
    await host.locator('beseda-widget').getByText('Yes, we deliver to Brno within two days.').waitFor();
    expect(await host.locator('beseda-widget .av').textContent()).toBe('O'); // the operator's initial avatar
    await screenshot(host, 'e2e-visitor-chat');
    await screenshot(console_, 'e2e-console-chat');

    // Navigation: the conversation is still there on the next page, nothing duplicated.
    await host.goto(`${server.origin}/demo/pricing`);
    await host.locator('beseda-widget').getByText('Yes, we deliver to Brno within two days.').waitFor();
    await expect.poll(() => host.locator('beseda-widget').getByText('Do you ship to Brno?').count()).toBe(1);
    await screenshot(host, 'e2e-visitor-after-navigation');

    const conv = (await server.app.store.listOpenConversations())[0]!;
    const stored = await server.app.store.listMessages(conv.id, 0);
    expect(stored.filter((m) => m.author !== 'system').map((m) => [m.author, m.text])).toEqual([
      ['visitor', 'Hello! Do you ship to Brno?'],
      ['operator', 'Yes, we deliver to Brno within two days.'],
    ]);
    expect(hostErrors).toEqual([]);
    await Promise.all([operatorCtx.close(), visitorCtx.close()]);
  });
});
