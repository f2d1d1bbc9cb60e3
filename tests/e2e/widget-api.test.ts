import { createHmac } from 'node:crypto';
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
 * Issue #3.8: the host page API `window.Beseda` — every call and event of docs/widget-api.md, including
 * calls made before the loader ran (the stub's queue) or before the UI loaded, and signed identities.
 */

const STUB = `<script>
  window.__globals = Object.getOwnPropertyNames(window);
  window.Beseda = window.Beseda || function () { (Beseda.q = Beseda.q || []).push(arguments); };
  window.__events = [];
  for (const name of ['ready', 'open', 'close', 'message', 'unreadChange']) {
    Beseda('on', name, (d) => window.__events.push(name + (d === undefined ? '' : ' ' + JSON.stringify(d))));
  }
  Beseda('hideLauncher');
  Beseda('setAttributes', { plan: 'pro', seats: 3 });
</script>`;

const sign = (secret: string, userId: string, email: string, name: string, expiresAt: number) =>
  createHmac('sha256', secret).update(`${userId}|${email}|${name}|${expiresAt}`).digest('hex');

describeBrowser('widget: host page API', () => {
  let env: WidgetEnv;
  let host: Awaited<ReturnType<typeof hostServer>>;
  beforeAll(async () => {
    env = await widgetEnv();
    host = await hostServer({ '/': hostHtml(env.server, { head: STUB }) });
    await updateSite(env.server, { allowedOrigins: [host.origin] });
  });
  afterAll(async () => {
    await host?.close();
    await env?.close();
  });

  it('queues early calls, drives the panel and the launcher, and reports every event', async () => {
    const { server } = env;
    const alice = await operator(server, 'Alice', 1);
    const v = await visitorPage(env, { url: `${host.origin}/` });
    const events = () => v.page.evaluate(() => (window as unknown as { __events: string[] }).__events);

    await expect.poll(events).toContain('ready');
    // Queued before the loader existed: applied once it ran.
    expect(await v.w('button.l').isHidden()).toBe(true);
    await v.page.evaluate(() => window.Beseda!.showLauncher());
    await v.w('button.l').waitFor();

    // No globals but Beseda (the test's own __globals/__events aside).
    const added = await v.page.evaluate(() =>
      Object.getOwnPropertyNames(window).filter(
        (k) => !(window as unknown as { __globals: string[] }).__globals.includes(k),
      ),
    );
    expect(added.filter((k) => !k.startsWith('__'))).toEqual(['Beseda']);

    await v.page.evaluate(() => window.Beseda!.open());
    await v.w('.p:not([hidden])').waitFor();
    await v.page.evaluate(() => window.Beseda!.close());
    await v.w('.p[hidden]').waitFor({ state: 'attached' });
    await v.page.evaluate(() => window.Beseda!.toggle());
    await v.w('.p:not([hidden])').waitFor();
    await v.page.evaluate(() => window.Beseda!('toggle')); // the stub's call form works after load too
    await v.w('.p[hidden]').waitFor({ state: 'attached' });
    await v.page.evaluate(() => window.Beseda!.open());

    // Signed identity: verified. Attributes set before the UI loaded go with it.
    const expiresAt = Math.floor(Date.now() / 1000) + 3600;
    const signature = sign(server.site.identitySecret, 'u-42', 'eva@example.com', 'Eva', expiresAt);
    const answered = v.received.filter((f) => f.type === 'identity').length;
    await v.page.evaluate((id) => window.Beseda!.identify(id), {
      userId: 'u-42',
      email: 'eva@example.com',
      name: 'Eva',
      expiresAt,
      signature,
    });
    // (The attributes alone went out first, when the socket opened; the identity is always sent whole.)
    const identify = await v.nextSent((f) => f.type === 'identify' && f.userId === 'u-42');
    expect(identify).toMatchObject({
      name: 'Eva',
      email: 'eva@example.com',
      attributes: { plan: 'pro', seats: 3 },
    });
    // The answer to this identify (an earlier, attributes-only one may still be answered first: frames
    // go out right after hello, before welcome).
    await expect
      .poll(() =>
        v.received
          .filter((f) => f.type === 'identity')
          .slice(answered)
          .some((f) => f.status === 'verified'),
      )
      .toBe(true);
    expect(v.received.filter((f) => f.type === 'identity').at(-1)).toMatchObject({
      verified: true,
      status: 'verified',
    });

    await v.say('Hello from the API test');
    const conversationId = await alice.assigned();
    await expect
      .poll(async () => (await server.app.store.getConversation(conversationId))?.visitorName)
      .toBe('Eva');
    await alice.reply(conversationId, 'Hi Eva');
    await v.w('.o .b').getByText('Hi Eva').waitFor();

    // unreadChange while closed; back to 0 when opened.
    await v.page.evaluate(() => window.Beseda!.close());
    await alice.reply(conversationId, 'Anything else?');
    await expect.poll(events).toContain('unreadChange {"count":1}');
    await v.page.evaluate(() => window.Beseda!.open());
    await expect.poll(events).toContain('unreadChange {"count":0}');

    // off: a removed listener hears nothing more.
    await v.page.evaluate(() => {
      const w = window as unknown as { __late: number };
      w.__late = 0;
      const fn = () => w.__late++;
      window.Beseda!.on('close', fn);
      window.Beseda!.close();
      window.Beseda!.off('close', fn);
      window.Beseda!.open();
      window.Beseda!.close();
    });
    expect(await v.page.evaluate(() => (window as unknown as { __late: number }).__late)).toBe(1);

    const log = await events();
    const messages = log.filter((e) => e.startsWith('message ')).map((e) => JSON.parse(e.slice(8)));
    expect(messages.map((m) => [m.author, m.text, m.name])).toEqual([
      ['visitor', 'Hello from the API test', null],
      ['system', 'Alice joined the chat', null],
      ['operator', 'Hi Eva', 'Alice'],
      ['operator', 'Anything else?', 'Alice'],
    ]);
    expect(messages.every((m) => typeof m.at === 'number')).toBe(true);
    expect(log.slice(0, 3)).toEqual(['ready', 'open', 'close']);
    await v.shot('widget-api');
    expect(v.errors).toEqual([]);
  });

  it('unsigned and expired identities are sent but stay unverified', async () => {
    const { server } = env;
    const v = await visitorPage(env);
    await v.page.evaluate(() => window.Beseda!.identify({ name: 'Anonymous Ann', email: 'ann@example.com' }));
    await v.openPanel();
    expect(await v.nextReceived((f) => f.type === 'identity')).toMatchObject({
      verified: false,
      status: 'unsigned',
    });

    const w = await visitorPage(env);
    const expiresAt = Math.floor(Date.now() / 1000) - 60;
    const signature = sign(server.site.identitySecret, 'u-7', 'old@example.com', 'Old', expiresAt);
    await w.page.evaluate((id) => window.Beseda!.identify(id), {
      userId: 'u-7',
      email: 'old@example.com',
      name: 'Old',
      expiresAt,
      signature,
    });
    await w.openPanel();
    expect(await w.nextReceived((f) => f.type === 'identity')).toMatchObject({
      verified: false,
      status: 'expired',
    });
    expect([...v.errors, ...w.errors]).toEqual([]);
  });
});
