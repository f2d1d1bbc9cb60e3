import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, launchBrowser, screenshot } from '../helpers/browser.js';
import { OWNER_EMAIL, OWNER_PASSWORD, startServer, type TestServer } from '../helpers/start-server.js';
import {
  axeViolations,
  openConsole,
  realErrors,
  visitorSays,
  visitorSaysForTeam,
} from './console-helpers.js';

/**
 * Issue #12.8, console side: the owner creates a Sales team from the setup checklist (Admin → Sites →
 * Teams), renames and deletes another, creates an operator ticked into Sales; a visitor's chat for Sales
 * waits in that operator's queue with the team's name (and not in the owner's, who is not in Sales); the
 * owner transfers a chat of the whole site to Sales; the dashboards filter by team.
 */
describeBrowser('console teams', () => {
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

  it('teams in admin, memberships, the team queue, transfer to a team and the dashboard filter', async () => {
    const owner = await openConsole(browser, server, OWNER_EMAIL, OWNER_PASSWORD, {
      width: 1280,
      height: 720,
    });
    const { page } = owner;
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.accept();
    });

    // 1. The checklist's optional step leads to the site's Teams section, focus in the name field.
    await page.getByTestId('nav-admin').click();
    await page.getByTestId('admin-tab-sites').click();
    const step = page.getByTestId('setup-teams');
    await step.waitFor();
    expect(await step.getAttribute('data-done')).toBe('false');
    await step.getByTestId('setup-teams-go').click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('team-new-name');
    await page.keyboard.type('Sales');
    await page.keyboard.press('Enter');
    const teams = page.getByTestId('site-teams');
    await expect.poll(() => teams.getByTestId('teams-status').textContent()).toContain('"Sales" added');
    // Enter added the team and did not submit the site's settings form.
    expect(await page.getByTestId('site-status').count()).toBe(0);
    await expect.poll(() => step.getAttribute('data-done')).toBe('true');
    expect(await step.textContent()).toContain('1 team: Sales.');

    // A name taken is refused inline; a second team is renamed and deleted (the confirm names the queue).
    await teams.getByTestId('team-new-name').fill('  sales ');
    await teams.getByTestId('team-add').click();
    await expect.poll(() => teams.getByTestId('teams-status').textContent()).toContain('already a team');
    await teams.getByTestId('team-new-name').fill('Support');
    await teams.getByTestId('team-add').click();
    await expect.poll(() => teams.getByTestId('team-row').count()).toBe(2);
    const support = teams.getByTestId('team-row').nth(1);
    await support.getByTestId('team-rename').click();
    await support.getByTestId('team-rename-input').fill('Help desk');
    await support.getByTestId('team-rename-input').press('Enter');
    await expect.poll(() => support.getByTestId('team-name').textContent()).toBe('Help desk');
    // Focus is back on the row's Rename button.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
      .toBe('team-rename');
    let site = await server.app.store.getSite(server.site.id);
    expect(site?.teams.map((t) => t.name)).toEqual(['Sales', 'Help desk']);
    await support.getByTestId('team-delete').click();
    await expect.poll(() => teams.getByTestId('team-row').count()).toBe(1);
    expect(dialogs.at(-1)).toContain("go back to the site's queue");
    site = await server.app.store.getSite(server.site.id);
    expect(site?.teams.map((t) => t.name)).toEqual(['Sales']);
    const sales = site!.teams[0]!;
    expect(await axeViolations(page, 'teams admin')).toEqual([]);
    await teams.scrollIntoViewIfNeeded();
    await screenshot(page, 'console-teams-admin-1280');

    // 2. A new operator ticked into Sales (capacity 0: online, but the chat stays in the queue for her).
    await page.getByTestId('admin-tab-operators').click();
    const form = page.getByTestId('new-operator');
    await form.getByTestId('team-check').waitFor();
    await form.getByTestId('new-operator-email').fill('olga@test.local');
    await form.getByTestId('new-operator-name').fill('Olga');
    await form.getByLabel('Capacity').fill('0');
    await form.locator(`[data-testid="team-check"][data-team-id="${sales.id}"]`).check();
    await form.getByTestId('new-operator-submit').click();
    const password = (await page.getByTestId('new-password-value').textContent()) ?? '';
    const olgaRow = page.locator('[data-testid="operator-row"][data-email="olga@test.local"]');
    await expect.poll(() => olgaRow.getByTestId('operator-teams').textContent()).toContain('Sales');
    const olgaAccount = await server.app.store.getOperatorByEmail('olga@test.local');
    expect(olgaAccount?.teamIds).toEqual([sales.id]);
    expect(olgaAccount?.capacity).toBe(0);

    // 3. A visitor's chat for Sales waits in Olga's queue, labelled; the owner (not in Sales) is not offered it.
    const olga = await openConsole(browser, server, 'olga@test.local', password, {
      width: 1280,
      height: 720,
    });
    const salesVisitor = await visitorSaysForTeam(server, 'How much is the pro plan?', sales.id, 'Mia');
    const queued = olga.page.locator(`[data-testid="queue-item"][data-team-id="${sales.id}"]`, {
      hasText: 'Mia',
    });
    await queued.waitFor({ timeout: 10_000 });
    expect(await queued.getByTestId('team-tag').textContent()).toContain('Sales');
    await page.getByTestId('nav-chats').click();
    await page.locator('#queue-heading').waitFor();
    expect(await page.locator(`[data-testid="queue-item"][data-team-id="${sales.id}"]`).count()).toBe(0);

    // 4. A chat for the whole site goes to the owner, who transfers it to Sales with a note.
    const noTeam = await visitorSays(server, 'I want to buy 40 seats', { name: 'Noah' });
    const noahItem = page.locator('[data-testid="chat-item"]', { hasText: 'Noah' });
    await noahItem.click({ timeout: 10_000 });
    expect(await page.getByTestId('chat-team').count()).toBe(0);
    await page.getByTestId('transfer-button').click();
    const select = page.getByTestId('transfer-select');
    // Keyboard: the select has the options of the site's teams (not "Whole site": the chat is there already).
    const labels = await select.locator('option').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
    expect(labels).toContain('Team Sales');
    expect(labels.some((l) => l.startsWith('Whole site'))).toBe(false);
    await select.focus();
    await select.selectOption({ label: 'Team Sales' });
    await expect.poll(() => page.getByTestId('transfer-hint').textContent()).toContain('in the Sales queue');
    await page.getByTestId('transfer-note').fill('Wants 40 seats, annual');
    expect(await axeViolations(page, 'transfer form')).toEqual([]);
    await screenshot(page, 'console-transfer-team-1280');
    await page.getByTestId('transfer-note').press('Enter');
    await noahItem.waitFor({ state: 'detached', timeout: 10_000 });
    await expect.poll(() => page.getByTestId('notice').textContent()).toContain('in the Sales queue');
    // It now waits for Sales: in Olga's queue with the team's name.
    const moved = olga.page.locator(`[data-testid="queue-item"][data-team-id="${sales.id}"]`, {
      hasText: 'Noah',
    });
    await moved.waitFor({ timeout: 10_000 });
    expect(await moved.getByTestId('team-tag').textContent()).toContain('Sales');
    expect(await olga.page.getByTestId('queue-item').count()).toBe(2);
    const conv = (await server.app.store.listOpenConversations()).find(
      (c) => c.visitorId === noTeam.visitorId,
    );
    expect(conv?.teamId).toBe(sales.id);
    await screenshot(olga.page, 'console-teams-queue-1280');

    // Olga makes room: both Sales chats come to her, the list and the chat header name the team.
    await olga.page.getByTestId('capacity-input').fill('2');
    await olga.page.getByTestId('capacity-input').press('Enter');
    await expect.poll(() => olga.page.getByTestId('chat-item').count(), { timeout: 10_000 }).toBe(2);
    const tags = await olga.page
      .getByTestId('chat-item')
      .getByTestId('team-tag')
      .evaluateAll((els) => els.map((e) => e.textContent));
    expect(tags).toEqual(['Team: Sales', 'Team: Sales']);
    await olga.page.locator('[data-testid="chat-item"]', { hasText: 'Noah' }).click();
    await expect.poll(() => olga.page.getByTestId('chat-team').textContent()).toBe('Team: Sales');
    // The transfer note came along as an internal note.
    await olga.page.locator('[data-testid="msg"][data-author="note"]').getByText('Wants 40 seats').waitFor();
    // From a Sales chat, the whole site's queue is a target and Sales is not.
    await olga.page.getByTestId('transfer-button').click();
    const olgaLabels = await olga.page
      .getByTestId('transfer-select')
      .locator('option')
      .evaluateAll((els) => els.map((e) => e.textContent ?? ''));
    expect(olgaLabels).toContain('Whole site (Demo shop)');
    expect(olgaLabels).not.toContain('Team Sales');
    await screenshot(olga.page, 'console-teams-chat-1280');
    // Team tags, the chat header and the transfer form pass axe in the dark scheme too.
    await olga.page.emulateMedia({ colorScheme: 'dark' });
    expect(await axeViolations(olga.page, 'team chat (dark)')).toEqual([]);

    // 5. Dashboards: the Team select adds teamId to the figures and the CSV links.
    await page.getByTestId('nav-dashboards').click();
    const teamSelect = page.getByTestId('dash-team');
    await teamSelect.waitFor();
    const asked = page.waitForRequest((r) => /\/api\/dashboard\/overview\?.*teamId=/.test(r.url()));
    await teamSelect.selectOption({ label: 'Sales' });
    expect(new URL((await asked).url()).searchParams.get('teamId')).toBe(sales.id);
    expect(await page.getByTestId('csv-chats').getAttribute('href')).toContain(`teamId=${sales.id}`);
    await teamSelect.selectOption({ label: 'All teams' });
    await expect.poll(() => page.getByTestId('csv-chats').getAttribute('href')).not.toContain('teamId');

    // Editing an operator: unticking Sales is saved as her teams.
    await page.getByTestId('nav-admin').click();
    await page.getByTestId('admin-tab-operators').click();
    await olgaRow.getByRole('button', { name: 'Edit' }).click();
    const editing = page.locator('tr.editing');
    await editing.locator(`[data-testid="team-check"][data-team-id="${sales.id}"]`).uncheck();
    await editing.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(async () => (await server.app.store.getOperatorByEmail('olga@test.local'))?.teamIds)
      .toEqual([]);
    expect(await olgaRow.getByTestId('operator-teams').count()).toBe(0);

    // 6. Phone (375×667): the Teams section and the transfer form fit the width.
    const phone = await openConsole(browser, server, OWNER_EMAIL, OWNER_PASSWORD, {
      width: 375,
      height: 667,
    });
    await phone.page.goto(`${server.origin}/console/#/admin/sites`);
    const phoneTeams = phone.page.getByTestId('site-teams');
    await phoneTeams.scrollIntoViewIfNeeded();
    await screenshot(phone.page, 'console-teams-admin-375');
    const overflow = () => phone.page.evaluate(() => document.documentElement.scrollWidth > innerWidth);
    expect(await overflow()).toBe(false);
    const other = await visitorSays(server, 'Phone check', { name: 'Pia' });
    await phone.page.goto(`${server.origin}/console/#/chats`);
    await phone.page.locator('[data-testid="chat-item"]', { hasText: 'Pia' }).click({ timeout: 10_000 });
    await phone.page.getByTestId('transfer-button').click();
    await phone.page.getByTestId('transfer-select').selectOption({ label: 'Team Sales' });
    await phone.page.getByTestId('transfer-hint').waitFor();
    await screenshot(phone.page, 'console-transfer-team-375');
    expect(await overflow()).toBe(false);

    expect(realErrors(owner.errors)).toEqual([]);
    expect(realErrors(olga.errors)).toEqual([]);
    expect(realErrors(phone.errors)).toEqual([]);
    for (const v of [salesVisitor, noTeam, other]) await v.client.close();
    await Promise.all([owner.ctx.close(), olga.ctx.close(), phone.ctx.close()]);
  });
});
