import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, launchBrowser, screenshot } from '../helpers/browser.js';
import { OWNER_EMAIL, OWNER_PASSWORD, startServer, type TestServer } from '../helpers/start-server.js';
import { openConsole, realErrors, receivedTexts, visitorSays } from './console-helpers.js';

/**
 * Issue #12.1: an operator drives the console by keyboard alone at 1280×720. Chats keep their arrival
 * order, so Alt+1/2/3 answer three different visitors even while they keep writing; Alt+W finds the one
 * waiting for an answer; Take is disabled with its reason at full capacity; ending asks first; `?` lists
 * the shortcuts; a stale typing indicator goes away by itself; a draft survives a reload.
 */
describeBrowser('console keyboard driving', () => {
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

  it('answers three visitors with Alt+1/2/3 in arrival order, then drives every action by key', async () => {
    const owner = await openConsole(browser, server, OWNER_EMAIL, OWNER_PASSWORD, {
      width: 1280,
      height: 720,
    });
    const { page } = owner;
    const ann = await visitorSays(server, 'Hi, I am Ann', { name: 'Ann' });
    await expect.poll(() => page.getByTestId('chat-item').count(), { timeout: 10_000 }).toBe(1);
    const ben = await visitorSays(server, 'Hi, I am Ben', { name: 'Ben' });
    await expect.poll(() => page.getByTestId('chat-item').count(), { timeout: 10_000 }).toBe(2);
    const cid = await visitorSays(server, 'Hi, I am Cid', { name: 'Cid' });
    await expect.poll(() => page.getByTestId('chat-item').count(), { timeout: 10_000 }).toBe(3);
    const names = () =>
      page
        .getByTestId('chat-item')
        .evaluateAll((els) => els.map((e) => e.querySelector('.name')?.textContent));
    expect(await names()).toEqual(['Ann', 'Ben', 'Cid']);

    // Alt+1, type, Enter; Ann writes again in between (the old list re-sorted here); Alt+2; Alt+3.
    const composer = page.getByTestId('composer');
    await page.keyboard.press('Alt+1');
    await expect.poll(() => page.getByTestId('chat-title').textContent()).toBe('Ann');
    await page.keyboard.type('Hello Ann');
    await page.keyboard.press('Enter');
    await expect.poll(() => receivedTexts(ann), { timeout: 10_000 }).toEqual(['Hello Ann']);
    await ann.say('One more thing');
    await page.locator('[data-testid="msg"][data-author="visitor"]').getByText('One more thing').waitFor();
    await page.keyboard.press('Alt+2');
    await expect.poll(() => page.getByTestId('chat-title').textContent()).toBe('Ben');
    await expect.poll(() => composer.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('Hello Ben');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Alt+3');
    await expect.poll(() => page.getByTestId('chat-title').textContent()).toBe('Cid');
    await page.keyboard.type('Hello Cid');
    await page.keyboard.press('Enter');
    await expect.poll(() => receivedTexts(ben), { timeout: 10_000 }).toEqual(['Hello Ben']);
    await expect.poll(() => receivedTexts(cid), { timeout: 10_000 }).toEqual(['Hello Cid']);
    expect(receivedTexts(ann)).toEqual(['Hello Ann']);
    expect(await names()).toEqual(['Ann', 'Ben', 'Cid']);

    // Alt+W: the chat waiting for an answer (Ann's second message).
    await page.keyboard.press('Alt+W');
    await expect.poll(() => page.getByTestId('chat-title').textContent()).toBe('Ann');

    // Runs: Ann's two messages in a row after the reply show her name once (two runs, three messages);
    // the header stays one line, the conversation gets the room.
    await ann.say('And a third');
    await page.locator('[data-testid="msg"][data-author="visitor"]').getByText('And a third').waitFor();
    expect(await page.locator('[data-testid="msg"][data-author="visitor"]').count()).toBe(3);
    expect(await page.locator('[data-testid="msg"][data-author="visitor"] .msg-name').count()).toBe(2);
    const head = await page.locator('.chat-head').boundingBox();
    const log = await page.locator('.messages').boundingBox();
    expect(head?.height).toBeLessThan(48);
    expect(log?.height).toBeGreaterThan(440);
    expect(log?.width).toBeGreaterThan(700);
    await screenshot(page, 'console-keyboard-1280x720');

    // Full at capacity 3: Take is disabled and says why; Alt+T does nothing.
    const dan = await visitorSays(server, 'Is anyone there?', { name: 'Dan' });
    await page.getByTestId('queue-item').waitFor();
    await page.getByTestId('take-blocked').getByText('3 of 3 chats').waitFor();
    expect(await page.getByTestId('take-button').isDisabled()).toBe(true);
    await page.keyboard.press('Alt+T');
    await expect.poll(() => page.getByTestId('chat-item').count()).toBe(3);
    await screenshot(page, 'console-take-disabled');

    // `?` outside a text field opens the help; Esc closes it.
    await page.locator('.chat-head h2').click();
    await page.keyboard.press('?');
    await page.getByTestId('help-dialog').getByText('Alt+X').waitFor();
    await screenshot(page, 'console-help');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('help-dialog').isVisible()).toBe(false);

    // Alt+X asks; Esc keeps the chat; Alt+X then Enter ends it.
    await page.keyboard.press('Alt+X');
    await page.getByTestId('end-dialog').getByText('Ann').waitFor();
    await screenshot(page, 'console-end-confirm');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('end-dialog').isVisible()).toBe(false);
    expect(await page.getByTestId('chat-item').count()).toBe(3);
    await page.keyboard.press('Alt+X');
    await page.getByTestId('end-confirm').waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('notice').getByText('Chat with Ann ended.').waitFor();
    // The freed slot goes to Dan at once (the queue drains by itself).
    await expect.poll(() => page.getByTestId('queue-item').count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(names, { timeout: 10_000 }).toEqual(['Ben', 'Cid', 'Dan']);

    // Alt+N switches to notes, Alt+G goes to the tag input, Alt+O toggles away and back.
    await page.keyboard.press('Alt+3');
    await page.keyboard.press('Alt+N');
    await expect.poll(() => page.getByTestId('note-toggle').getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('Alt+N');
    await page.keyboard.press('Alt+G');
    await expect
      .poll(() => page.getByTestId('tag-input').evaluate((el) => el === document.activeElement))
      .toBe(true);
    await page.keyboard.type('vip');
    await page.keyboard.press('Enter');
    await page.getByTestId('tags-bar').getByText('vip').waitFor();
    await page.keyboard.press('Alt+O');
    await expect.poll(() => page.getByTestId('presence-select').inputValue()).toBe('away');
    await page.keyboard.press('Alt+O');
    await expect.poll(() => page.getByTestId('presence-select').inputValue()).toBe('online');

    // A typing indicator whose "stopped" never comes is gone within a few seconds.
    dan.client.send({ type: 'typing', active: true });
    await page.getByTestId('typing-indicator').waitFor();
    await page.getByTestId('typing-indicator').waitFor({ state: 'detached', timeout: 9_000 });

    // A draft survives a reload.
    await page.keyboard.press('Alt+C');
    await page.keyboard.type('Half-written answer');
    await page.reload();
    await page.locator('[data-testid="connection"][data-phase="open"]').waitFor({ state: 'attached' });
    await page.locator('[data-testid="chat-item"]', { hasText: 'Dan' }).click();
    await expect.poll(() => composer.inputValue(), { timeout: 10_000 }).toBe('Half-written answer');

    // Alt+S: the history search, with the focus in it.
    await page.keyboard.press('Alt+S');
    await expect
      .poll(() => page.getByTestId('history-search').evaluate((el) => el === document.activeElement))
      .toBe(true);

    expect(realErrors(owner.errors)).toEqual([]);
    for (const v of [ann, ben, cid, dan]) await v.client.close();
    await owner.ctx.close();
  });
});
