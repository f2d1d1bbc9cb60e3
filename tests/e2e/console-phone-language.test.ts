import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cs } from '../../console/src/i18n/cs.js';
import { type Entry, en } from '../../console/src/i18n/en.js';
import { ru } from '../../console/src/i18n/ru.js';
import { describeBrowser, launchBrowser, screenshot, watchErrors } from '../helpers/browser.js';
import { OWNER_EMAIL, OWNER_PASSWORD, startServer, type TestServer } from '../helpers/start-server.js';
import { realErrors, receivedTexts, visitorSays } from './console-helpers.js';

/**
 * Issues #12.3 and #12.4: on a phone the console is three screens (list → chat → visitor card) that fit
 * the width, usable in Czech and Russian with no English left on the chats screens; a tablet gets the
 * same screens. Screenshots: test-artifacts/console-phone-*.png, console-tablet-*.png.
 */
type Dictionary = Record<keyof typeof en, Entry>;

/** English phrases (≥ 2 words) a translated screen must not show; placeholders split phrases. */
function englishPhrases(other: Dictionary): string[] {
  const phrases = new Set<string>();
  for (const [key, value] of Object.entries(en)) {
    const theirs = other[key as keyof typeof en];
    const forms = typeof value === 'string' ? [value] : Object.values(value);
    const theirForms = typeof theirs === 'string' ? [theirs] : Object.values(theirs);
    for (const form of forms) {
      if (theirForms.includes(form)) continue;
      for (const part of form.split(/\{\w+\}/)) {
        const phrase = part.trim().replace(/[.:,…]+$/, '');
        // A fragment the translation shares (e.g. "online ·" in Czech) is not a leftover.
        if (theirForms.some((f) => f.includes(phrase))) continue;
        if (phrase.split(/\s+/).length >= 2 && /[a-z]{3}/.test(phrase)) phrases.add(phrase);
      }
    }
  }
  return [...phrases];
}

async function leftovers(page: Page, dictionary: Dictionary): Promise<string[]> {
  // innerText, not textContent: only what is rendered (hidden pages and panels are left out). Message
  // bubbles are left out: what people wrote, and system lines the server words (reported upstream).
  const text = await page.evaluate(() => {
    const body = document.body.cloneNode(true) as HTMLElement;
    for (const el of body.querySelectorAll('[data-testid="msg"]')) el.remove();
    document.body.append(body);
    body.style.position = 'absolute';
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point here
    const visible = body.innerText;
    body.remove();
    return visible;
  });
  const attrs = await page.evaluate(() =>
    [...document.querySelectorAll('[title], [placeholder], [aria-label]')]
      .map((el) => ['title', 'placeholder', 'aria-label'].map((a) => el.getAttribute(a) ?? '').join('\n'))
      .join('\n'),
  );
  const all = `${text}\n${attrs}`;
  return englishPhrases(dictionary).filter((p) => all.includes(p));
}

async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

describeBrowser('console on phones and tablets, in Czech and Russian', () => {
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

  it('answers a chat from a 375×667 phone in Czech, then reads it in Russian', async () => {
    const ctx = await browser.newContext({ viewport: { width: 375, height: 667 }, hasTouch: true });
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await page.goto(`${server.origin}/console/`);
    await page.getByTestId('language-select').selectOption('cs');
    await page.getByText('Přihlaste se a odpovídejte na chaty.').waitFor();
    await screenshot(page, 'console-phone-login-cs');
    await page.getByTestId('login-email').fill(OWNER_EMAIL);
    await page.getByTestId('login-password').fill(OWNER_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.locator('[data-testid="connection"][data-phase="open"]').waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('cs');

    const eva = await visitorSays(server, 'Dobrý den, kde je moje zásilka?', { name: 'Eva' });
    await page.getByTestId('chat-item').waitFor({ timeout: 10_000 });
    // The list screen: my chats and the queue, no conversation beside them.
    expect(await page.getByTestId('composer').isVisible()).toBe(false);
    expect(await fitsWidth(page)).toBe(true);
    expect(await leftovers(page, cs)).toEqual([]);
    await screenshot(page, 'console-phone-list-cs');

    // Tap → the chat screen; the composer is on screen and answers.
    await page.getByTestId('chat-item').tap();
    await page.getByTestId('composer').waitFor();
    expect(await page.getByTestId('chat-item').isVisible()).toBe(false);
    const box = await page.getByTestId('composer').boundingBox();
    expect((box?.y ?? 9999) + (box?.height ?? 0)).toBeLessThanOrEqual(667);
    await page.getByTestId('composer').tap();
    await page.keyboard.type('Dobrý den, hned to zjistím.');
    await page.getByTestId('send-button').tap();
    await expect.poll(() => receivedTexts(eva), { timeout: 10_000 }).toEqual(['Dobrý den, hned to zjistím.']);
    expect(await fitsWidth(page)).toBe(true);
    expect(await leftovers(page, cs)).toEqual([]);
    await screenshot(page, 'console-phone-chat-cs');

    // The visitor card is its own screen, with a way back.
    await page.getByTestId('card-toggle').tap();
    await page.getByTestId('visitor-card').getByText('Eva').first().waitFor();
    expect(await page.getByTestId('composer').isVisible()).toBe(false);
    expect(await leftovers(page, cs)).toEqual([]);
    await screenshot(page, 'console-phone-card-cs');
    await page.getByTestId('back-to-chat').tap();
    await page.getByTestId('composer').waitFor();
    await page.getByTestId('back-to-list').tap();
    await page.getByTestId('chat-item').waitFor();

    // The help dialog in Czech fits the phone.
    await page.getByTestId('help-button').tap();
    await page.getByTestId('help-dialog').getByText('Klávesové zkratky').waitFor();
    expect(await leftovers(page, cs)).toEqual([]);
    await page.getByTestId('help-close').tap();

    // Russian, chosen in the header; kept across a reload.
    await page.getByTestId('language-select').selectOption('ru');
    await page.getByText('Мои чаты').waitFor();
    await page.reload();
    await page.locator('[data-testid="connection"][data-phase="open"]').waitFor();
    await page.getByText('Мои чаты').waitFor();
    await page.getByTestId('chat-item').tap();
    await page.locator('[data-testid="msg"][data-author="operator"]').waitFor();
    expect(await leftovers(page, ru)).toEqual([]);
    await screenshot(page, 'console-phone-chat-ru');
    expect(realErrors(errors)).toEqual([]);
    await eva.client.close();
    await ctx.close();
  });

  it('shows the same screens on a 768×1024 tablet', async () => {
    const ctx = await browser.newContext({ viewport: { width: 768, height: 1024 } });
    const page = await ctx.newPage();
    await page.goto(`${server.origin}/console/`);
    await page.getByTestId('login-email').fill(OWNER_EMAIL);
    await page.getByTestId('login-password').fill(OWNER_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.locator('[data-testid="connection"][data-phase="open"]').waitFor();
    const ota = await visitorSays(server, 'Hello from a tablet test', { name: 'Ota' });
    await page.locator('[data-testid="chat-item"]', { hasText: 'Ota' }).waitFor({ timeout: 10_000 });
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'console-tablet-list');
    await page.locator('[data-testid="chat-item"]', { hasText: 'Ota' }).click();
    await page.getByTestId('composer').waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'console-tablet-chat');
    await ota.client.close();
    await ctx.close();
  });
});
