import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, launchBrowser, screenshot } from '../helpers/browser.js';
import { OWNER_EMAIL, OWNER_PASSWORD, startServer, type TestServer } from '../helpers/start-server.js';
import { clientId, connectVisitor } from '../helpers/ws-client.js';
import { openConsole, realErrors } from './console-helpers.js';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Serious and critical axe findings on the page, in light and dark colour schemes (issue #12.2). */
async function axeProblems(page: Page): Promise<string[]> {
  const problems: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
    const found = await page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: {
            run: (
              d: Document,
            ) => Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }>;
          };
        }
      ).axe;
      const r = await axe.run(document);
      return r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        targets: v.nodes.map((n) => JSON.stringify(n.target)),
      }));
    });
    for (const v of found)
      if (v.impact === 'serious' || v.impact === 'critical')
        problems.push(`${colorScheme}: ${v.id} ${v.targets.slice(0, 3).join(' ')}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return problems;
}

/**
 * The offline inbox in Chromium (issue #12.7): messages left while no console was open and missed chats are
 * listed with a badge when an operator comes online; answering one changes it for every operator, also after
 * a reload; a message left while a console is open raises its badge at once. Ann's console is in Czech
 * because her account says so (the language is stored on the server, not in this browser).
 */
describeBrowser('console offline inbox', () => {
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

  async function leaveMessage(name: string, email: string, text: string): Promise<string> {
    const { client } = await connectVisitor(server.wsUrl, server.origin);
    const cid = clientId();
    client.send({ type: 'offline_message', clientId: cid, name, email, text });
    const ack = await client.next<{ conversationId: string }>((f) => f.type === 'ack' && f.clientId === cid);
    await client.close();
    return ack.conversationId;
  }

  it('lists what was left while nobody was online, with a badge; answering it changes it for everyone', async () => {
    const jana = await leaveMessage('Jana', 'jana@example.com', 'Please call me back about order 77');
    await leaveMessage('Petr', 'petr@example.com', 'Do you ship to Slovakia?');
    // A chat that left the queue unanswered.
    const now = Date.now();
    const visitor = await server.app.store.createVisitor({
      siteId: server.site.id,
      tokenHash: 'x',
      name: 'Olga',
      email: null,
      lang: null,
      userAgent: null,
      createdAt: now,
      lastSeenAt: now,
    });
    const missed = await server.app.store.createConversation({
      siteId: server.site.id,
      visitorId: visitor.id,
      status: 'missed',
      createdAt: now + 1,
      enqueuedAt: now,
      visitorName: 'Olga',
    });
    await server.app.store.appendMessage({
      conversationId: missed.id,
      clientId: clientId(),
      author: 'visitor',
      operatorId: null,
      authorName: 'Olga',
      text: 'Is anyone there?',
      at: now + 1,
    });

    const owner = await openConsole(browser, server, OWNER_EMAIL, OWNER_PASSWORD);
    const { page } = owner;
    const badge = page.getByTestId('inbox-badge');
    await expect.poll(() => badge.textContent(), { timeout: 10_000 }).toBe('3');
    await page.getByTestId('offline-inbox').waitFor();
    expect(await page.getByTestId('offline-item').count()).toBe(3);
    await screenshot(page, 'console-inbox-beside-queue');

    await page.getByTestId('nav-inbox').click();
    await page.getByTestId('inbox-page').waitFor();
    const items = page.getByTestId('inbox-item');
    await expect.poll(() => items.count()).toBe(3);
    const janaCard = page.locator(`[data-testid="inbox-item"][data-conversation-id="${jana}"]`);
    expect(await janaCard.getByTestId('inbox-reply').getAttribute('href')).toMatch(
      /^mailto:jana%40example\.com\?subject=/,
    );
    await screenshot(page, 'console-inbox-page');
    expect(await axeProblems(page)).toEqual([]);

    await janaCard.getByTestId('inbox-answered').click();
    await expect.poll(() => badge.textContent()).toBe('2');
    await expect.poll(() => items.count()).toBe(2);
    const closedCard = page.locator(`[data-testid="inbox-item"][data-conversation-id="${missed.id}"]`);
    await closedCard.getByTestId('inbox-close').click();
    await expect.poll(() => badge.textContent()).toBe('1');

    // Server-side: after a reload the count is the same.
    await page.reload();
    await page.locator('[data-testid="connection"][data-phase="open"]').waitFor({ state: 'attached' });
    await expect.poll(() => page.getByTestId('inbox-badge').textContent(), { timeout: 10_000 }).toBe('1');
    await page.getByTestId('nav-inbox').click();
    await page.getByTestId('inbox-filter-answered').click();
    const answered = page.locator(`[data-testid="inbox-item"][data-conversation-id="${jana}"]`);
    await answered.waitFor();
    expect(await answered.getAttribute('data-status')).toBe('answered');
    expect(await answered.textContent()).toContain('Answered by Owner');
    await screenshot(page, 'console-inbox-answered');
    expect(await axeProblems(page)).toEqual([]);

    // Ann comes online later, in Czech (her account's language): she sees the same single open item.
    const ann = await server.createOperator('Ann', 2);
    await server.app.store.updateOperator(ann.id, { locale: 'cs' });
    const annConsole = await openConsole(browser, server, ann.email, ann.password);
    const annPage = annConsole.page;
    await expect
      .poll(() => annPage.getByTestId('nav-inbox').textContent(), { timeout: 10_000 })
      .toContain('Schránka');
    await expect.poll(() => annPage.getByTestId('inbox-badge').textContent()).toBe('1');
    expect(await annPage.locator('html').getAttribute('lang')).toBe('cs');

    // A message left now reaches both open consoles at once (no reload, no refresh interval).
    await leaveMessage('Eva', 'eva@example.com', 'Hello from the form');
    await expect.poll(() => annPage.getByTestId('inbox-badge').textContent(), { timeout: 5_000 }).toBe('2');
    await expect.poll(() => page.getByTestId('inbox-badge').textContent(), { timeout: 5_000 }).toBe('2');
    await annPage.getByTestId('nav-inbox').click();
    await annPage.getByTestId('inbox-page').waitFor();
    await expect.poll(() => annPage.getByTestId('inbox-item').count()).toBe(2);
    await screenshot(annPage, 'console-inbox-cs');
    // On a phone the list fits the screen: nothing scrolls sideways.
    await annPage.setViewportSize({ width: 375, height: 667 });
    await expect
      .poll(() => annPage.evaluate(() => document.documentElement.scrollWidth))
      .toBeLessThanOrEqual(375);
    await screenshot(annPage, 'console-inbox-phone-cs');

    expect(realErrors(owner.errors)).toEqual([]);
    expect(realErrors(annConsole.errors)).toEqual([]);
    await owner.ctx.close();
    await annConsole.ctx.close();
  });
});
