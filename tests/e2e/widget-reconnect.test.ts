import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser } from '../helpers/browser.js';
import { connectOperator } from '../helpers/ws-client.js';
import { operator, storedTexts, visitorPage, type WidgetEnv, widgetEnv } from './widget-kit.js';

/**
 * Issue #3.6 / invariant 1: the server drops the visitor's socket mid-chat, repeatedly, while the visitor
 * keeps typing; the widget reconnects (backoff with jitter), resumes from its last seq and resends its
 * outbox: every message arrives exactly once, in order, and the visitor sees each once.
 */
describeBrowser('widget: reconnect without losing a word', () => {
  let env: WidgetEnv;
  beforeAll(async () => {
    env = await widgetEnv();
  });
  afterAll(async () => env?.close());

  it('every message arrives once and in order while the server keeps dropping the socket', async () => {
    const { server } = env;
    const alice = await operator(server, 'Alice', 1);
    const v = await visitorPage(env);
    await v.openPanel();
    await v.say('m0');
    const conversationId = await alice.assigned();

    /** Drops every server-side socket, once the widget is connected again (so each drop hits a live socket). */
    const drop = async () => {
      await expect.poll(() => server.app.websocketServer.clients.size).toBeGreaterThan(0);
      for (const c of server.app.websocketServer.clients) c.terminate();
    };
    const texts = Array.from({ length: 12 }, (_, i) => `m${i + 1}`);
    const say = (from: number, to: number) =>
      texts.slice(from, to).reduce((p, t) => p.then(() => v.say(t)), Promise.resolve());

    await say(0, 3);
    await drop(); // right after a send: its ack (or the message itself) may be lost
    await say(3, 5);
    await drop();
    await say(5, 6);
    // The network goes away too: typing on while no socket can open fills the outbox.
    await drop();
    await v.ctx.setOffline(true);
    await say(6, 9);
    await v.w('.st').getByText('Reconnecting…').waitFor();
    expect(await v.w('.v .k').last().textContent()).toMatch(/Sending…|Not sent yet/);
    await v.shot('widget-reconnect-offline');
    await v.ctx.setOffline(false);
    await say(9, 11);
    await drop();
    await say(11, 12);
    await expect
      .poll(() => storedTexts(server, conversationId, 'visitor'), { timeout: 20_000 })
      .toEqual(['m0', ...texts]);
    // The widget shows each message once, in order, all confirmed.
    await expect
      .poll(() => v.w('.v .b').allTextContents(), { timeout: 10_000 })
      .toEqual(['m0', ...texts].map((t) => `You: ${t}`));
    await expect.poll(() => v.w('.v .k').allTextContents()).toEqual([expect.stringMatching(/^Sent · /)]);
    expect(v.sent.filter((f) => f.type === 'hello').length).toBeGreaterThanOrEqual(5);
    // Every reconnect once the conversation existed resumed it from the last seq seen. (Before it existed a
    // server without client-made identities refuses the first socket, so there may be two such hellos.)
    const hellos = v.sent.filter((f) => f.type === 'hello');
    const first = hellos.findIndex((h) => h.conversationId === conversationId);
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(2);
    for (const hello of hellos.slice(first)) expect(hello).toMatchObject({ conversationId });

    // Messages from the operator during the drops reach the visitor once too (history replay).
    await drop();
    await alice.client.close();
    const again = await connectOperator(
      server.wsUrl,
      server.origin,
      await server.login(alice.op.email, alice.op.password),
    );
    again.send({ type: 'send', conversationId, clientId: 'op-after-drop-1', text: 'Got all of them' });
    await v.w('.o .b').getByText('Got all of them').waitFor();
    await expect.poll(() => v.w('.o .b').getByText('Got all of them').count()).toBe(1);
    await v.shot('widget-reconnect');
    await again.close();
    expect(v.errors).toEqual([]);
  });

  it('a rejected visitor token (close 4401) starts a new visitor and keeps the unsent text', async () => {
    const { server } = env;
    await operator(server, 'Bob', 1);
    const v = await visitorPage(env);
    await v.openPanel();
    const first = await v.nextReceived((f) => f.type === 'welcome');
    // The stored secret no longer matches (e.g. the visitor was deleted): the relay says so with 4401.
    await v.page.evaluate(() => {
      localStorage.setItem('beseda:demo:token', 'forged-or-stale');
      localStorage.setItem(
        'beseda:demo:outbox',
        JSON.stringify([
          { clientId: 'kept-across-4401', text: 'Typed before the token went bad', at: Date.now() },
        ]),
      );
    });
    await v.page.reload();
    await v.nextReceived((f) => f.type === 'error' && f.code === 'unauthorized');
    const fresh = await v.nextReceived((f) => f.type === 'welcome' && f.visitorId !== first.visitorId);
    const ack = await v.nextReceived((f) => f.type === 'ack' && f.clientId === 'kept-across-4401');
    expect(await storedTexts(server, ack.conversationId as string, 'visitor')).toEqual([
      'Typed before the token went bad',
    ]);
    expect(await v.page.evaluate(() => localStorage.getItem('beseda:demo:vid'))).toBe(fresh.visitorId);
    await v.w('.v .b').getByText('Typed before the token went bad').waitFor();
    expect(v.errors).toEqual([]);
  });
});
