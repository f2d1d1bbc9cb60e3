import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser } from '../helpers/browser.js';
import { type Operator, operator, visitorPage, type WidgetEnv, widgetEnv } from './widget-kit.js';

/**
 * Issue #11.6: on a phone the panel fills the screen in portrait and landscape, the composer stays above the
 * on-screen keyboard (the visible viewport shrinks: `visualViewport`), inputs use 16 px (no iOS zoom), and
 * the operator's name is shown whole. Headless Chromium has no keyboard, so the test shrinks the visual
 * viewport the way a keyboard does: an init script stands in for `window.visualViewport`.
 */
const KEYBOARD = `(() => {
  let keyboard = 0;
  const vv = new EventTarget();
  Object.defineProperties(vv, {
    height: { get: () => innerHeight - keyboard },
    width: { get: () => innerWidth },
    offsetTop: { value: 0 }, offsetLeft: { value: 0 }, scale: { value: 1 }, pageTop: { value: 0 }, pageLeft: { value: 0 },
  });
  Object.defineProperty(window, 'visualViewport', { get: () => vv });
  window.__keyboard = (px) => { keyboard = px; vv.dispatchEvent(new Event('resize')); };
})();`;

describeBrowser('widget on phones', () => {
  let env: WidgetEnv;
  let anna: Operator;
  const seen = new Set<string>();
  beforeAll(async () => {
    env = await widgetEnv();
    // A long name: the header must show it whole, not "You are chatting with Anna-Kat…".
    anna = await operator(env.server, 'Anna-Kateřina Nováková-Dvořáková', 1);
  });
  afterAll(async () => {
    await env?.close();
  });

  for (const [name, viewport] of [
    ['portrait', { width: 375, height: 667 }],
    ['landscape', { width: 667, height: 375 }],
  ] as const) {
    it(`${name}: full screen, composer above the keyboard, 16 px inputs, whole operator name`, async () => {
      const v = await visitorPage(env, {
        init: KEYBOARD,
        context: { viewport, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
      });
      await v.openPanel();
      const panel = (await v.w('.p').boundingBox())!;
      expect(panel).toEqual({ x: 0, y: 0, width: viewport.width, height: viewport.height });
      await v.say('Dobrý den');
      const conversationId = await anna.assigned((id) => !seen.has(id));
      seen.add(conversationId);
      await anna.reply(conversationId, 'Hello!');
      await v.w('.hs').getByText(anna.op.name, { exact: false }).waitFor();
      // Not truncated: the subtitle shows the whole name, no ellipsis, within the header.
      const sub = await v.w('.hs').evaluate((el) => [el.textContent, el.scrollWidth <= el.clientWidth]);
      expect(sub[0]).toContain(anna.op.name);
      expect(sub[1]).toBe(true);
      expect(await v.w('.c textarea').evaluate((el) => getComputedStyle(el).fontSize)).toBe('16px');

      // The keyboard takes 60 % of the height: the panel shrinks to what is visible, composer included.
      const keyboard = Math.round(viewport.height * 0.6);
      await v.w('.c textarea').focus();
      await v.page.evaluate(
        (px) => (window as unknown as { __keyboard: (px: number) => void }).__keyboard(px),
        keyboard,
      );
      await expect.poll(async () => (await v.w('.p').boundingBox())!.height).toBe(viewport.height - keyboard);
      const composer = (await v.w('.c textarea').boundingBox())!;
      expect(composer.y + composer.height).toBeLessThanOrEqual(viewport.height - keyboard);
      expect(composer.y).toBeGreaterThan(0);
      await v.shot(`widget-phone-${name}-keyboard`);
      expect(v.errors).toEqual([]);
      anna.end(conversationId);
      await v.ctx.close();
    });
  }
});
