import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser } from '../helpers/browser.js';
import { operator, updateSite, visitorPage, type WidgetEnv, widgetEnv } from './widget-kit.js';

/**
 * Issue #3.9: keyboard operable (focus into the panel on open, Esc closes and gives focus back), an
 * aria-live region for new messages, full screen below 480 px, and axe-core (run in Chromium, through the
 * open shadow root) finds no serious or critical violation in any state of the panel.
 */
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

async function axe(page: Page, state: string): Promise<string[]> {
  // Evaluated over the DevTools protocol: the demo page's CSP (script-src 'self') refuses inline script tags.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const r = await (
      window as unknown as {
        axe: {
          run: (
            ctx: unknown,
            o: unknown,
          ) => Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }>;
        };
      }
    ).axe.run({ include: [['beseda-widget']] }, { resultTypes: ['violations'] });
    return r.violations.map((x) => ({
      id: x.id,
      impact: x.impact,
      targets: x.nodes.map((n) => JSON.stringify(n.target)),
    }));
  });
  return violations
    .filter((x) => x.impact === 'serious' || x.impact === 'critical')
    .map((x) => `${state}: ${x.id} ${x.targets.join(' ')}`);
}

describeBrowser('widget: accessibility', () => {
  let env: WidgetEnv;
  beforeAll(async () => {
    env = await widgetEnv();
  });
  afterAll(async () => env?.close());

  it('is keyboard operable, announces messages politely, and passes axe in every state', async () => {
    const { server } = env;
    const problems: string[] = [];
    const v = await visitorPage(env);
    await v.w('button.l.w').waitFor();
    problems.push(...(await axe(v.page, 'launcher')));

    // Offline form with errors (nobody online yet).
    await v.w('button.l').focus();
    await v.page.keyboard.press('Enter');
    await v.w('.p:not([hidden])').waitFor();
    expect(
      await v.w('#bs-name').evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement),
    ).toBe(true);
    await v.w('form.fm button[type=submit]').click();
    await v.w('#bs-email-e').waitFor();
    problems.push(...(await axe(v.page, 'offline form')));
    await v.page.keyboard.press('Escape');
    await v.w('.p[hidden]').waitFor({ state: 'attached' });
    expect(
      await v.w('button.l').evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement),
    ).toBe(true);

    // A chat with an operator.
    const alice = await operator(server, 'Alice', 1);
    await updateSite(server, { typingPreview: true });
    await v.page.reload();
    await v.w('button.l').focus();
    await v.page.keyboard.press('Enter');
    const input = v.w('.c textarea');
    await input.waitFor();
    expect(await input.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    await v.page.keyboard.type('Hello, keyboard here');
    await v.page.keyboard.press('Enter');
    const conversationId = await alice.assigned();
    await alice.reply(conversationId, 'Hello! How can I help?');
    const log = v.w('[role=log][aria-live=polite]');
    await log.getByText('Hello! How can I help?').waitFor();
    problems.push(...(await axe(v.page, 'chat')));

    // Ended, with the rating and its comment form.
    alice.end(conversationId);
    await v.w('.e').getByRole('button', { name: 'Good' }).click();
    await v.w('.cm textarea').waitFor();
    problems.push(...(await axe(v.page, 'ended')));
    await v.shot('widget-a11y-ended');

    expect(problems).toEqual([]);
    expect(v.errors).toEqual([]);
  });

  it('takes the full screen below 480 px', async () => {
    const v = await visitorPage(env, {
      context: { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true },
    });
    await v.openPanel();
    expect(await v.w('.p').boundingBox()).toEqual({ x: 0, y: 0, width: 375, height: 667 });
    await v.shot('widget-a11y-mobile');
    expect(await axe(v.page, 'mobile')).toEqual([]);
    await v.w('.h').getByRole('button', { name: 'Minimise chat' }).click();
    await v.w('button.l').waitFor();
    expect(v.errors).toEqual([]);
  });
});
