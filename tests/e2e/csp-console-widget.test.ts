import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, launchBrowser, screenshot } from '../helpers/browser.js';
import { OWNER_EMAIL, OWNER_PASSWORD, startServer, type TestServer } from '../helpers/start-server.js';
import { openConsole, realErrors } from './console-helpers.js';
import { hostHtml, hostServer } from './widget-kit.js';

/** Records every CSP violation the page reports (securitypolicyviolation events), before any script runs. */
const RECORD_VIOLATIONS = `
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
  });
`;

const violations = (page: Page) => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);

/** Adds an inline <script> the way an injected payload would; returns whether it ran. */
const inlineScriptRuns = (page: Page) =>
  page.evaluate(async () => {
    const w = window as unknown as { __inline?: number };
    const s = document.createElement('script');
    s.textContent = 'window.__inline = 1';
    document.body.append(s);
    await new Promise((r) => setTimeout(r, 50));
    return w.__inline === 1;
  });

/**
 * Issue #9 point 2 in a real browser: the console works under its strict CSP (sign in, live socket, a chat
 * answered), the widget works on the demo page under that page's CSP, neither reports a single violation,
 * and the policies really are enforced (an injected inline script does not run; the console cannot be framed).
 */
describeBrowser('console and widget under their Content-Security-Policy', () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
  });

  it('a whole chat works with zero CSP violations, and injected inline script is blocked on both pages', async () => {
    const operator = await openConsole(browser, server, OWNER_EMAIL, OWNER_PASSWORD);
    contexts.push(operator.ctx);
    // The violation recorder must be in place before the first script: install it, then load again.
    await operator.ctx.addInitScript(RECORD_VIOLATIONS);
    await operator.page.reload();
    await operator.page.getByTestId('me-name').waitFor();
    await operator.page
      .locator('[data-testid="connection"][data-phase="open"]')
      .waitFor({ state: 'attached' });

    const visitorCtx = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    contexts.push(visitorCtx);
    await visitorCtx.addInitScript(RECORD_VIOLATIONS);
    const host = await visitorCtx.newPage();
    const hostErrors: string[] = [];
    host.on('console', (m) => m.type() === 'error' && hostErrors.push(m.text()));
    host.on('pageerror', (e) => hostErrors.push(e.message));
    const response = await host.goto(`${server.origin}/`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");

    // The widget: launcher, lazy chat bundle, styles (constructable sheets), socket — all under the page CSP.
    await host.locator('beseda-widget button.l').click();
    const input = host.locator('beseda-widget textarea');
    await input.fill('Does this work under CSP?');
    await input.press('Enter');
    const radius = await host
      .locator('beseda-widget button.l')
      .evaluate((el) => getComputedStyle(el).borderRadius);
    expect(radius).not.toBe('0px'); // styled: the stylesheet was applied

    // The console: the chat arrives over its socket and the operator answers it.
    const console_ = operator.page;
    await console_.getByTestId('chat-item').first().click();
    await console_
      .locator('[data-testid="msg"][data-author="visitor"]')
      .getByText('Does this work under CSP?')
      .waitFor();
    const reply = console_.getByTestId('composer');
    await reply.fill('Yes, all within the policy.');
    await reply.press('Enter');
    await host.locator('beseda-widget').getByText('Yes, all within the policy.').waitFor();

    await screenshot(console_, 'csp-console');
    await screenshot(host, 'csp-demo-widget');
    expect(await violations(console_)).toEqual([]);
    expect(await violations(host)).toEqual([]);
    expect(realErrors(operator.errors)).toEqual([]);
    expect(hostErrors.filter((e) => /Content Security Policy|Refused/.test(e))).toEqual([]);

    // Enforced, not just declared: an injected inline script runs on neither page and is reported.
    expect(await inlineScriptRuns(console_)).toBe(false);
    expect(await inlineScriptRuns(host)).toBe(false);
    expect((await violations(console_)).some((v) => v.startsWith('script-src'))).toBe(true);
  });

  it('the admin pages and the dashboards (charts) render under the console CSP without a violation', async () => {
    const owner = await server.createOperator('Olga', 1, 'owner');
    const session = await openConsole(browser, server, owner.email, owner.password);
    contexts.push(session.ctx);
    await session.ctx.addInitScript(RECORD_VIOLATIONS);
    const { page } = session;
    await page.reload(); // a hash change alone would not run the recorder in this document
    await page.getByTestId('me-name').waitFor();
    await page.goto(`${server.origin}/console/#/admin/sites`);
    await page.getByTestId('site-form').waitFor();
    await page.goto(`${server.origin}/console/#/dashboards/wait`);
    await page.locator('[data-testid="wait-chart"] canvas').waitFor();
    await screenshot(page, 'csp-console-dashboard');
    expect(await violations(page)).toEqual([]);
    expect(realErrors(session.errors)).toEqual([]);
  });

  it('the console refuses to be framed, even by a page of the same server', async () => {
    const ctx = await browser.newContext();
    contexts.push(ctx);
    const page = await ctx.newPage();
    await page.goto(`${server.origin}/`);
    const refused = page.waitForEvent('console', {
      predicate: (m) => /frame-ancestors/.test(m.text()),
      timeout: 10_000,
    });
    await page.evaluate((src) => {
      const f = document.createElement('iframe');
      f.src = src;
      document.body.append(f);
    }, `${server.origin}/console/`);
    expect((await refused).text()).toContain("frame-ancestors 'none'");
    const frame = page.frames().find((f) => f.url().includes('/console/'));
    const rendered = frame
      ? await frame
          .locator('#app')
          .count()
          .catch(() => 0)
      : 0;
    expect(rendered).toBe(0);
  });

  it('the widget works on another site whose own CSP allows only what docs/security.md asks for', async () => {
    const wsOrigin = server.origin.replace('http', 'ws');
    // Nothing else: no 'unsafe-inline' styles, no images, no frames.
    const policy = `default-src 'none'; script-src ${server.origin}; connect-src ${server.origin} ${wsOrigin}`;
    const host = await hostServer({});
    host.pages['/'] = hostHtml(server, {
      head: `<meta http-equiv="Content-Security-Policy" content="${policy}">`,
    });
    await server.app.store.updateSite(server.site.id, { allowedOrigins: [host.origin] });
    await server.app.relay.refreshSite(server.site.id);
    try {
      const ctx = await browser.newContext({ viewport: { width: 1100, height: 760 } });
      contexts.push(ctx);
      await ctx.addInitScript(RECORD_VIOLATIONS);
      const page = await ctx.newPage();
      await page.goto(`${host.origin}/`);
      await page.locator('beseda-widget button.l').click();
      const input = page.locator('beseda-widget textarea');
      await input.fill('Hello from a strict shop');
      await input.press('Enter');
      await expect
        .poll(async () => (await server.app.store.listOpenConversations()).length, { timeout: 10_000 })
        .toBeGreaterThan(0);
      await page.locator('beseda-widget').getByText('Hello from a strict shop').waitFor();
      const radius = await page
        .locator('beseda-widget button.l')
        .evaluate((el) => getComputedStyle(el).borderRadius);
      expect(radius).not.toBe('0px');
      await screenshot(page, 'csp-strict-host-widget');
      expect(await violations(page)).toEqual([]);
    } finally {
      await host.close();
    }
  });
});
