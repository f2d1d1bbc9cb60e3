import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, launchBrowser, screenshot } from '../helpers/browser.js';
import { OWNER_EMAIL, OWNER_PASSWORD, startServer, type TestServer } from '../helpers/start-server.js';
import { openConsole, realErrors, receivedTexts, visitorSays } from './console-helpers.js';

/**
 * Issue #4's workspace path: one operator handles three chats at once, inserts a canned response, adds an
 * internal note and a tag, sees a visitor's typing preview, transfers a chat to a colleague working in
 * another browser context, and a reload shows the same workspace.
 */
describeBrowser('operator console workspace', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    // A reload must fit in the grace period (operators past it lose their chats): 5 s as in production.
    server = await startServer({ operatorGraceMs: 5_000 });
    await server.app.store.updateSite(server.site.id, { typingPreview: true });
    await server.app.relay.refreshSite(server.site.id);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('handles three chats, canned response, note, tag, typing preview, transfer and reload', async () => {
    const owner = await openConsole(browser, server, OWNER_EMAIL, OWNER_PASSWORD);
    const { page } = owner;

    // A personal canned response, made on the canned page.
    await page.getByTestId('nav-canned').click();
    await page.getByTestId('canned-shortcut').fill('thanks');
    await page
      .getByTestId('canned-text')
      .fill('Thanks {{visitor.name}}, this is {{operator.name}}. Checking now.');
    await page.getByTestId('canned-save').click();
    await page.locator('[data-testid="canned-row"][data-shortcut="thanks"]').waitFor();
    await screenshot(page, 'console-canned-page');
    await page.getByTestId('nav-chats').click();

    // Three visitors at once; Eve tells the page who she is (unsigned, so "unverified").
    const eve = await visitorSays(server, 'Hi, my parcel is late', {
      name: 'Eve',
      email: 'eve@example.com',
      attributes: { plan: 'pro' },
    });
    const bob = await visitorSays(server, 'Do you ship to Brno?');
    const cat = await visitorSays(server, 'I need an invoice');
    await expect.poll(() => page.getByTestId('chat-item').count(), { timeout: 10_000 }).toBe(3);
    // In arrival order, each with its own timer.
    const order = await page
      .getByTestId('chat-item')
      .evaluateAll((els) => els.map((e) => e.textContent ?? ''));
    expect(order[0]).toContain('Eve');
    await expect.poll(() => page.getByTestId('chat-wait').count()).toBe(3);

    // Alt+1 opens Eve's chat; the visitor card shows who she is.
    await page.keyboard.press('Alt+1');
    await expect.poll(() => page.getByTestId('chat-title').textContent()).toBe('Eve');
    const card = page.getByTestId('visitor-card');
    await card.getByTestId('visitor-email').getByText('eve@example.com').waitFor();
    await card.getByTestId('unverified').waitFor();
    await card.getByTestId('visitor-attributes').getByText('pro').waitFor();

    // Canned response through "/": filtered, inserted with placeholders filled, sent with Enter.
    const composer = page.getByTestId('composer');
    await composer.click();
    await composer.pressSequentially('/than');
    await page.getByTestId('canned-option').first().waitFor();
    await screenshot(page, 'console-canned-popup');
    await composer.press('Enter');
    await expect.poll(() => composer.inputValue()).toBe('Thanks Eve, this is Owner. Checking now.');
    await composer.press('Enter');
    await expect
      .poll(() => receivedTexts(eve), { timeout: 10_000 })
      .toEqual(['Thanks Eve, this is Owner. Checking now.']);

    // An internal note (Ctrl+Enter): styled apart, never delivered to the visitor.
    await composer.fill('VIP customer, be generous');
    await composer.press('Control+Enter');
    const note = page.locator('[data-testid="msg"][data-author="note"]');
    await note.getByText('VIP customer, be generous').waitFor();
    // Polled: the pending bubble is replaced by the acknowledged one, and a detached node has no style.
    await expect.poll(() => note.evaluate((el) => getComputedStyle(el).borderStyle)).toBe('dashed');
    await composer.fill('A courier is on the way.');
    await composer.press('Enter');
    await expect.poll(() => receivedTexts(eve)).toHaveLength(2);
    expect(receivedTexts(eve)).not.toContain('VIP customer, be generous');

    // A tag, confirmed by the server's chat frame.
    await page.getByTestId('tag-input').fill('Billing');
    await page.getByTestId('tag-input').press('Enter');
    await page.getByTestId('tags-bar').getByTestId('tag').getByText('billing').waitFor();

    // Eve is answered; the list keeps its arrival order, and Alt+W goes to the visitor waiting longest for
    // an answer: Bob. His draft shows live while he types (typing preview is on for this site).
    await page.keyboard.press('Alt+W');
    await page
      .locator('[data-testid="chat-item"][aria-current="true"]', { hasText: 'Do you ship to Brno?' })
      .waitFor();
    bob.client.send({ type: 'typing', active: true, preview: 'Also, is delivery fr' });
    await page.getByTestId('typing-indicator').getByText('Also, is delivery fr').waitFor();
    await screenshot(page, 'console-three-chats');

    // A colleague comes online in another browser; Cat's chat is transferred to him with a note.
    const boris = await server.createOperator('Boris', 2);
    const colleague = await openConsole(browser, server, 'boris@test.local', boris.password);
    const catItem = page.locator('[data-testid="chat-item"]', { hasText: 'I need an invoice' });
    await catItem.click();
    await page.getByTestId('transfer-button').click();
    const option = page.getByTestId('transfer-select').locator('option', { hasText: 'Boris' });
    await expect.poll(() => option.isDisabled(), { timeout: 10_000 }).toBe(false);
    await page.getByTestId('transfer-select').selectOption({ label: (await option.textContent()) ?? '' });
    await page.getByTestId('transfer-note').fill('Needs an invoice for order 1042');
    await page.getByTestId('transfer-submit').click();
    await expect.poll(() => page.getByTestId('chat-item').count(), { timeout: 10_000 }).toBe(2);
    // Boris gets the chat with everything said so far and the note, which heads his chat list row.
    await colleague.page.getByTestId('chat-item').getByText('Needs an invoice for order 1042').waitFor();
    await colleague.page.getByTestId('chat-item').first().click();
    await colleague.page
      .locator('[data-testid="msg"][data-author="visitor"]')
      .getByText('I need an invoice')
      .waitFor();
    await colleague.page.locator('[data-testid="msg"][data-author="note"]').getByText('order 1042').waitFor();
    await screenshot(colleague.page, 'console-after-transfer-colleague');

    // Bob is answered; Cat now talks to Boris.
    await catItem.waitFor({ state: 'detached' });
    await cat.say('Thanks!');
    await colleague.page.locator('[data-testid="msg"][data-author="visitor"]').getByText('Thanks!').waitFor();

    // A reload restores the same workspace: two chats, Eve's tag and messages.
    await page.reload();
    await page.locator('[data-testid="connection"][data-phase="open"]').waitFor({ state: 'attached' });
    await expect.poll(() => page.getByTestId('chat-item').count(), { timeout: 10_000 }).toBe(2);
    await page.locator('[data-testid="chat-item"]', { hasText: 'Eve' }).click();
    await page.getByTestId('tags-bar').getByText('billing').waitFor();
    await page.locator('[data-testid="msg"][data-author="note"]').getByText('VIP customer').waitFor();
    await page
      .locator('[data-testid="msg"][data-author="operator"]')
      .getByText('A courier is on the way.')
      .waitFor();
    await screenshot(page, 'console-after-reload');

    // History finds the tagged conversation once it ended, and offers the exports.
    // Ending asks first.
    await page.getByTestId('end-chat').click();
    await page.getByTestId('end-confirm').click();
    await expect.poll(() => page.getByTestId('chat-item').count(), { timeout: 10_000 }).toBe(1);
    await page.getByTestId('nav-history').click();
    await page.getByTestId('history-tag').fill('billing');
    await page.getByTestId('history-submit').click();
    await expect.poll(() => page.getByTestId('history-result').count(), { timeout: 10_000 }).toBe(1);
    await page.getByTestId('history-result').first().click();
    await page.getByTestId('transcript').waitFor();
    const txtHref = await page.getByTestId('export-txt').getAttribute('href');
    const exported = await page.evaluate(async (href) => {
      const res = await fetch(href ?? '');
      return { status: res.status, body: await res.text() };
    }, txtHref);
    expect(exported.status).toBe(200);
    expect(exported.body).toContain('A courier is on the way.');
    await screenshot(page, 'console-history');

    expect(realErrors(owner.errors)).toEqual([]);
    expect(realErrors(colleague.errors)).toEqual([]);
    for (const v of [eve, bob, cat]) await v.client.close();
    await Promise.all([owner.ctx.close(), colleague.ctx.close()]);
  });
});
