import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser } from '../helpers/browser.js';
import {
  hostHtml,
  hostServer,
  operator,
  updateSite,
  visitorPage,
  type WidgetEnv,
  widgetEnv,
} from './widget-kit.js';

/**
 * Issue #3.10: a hostile host stylesheet cannot break the widget (it lives in a shadow root whose host
 * resets everything with `all: initial !important`), the widget adds no global but `Beseda`, and the host
 * page's console stays clean. The host page is on another origin (an allowed origin of the site).
 */
const HOSTILE = `<style>
  * { all: unset; }
  html { font-size: 40px !important; }
  body { font: italic 48px/5 "Comic Sans MS", cursive !important; color: red !important; letter-spacing: 6px !important; }
  button, div, span, textarea, input, form, p { all: unset !important; display: block !important; font-size: 60px !important;
    padding: 30px !important; margin: 12px !important; background: yellow !important; border: 5px solid lime !important;
    position: static !important; width: 900px !important; color: magenta !important; }
  beseda-widget { display: none !important; transform: rotate(12deg) scale(3) !important; opacity: .1 !important; }
  svg { width: 300px !important; height: 300px !important; fill: green !important; }
  head, script, style { display: none !important; }
</style>`;

describeBrowser('widget: hostile host page', () => {
  let env: WidgetEnv;
  let host: Awaited<ReturnType<typeof hostServer>>;
  beforeAll(async () => {
    env = await widgetEnv();
    host = await hostServer({});
    await updateSite(env.server, { allowedOrigins: [host.origin] });
  });
  afterAll(async () => {
    await host?.close();
    await env?.close();
  });

  it('looks and works the same under `* { all: unset }`, huge fonts and !important everywhere', async () => {
    const { server } = env;
    const alice = await operator(server, 'Alice', 1);
    host.pages['/'] = hostHtml(server, {
      head: `<script>window.__globals = Object.getOwnPropertyNames(window);</script>${HOSTILE}`,
      body: '<div>Hostile div</div><button>Hostile button</button>',
    });
    const v = await visitorPage(env, { url: `${host.origin}/` });
    const launcher = v.w('button.l');
    await v.w('button.l.w').waitFor(); // with the site's launcher text
    const box = (await launcher.boundingBox())!;
    expect(box.height).toBe(56);
    expect(box.x + box.width).toBeCloseTo(1100 - 20, 0);
    expect(box.y + box.height).toBeCloseTo(760 - 20, 0);
    await v.shot('widget-hostile-launcher');

    await v.openPanel();
    const panel = (await v.w('.p').boundingBox())!;
    expect(panel.width).toBe(370);
    expect(panel.x + panel.width).toBeCloseTo(1100 - 20, 0);
    const font = await v.w('.c textarea').evaluate((el) => {
      const s = getComputedStyle(el);
      return [s.fontSize, s.fontStyle, s.letterSpacing, s.color];
    });
    // 16 px: iOS zooms into any field with a smaller font
    expect(font).toEqual(['16px', 'normal', 'normal', 'rgb(31, 35, 40)']);
    await v.say('Hello from a hostile page');
    const conversationId = await alice.assigned();
    await alice.reply(conversationId, 'Hello! All good here.');
    await v.w('.o .b').getByText('Hello! All good here.').waitFor();
    const bubble = await v
      .w('.o .b')
      .last()
      .evaluate((el) => {
        const s = getComputedStyle(el);
        return [s.fontSize, s.backgroundColor, s.borderTopWidth];
      });
    expect(bubble).toEqual(['14px', 'rgb(240, 242, 245)', '0px']);
    await v.shot('widget-hostile-chat');

    const added = await v.page.evaluate(() =>
      Object.getOwnPropertyNames(window).filter(
        (k) => !(window as unknown as { __globals: string[] }).__globals.includes(k),
      ),
    );
    expect(added.filter((k) => k !== '__globals')).toEqual(['Beseda']);
    expect(v.errors).toEqual([]);
  });

  it('paints the site colour, position and launcher text, remembered for the next page', async () => {
    const { server } = env;
    await updateSite(server, { color: '#0f766e', position: 'left', launcherText: 'Ask the shop' });
    host.pages['/look'] = hostHtml(server, { head: HOSTILE });
    const v = await visitorPage(env, { url: `${host.origin}/look` });
    const launcher = v.w('button.l.w');
    await launcher.getByText('Ask the shop').waitFor();
    const look = async () => ({
      box: await launcher.boundingBox(),
      bg: await launcher.evaluate((el) => getComputedStyle(el).backgroundColor),
    });
    const first = await look();
    expect(first.box?.x).toBe(20);
    expect(first.bg).toBe('rgb(15, 118, 110)');
    expect(await v.page.evaluate(() => localStorage.getItem('beseda:demo:look'))).toBe(
      '#0f766e\n#fff\nleft\nAsk the shop\nOpen chat',
    );
    await v.openPanel();
    expect((await v.w('.p').boundingBox())?.x).toBe(20);
    expect(await v.w('.h').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(15, 118, 110)');
    await v.shot('widget-look-left');
    // The next page paints the launcher from storage before any request (no flash of the default look).
    await v.w('.h').getByRole('button', { name: 'Minimise chat' }).click();
    await v.page.route(`${server.origin}/api/widget/config*`, () => {}); // the config never answers
    await v.page.reload();
    await launcher.getByText('Ask the shop').waitFor();
    expect(await look()).toEqual(first);
    await v.page.unroute(`${server.origin}/api/widget/config*`);
    expect(v.errors).toEqual([]);
  });
});
