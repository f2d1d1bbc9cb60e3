import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser } from '../helpers/browser.js';
import type { TestServer } from '../helpers/start-server.js';
import { connectOperator } from '../helpers/ws-client.js';
import { hostHtml, hostServer, updateSite, visitorPage, type WidgetEnv, widgetEnv } from './widget-kit.js';

/**
 * Issue #12.8, the visitor side of teams: "the pre-chat form or the JS API picks one". The site has Sales
 * (Alice, online) and Support (nobody). The pre-chat form lists both, Support marked offline (picking it
 * turns the form into the leave-a-message one, keeping what was typed); the visitor picks Sales and the
 * conversation is stored for Sales and goes to Alice. Without the form, the compact Department row above
 * the composer keeps its pick across a reload, and `Beseda.setTeam('sales')` (queued by a pre-load stub,
 * by name, any case) hides it and routes the chat to Sales.
 */
const SALES = 't-sales';
const SUPPORT = 't-support';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Serious or critical axe-core violations inside the widget (as widget-a11y.test.ts runs it). */
async function axe(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    type Result = { violations: { id: string; impact: string; nodes: { target: unknown }[] }[] };
    const run = (window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<Result> } }).axe.run;
    const r = await run({ include: [['beseda-widget']] }, { resultTypes: ['violations'] });
    return r.violations
      .filter((x) => x.impact === 'serious' || x.impact === 'critical')
      .map((x) => `${x.id} ${x.nodes.map((n) => JSON.stringify(n.target)).join(' ')}`);
  });
}

/**
 * An online operator of the demo site in `teamIds`, over a real socket that pings like the console does
 * (the server stops routing to an operator it has not heard from for a while).
 */
async function teamOperator(server: TestServer, name: string, teamIds: string[]) {
  const op = await server.createOperator(name, 3);
  await server.app.store.updateOperator(op.id, { teamIds });
  await server.app.relay.refreshOperator(op.id);
  const client = await connectOperator(
    server.wsUrl,
    server.origin,
    await server.login(op.email, op.password),
  );
  const ping = setInterval(() => client.send({ type: 'ping' }), 3_000);
  return { op, client, stop: () => clearInterval(ping) };
}

describeBrowser('widget: teams (departments)', () => {
  let env: WidgetEnv;
  let alice: Awaited<ReturnType<typeof teamOperator>>;
  beforeAll(async () => {
    env = await widgetEnv();
    await updateSite(env.server, {
      teams: [
        { id: SALES, name: 'Sales' },
        { id: SUPPORT, name: 'Support' },
      ],
      prechat: { enabled: true, requireEmail: false, topics: [] },
    });
    alice = await teamOperator(env.server, 'Alice', [SALES]);
  });
  afterAll(async () => {
    alice?.stop();
    await env?.close();
  });

  it('the pre-chat form lists the teams; an offline one leads to a message; Sales gets the chat', async () => {
    const { server } = env;
    const v = await visitorPage(env);
    await v.openPanel();
    const select = v.w('form.fm select#bs-team');
    await select.waitFor();
    // Accessible name from its label; the first field, where focus lands.
    expect(await v.page.getByRole('combobox', { name: 'Department' }).count()).toBe(1);
    await expect
      .poll(() => select.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement))
      .toBe(true);
    expect(await select.locator('option').allTextContents()).toEqual([
      'Any department',
      'Sales',
      'Support (offline — leave a message)',
    ]);
    await v.w('#bs-name').fill('Petr');
    await v.w('#bs-text').fill('Do you ship to Brno?');
    await v.shot('widget-teams-prechat');
    expect(await axe(v.page)).toEqual([]);

    // Support has nobody: the leave-a-message form, with what was typed and a way back.
    await select.selectOption(SUPPORT);
    await v.w('#bs-oh').waitFor();
    expect(await axe(v.page)).toEqual([]);
    expect(await v.w('#bs-name').inputValue()).toBe('Petr');
    expect(await v.w('#bs-text').inputValue()).toBe('Do you ship to Brno?');
    await v.w('select#bs-team').selectOption(SALES);
    await v.w('#bs-ph').waitFor();
    expect(await v.w('#bs-text').inputValue()).toBe('Do you ship to Brno?');

    await v.page.setViewportSize({ width: 375, height: 720 });
    await v.shot('widget-teams-prechat-375');
    await v.w('form.fm').getByRole('button', { name: 'Start chat' }).click();

    const send = await v.nextSent((f) => f.type === 'send');
    expect(send).toMatchObject({ text: 'Do you ship to Brno?', teamId: SALES });
    const ack = await v.nextReceived((f) => f.type === 'ack');
    const chat = await alice.client.next<{ conversation: { id: string; status: string; teamId?: string } }>(
      (f) => f.type === 'chat' && (f.conversation as { status: string }).status === 'active',
      15_000,
    );
    expect(chat.conversation).toMatchObject({ id: ack.conversationId, teamId: SALES });
    expect((await server.app.store.getConversation(String(ack.conversationId)))?.teamId).toBe(SALES);
    await v.w('.c textarea').waitFor();
    expect(await v.w('#bs-team').count()).toBe(0); // the chat is going on: nothing to pick
    expect(v.errors).toEqual([]);
    await v.ctx.close();
  });

  it('without the form: a Department row that survives a reload; setTeam("sales") hides it and routes', async () => {
    const { server } = env;
    await updateSite(server, { prechat: { enabled: false, requireEmail: false, topics: [] } });

    const v = await visitorPage(env);
    await v.openPanel();
    const row = v.w('.tb select#bs-team');
    await row.waitFor();
    await v.shot('widget-teams-row');
    expect(await axe(v.page)).toEqual([]);
    // The composer, not the row, has focus: most visitors just type.
    await expect
      .poll(() => v.w('.c textarea').evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement))
      .toBe(true);
    await row.selectOption(SALES);
    await v.page.reload();
    await v.w('.p:not([hidden]) .tb select#bs-team').waitFor();
    expect(await v.w('#bs-team').inputValue()).toBe(SALES);
    await v.ctx.close();

    // The host page picks, by name in any case, queued by a stub before the loader ran.
    const host = await hostServer({
      '/': hostHtml(server, {
        head: `<script>window.Beseda=window.Beseda||function(){(Beseda.q=Beseda.q||[]).push(arguments)};Beseda('setTeam','SALES');</script>`,
      }),
    });
    await updateSite(server, { allowedOrigins: [host.origin] });
    try {
      const p = await visitorPage(env, { url: `${host.origin}/` });
      await p.openPanel();
      await p.w('.c textarea').waitFor();
      await p.say('I would like a quote');
      const send = await p.nextSent((f) => f.type === 'send');
      expect(send).toMatchObject({ text: 'I would like a quote', teamId: SALES });
      expect(await p.w('#bs-team').count()).toBe(0);
      const ack = await p.nextReceived((f) => f.type === 'ack');
      expect((await server.app.store.getConversation(String(ack.conversationId)))?.teamId).toBe(SALES);
      expect(p.errors).toEqual([]);
      await p.ctx.close();
    } finally {
      await host.close();
    }
  });
});
