import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser } from '../helpers/browser.js';
import { hostHtml, hostServer, visitorPage, type WidgetEnv, widgetEnv } from './widget-kit.js';

/**
 * Issue #11.5: a page whose origin the site does not allow, or a tag with an unknown site key, gets a short
 * notice in the visitor's language, one console message, and no retries: no socket is ever opened, even
 * after minutes (the page's clock is fast-forwarded).
 */
describeBrowser('widget: refused origin, unknown site', () => {
  let env: WidgetEnv;
  let host: Awaited<ReturnType<typeof hostServer>>;
  beforeAll(async () => {
    env = await widgetEnv();
    host = await hostServer({}); // not among the site's allowed origins
    host.pages['/'] = hostHtml(env.server);
    host.pages['/unknown'] = hostHtml(env.server, {
      tag: `<script src="${env.server.origin}/widget.js" data-site="no-such-site" async></script>`,
    });
  });
  afterAll(async () => {
    await host?.close();
    await env?.close();
  });

  for (const [path, locale, notice, code] of [
    ['/', 'cs-CZ', 'Chat na tomto webu není k dispozici.', 'origin_not_allowed'],
    ['/unknown', 'de-DE', 'Der Chat ist auf dieser Website nicht verfügbar.', 'unknown_site'],
  ] as const) {
    it(`${code}: a translated notice, one console message, no socket, no retries`, async () => {
      const ctx = await env.browser.newContext({ locale, viewport: { width: 1100, height: 760 } });
      const consoleLines: string[] = [];
      const sockets: string[] = [];
      const configAnswers: number[] = [];
      ctx.on('page', (p) => {
        p.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
        p.on('websocket', (ws) => sockets.push(ws.url()));
        p.on('response', (r) => {
          if (r.url().includes('/api/widget/config')) configAnswers.push(r.status());
        });
      });
      await ctx.clock.install();
      const v = await visitorPage(env, { url: `${host.origin}${path}`, ctx });
      await v.openPanel();
      await v.w('.st.er').getByText(notice).waitFor();
      expect(await v.w('.c textarea').isDisabled()).toBe(true);
      await v.shot(`widget-refused-${code}`);

      await v.page.clock.runFor(5 * 60_000); // five minutes of backoff timers, if there were any
      expect(sockets).toEqual([]);
      expect(configAnswers).toEqual([code === 'unknown_site' ? 404 : 403]);
      const ours = consoleLines.filter((l) => l.includes('Beseda'));
      expect(ours).toEqual([
        expect.stringContaining(code === 'unknown_site' ? 'Unknown site key' : 'Origin is not allowed'),
      ]);
      // Besides ours, at most the browser's own line about the refused request.
      expect(consoleLines.length).toBeLessThanOrEqual(2);
      await ctx.close();
    });
  }
});
