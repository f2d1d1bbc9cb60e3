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
 * Issue #12.6 (widget side): a single-page app's navigation (pushState, replaceState, back, hash) reaches the
 * operator's visitor card in under a second, without a page load.
 */
describeBrowser('widget: page changes in a single-page app', () => {
  let env: WidgetEnv;
  let host: Awaited<ReturnType<typeof hostServer>>;
  beforeAll(async () => {
    env = await widgetEnv();
    host = await hostServer({});
    host.pages['/app'] = hostHtml(env.server, { head: '<title>Shop</title>' });
    await updateSite(env.server, { allowedOrigins: [host.origin] });
  });
  afterAll(async () => {
    await host?.close();
    await env?.close();
  });

  it('pushState, hash and back each reach the operator within a second', async () => {
    const alice = await operator(env.server, 'Alice', 1);
    const v = await visitorPage(env, { url: `${host.origin}/app` });
    await v.openPanel();
    await v.say('Looking around');
    const conversationId = await alice.assigned();

    const navigate = async (how: string, expected: string, title?: string) => {
      const from = alice.client.frames.length;
      const started = Date.now();
      await v.page.evaluate(
        ([h, t]) => {
          if (h === 'push') history.pushState({}, '', '/app/pricing');
          else if (h === 'hash') location.hash = 'faq';
          else history.back();
          if (t) document.title = t;
        },
        [how, title] as const,
      );
      const f = await alice.client.next<{
        conversationId: string;
        page: { url: string; title: string | null };
      }>(
        (x) =>
          x.type === 'visitor_page' &&
          (x.page as { url: string }).url === expected &&
          x.conversationId === conversationId,
        5_000,
        from,
      );
      const ms = Date.now() - started;
      expect(ms, `${how} took ${ms} ms`).toBeLessThan(1000);
      return f.page;
    };
    expect(await navigate('push', `${host.origin}/app/pricing`, 'Pricing')).toEqual({
      url: `${host.origin}/app/pricing`,
      title: 'Pricing',
    });
    await navigate('hash', `${host.origin}/app/pricing#faq`);
    await navigate('back', `${host.origin}/app/pricing`);
    expect(v.errors).toEqual([]);
  });
});
