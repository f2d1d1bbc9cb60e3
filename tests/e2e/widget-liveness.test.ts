import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser } from '../helpers/browser.js';
import { operator, updateSite, visitorPage, type WidgetEnv, widgetEnv } from './widget-kit.js';

/**
 * Issue #3.5: typing both ways (throttled; with the site's typing preview the draft goes along and the
 * widget says so), the operator's name, message states, the unread badge, and for a new operator message
 * while the panel is closed or the tab hidden: a title flash and a short beep, with a stored mute toggle.
 */

/** WebAudio replaced by a counter before any script runs: the test sees beeps without a sound card. */
const AUDIO_STUB = `
  window.__beeps = 0;
  class N { connect(n) { return n; } }
  class P { setValueAtTime() {} exponentialRampToValueAtTime() {} }
  window.AudioContext = class {
    constructor() { this.state = 'running'; this.currentTime = 0; this.destination = new N(); }
    resume() { return Promise.resolve(); }
    createOscillator() { const o = new N(); o.frequency = new P(); o.start = () => window.__beeps++; o.stop = () => {}; return o; }
    createGain() { const g = new N(); g.gain = new P(); return g; }
  };
`;

describeBrowser('widget: liveness', () => {
  let env: WidgetEnv;
  beforeAll(async () => {
    env = await widgetEnv();
  });
  afterAll(async () => env?.close());

  it('typing both ways, preview disclosure, badge, title flash, beep and mute', async () => {
    const { server } = env;
    await updateSite(server, { typingPreview: true });
    const alice = await operator(server, 'Alice', 1);
    const v = await visitorPage(env, { init: AUDIO_STUB });
    const beeps = () => v.page.evaluate(() => (window as unknown as { __beeps: number }).__beeps);
    await v.openPanel();
    await v.w('.pv').getByText('The team sees what you type before you send it.').waitFor();
    expect(await v.w('.c textarea').getAttribute('aria-describedby')).toBe('bs-pv');
    await v.say('Hi');
    const conversationId = await alice.assigned();
    await v.w('.hs').getByText('You are chatting with Alice').waitFor();
    await v
      .w('.v .k')
      .getByText(/^Sent · /)
      .waitFor();

    // Visitor typing: throttled frames with the draft; the operator sees the preview.
    const before = v.sent.filter((f) => f.type === 'typing').length;
    const started = Date.now();
    await v.w('.c textarea').pressSequentially('Where is my parcel', { delay: 40 });
    const preview = await alice.client.next<{ preview?: string }>(
      (f) => f.type === 'typing' && f.preview === 'Where is my parcel',
      5000,
    );
    expect(preview.preview).toBe('Where is my parcel');
    const typing = () => v.sent.filter((f) => f.type === 'typing').slice(before);
    await expect.poll(() => typing().at(-1)).toMatchObject({ active: true, preview: 'Where is my parcel' });
    // 18 keystrokes; at most one draft per 400 ms goes out (plus the first and the last).
    expect(typing().length).toBeLessThanOrEqual(Math.min(18, Math.ceil((Date.now() - started) / 400) + 2));
    await v.page.keyboard.press('Enter');
    await v.nextSent((f) => f.type === 'typing' && f.active === false);

    // Operator typing shows with the name.
    alice.typing(conversationId, true);
    await v.w('.ty').getByText('Alice is typing…').waitFor();
    await alice.reply(conversationId, 'It is on its way');
    await expect.poll(() => v.w('.ty').count()).toBe(0);

    // Panel closed: badge, title flash, one beep.
    const title = await v.page.title();
    await v.w('.h').getByRole('button', { name: 'Minimise chat' }).click();
    await alice.reply(conversationId, 'It arrives tomorrow');
    await v.w('.l .bd:not([hidden])').getByText('1').waitFor();
    expect(await v.w('button.l').getAttribute('aria-label')).toBe('Chat with us, 1 new');
    await expect.poll(() => v.page.title()).toBe('💬 New message');
    await expect.poll(beeps).toBe(1);
    await v.shot('widget-liveness-badge');
    await v.openPanel();
    await expect.poll(() => v.page.title()).toBe(title);
    await expect.poll(() => v.w('.l .bd:not([hidden])').count()).toBe(0);

    // Panel open but the tab hidden (another tab in front): title flash and beep too, until it is shown.
    const setHidden = (hidden: boolean) =>
      v.page.evaluate((h) => {
        Object.defineProperty(document, 'visibilityState', {
          configurable: true,
          get: () => (h ? 'hidden' : 'visible'),
        });
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
    await setHidden(true);
    await alice.reply(conversationId, 'Back in a tab?');
    await expect.poll(() => v.page.title()).toMatch(/^(💬 New message|Home · Demo shop)$/);
    await expect.poll(beeps).toBe(2);
    await setHidden(false);
    await expect.poll(() => v.page.title()).toBe(title);

    // Mute, stored across pages: no more beeps, the title still flashes.
    await v.w('.h').getByRole('button', { name: 'Mute sounds' }).click();
    await v.w('.h').getByRole('button', { name: 'Turn sounds on' }).waitFor();
    expect(await v.page.evaluate(() => localStorage.getItem('beseda:demo:mute'))).toBe('1');
    await v.page.reload();
    await v.w('.h').getByRole('button', { name: 'Turn sounds on' }).waitFor();
    await v.w('.h').getByRole('button', { name: 'Minimise chat' }).click();
    await alice.reply(conversationId, 'Muted now?');
    await v.w('.l .bd:not([hidden])').getByText('1').waitFor();
    await expect.poll(() => v.page.title()).toMatch(/New message|Home/);
    expect(await beeps()).toBe(0);
    expect(v.errors).toEqual([]);
  });
});
