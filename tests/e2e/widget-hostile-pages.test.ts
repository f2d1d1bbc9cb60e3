import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, screenshot } from '../helpers/browser.js';
import { HOSTILE_PAGES } from './hostile/pages.js';
import { hostHtml, hostServer, updateSite, visitorPage, type WidgetEnv, widgetEnv } from './widget-kit.js';

/**
 * Issue #11.3: on each of the nine host pages the launcher and the panel sit where they sit on the plain page,
 * above everything, the same size, clickable by a real mouse click at their centre, the panel's header on
 * screen, and the host page's layout untouched. Screenshots of the launcher and panel regions are compared
 * pixel by pixel with the plain page's (in the browser, on a canvas); full screenshots go to test-artifacts/.
 */
const VIEW = { width: 1100, height: 760 };

describeBrowser('widget on nine hostile host pages', () => {
  let env: WidgetEnv;
  let host: Awaited<ReturnType<typeof hostServer>>;
  const reference: Record<string, string> = {};

  beforeAll(async () => {
    env = await widgetEnv();
    host = await hostServer({});
    await updateSite(env.server, { allowedOrigins: [host.origin] });
    for (const p of HOSTILE_PAGES) {
      const html = hostHtml(env.server, { head: p.head, body: p.body });
      host.pages[`/${p.name}`] = p.htmlAttrs
        ? html.replace('<html lang="en">', `<html lang="en" ${p.htmlAttrs}>`)
        : html;
    }
  });
  afterAll(async () => {
    await host?.close();
    await env?.close();
  });

  /** Share of pixels that differ noticeably between two PNG screenshots of the same size. */
  async function difference(page: Page, a: Buffer, b: Buffer): Promise<number> {
    return page.evaluate(
      async ([x, y]) => {
        const load = async (b64: string) => {
          const img = new Image();
          img.src = `data:image/png;base64,${b64}`;
          await img.decode();
          const c = document.createElement('canvas');
          c.width = img.width;
          c.height = img.height;
          const g = c.getContext('2d')!;
          g.drawImage(img, 0, 0);
          return g.getImageData(0, 0, c.width, c.height).data;
        };
        const [p, q] = [await load(x), await load(y)];
        let diff = 0;
        for (let i = 0; i < p.length; i += 4) {
          const d =
            Math.abs(p[i]! - q[i]!) + Math.abs(p[i + 1]! - q[i + 1]!) + Math.abs(p[i + 2]! - q[i + 2]!);
          if (d > 48) diff++;
        }
        return diff / (p.length / 4);
      },
      [a.toString('base64'), b.toString('base64')] as const,
    );
  }

  for (const hostile of HOSTILE_PAGES) {
    it(`${hostile.name}: launcher and panel as on the plain page, on top, clickable`, async () => {
      const v = await visitorPage(env, {
        url: `${host.origin}/${hostile.name}`,
        context: { viewport: VIEW },
      });
      const launcher = v.w('button.l');
      await v.w('button.l.w').waitFor(); // painted from the config
      const box = (await launcher.boundingBox())!;
      expect(box.height).toBe(56);
      expect(box.x + box.width).toBeCloseTo(VIEW.width - 20, 0);
      expect(box.y + box.height).toBeCloseTo(VIEW.height - 20, 0);

      // The host's layout is untouched: the same scroll height with and without our element.
      const heights = await v.page.evaluate(() => {
        const el = document.querySelector('beseda-widget')!;
        const withIt = document.documentElement.scrollHeight;
        const parent = el.parentNode!;
        el.remove();
        const without = document.documentElement.scrollHeight;
        parent.appendChild(el);
        (el as HTMLElement).showPopover?.();
        return [withIt, without];
      });
      expect(heights[0]).toBe(heights[1]);

      // On top: hit testing at the launcher's centre finds the launcher, not the host's bar.
      const cx = box.x + box.width / 2;
      const cy = box.y + box.height / 2;
      const hit = await v.page.evaluate(
        ([x, y]) => {
          const top = document.elementFromPoint(x, y);
          const inner = top?.shadowRoot?.elementFromPoint(x, y);
          return [top?.tagName, inner?.closest('button')?.className];
        },
        [cx, cy] as const,
      );
      expect(hit).toEqual(['BESEDA-WIDGET', 'l w']);
      // Inside the pill (its rounded ends and shadow show the host's background, which differs by design).
      const launcherShot = await v.page.screenshot({
        clip: { x: box.x + 28, y: box.y + 6, width: box.width - 56, height: box.height - 12 },
      });

      await v.page.mouse.click(cx, cy); // a real click at that point
      await v.w('.p:not([hidden])').waitFor();
      const header = (await v.w('.h').boundingBox())!;
      expect(header.y).toBeGreaterThanOrEqual(0);
      expect(header.x).toBeGreaterThanOrEqual(0);
      expect(header.x + header.width).toBeLessThanOrEqual(VIEW.width);
      expect(header.y + header.height).toBeLessThanOrEqual(VIEW.height);
      const panel = (await v.w('.p').boundingBox())!;
      expect(panel.width).toBe(370);
      expect(panel.x + panel.width).toBeCloseTo(VIEW.width - 20, 0);
      expect(await v.w('.p').evaluate((el) => getComputedStyle(el).direction)).toBe('ltr');
      const panelShot = await v.page.screenshot({
        clip: { x: panel.x, y: panel.y, width: panel.width, height: panel.height },
      });
      await screenshot(v.page, `widget-hostile-${hostile.name}`);

      if (hostile.name === 'plain') {
        reference.launcher = launcherShot.toString('base64');
        reference.panel = panelShot.toString('base64');
      } else {
        expect(reference.panel, 'the plain page runs first').toBeDefined();
        const dl = await difference(v.page, launcherShot, Buffer.from(reference.launcher!, 'base64'));
        const dp = await difference(v.page, panelShot, Buffer.from(reference.panel!, 'base64'));
        expect(dl, 'launcher differs from the plain page').toBeLessThan(0.02);
        expect(dp, 'panel differs from the plain page').toBeLessThan(0.02);
      }
      expect(v.errors).toEqual([]);
      await v.ctx.close();
    });
  }
});
