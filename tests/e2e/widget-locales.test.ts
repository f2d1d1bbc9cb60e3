import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser } from '../helpers/browser.js';
import { operator, updateSite, type Visitor, visitorPage, type WidgetEnv, widgetEnv } from './widget-kit.js';

/**
 * Issue #11.4: every language from the launcher on, with no English left in any widget state. For each
 * language the launcher and the leave-a-message form (nobody online); for Slovak also a live chat, the
 * queue, the end and the rating. "English left" = any string of the English pack (or the English built-in
 * launcher text / greeting) found in the widget's text, placeholders, titles or accessible names.
 */
const LANGS = ['en', 'cs', 'ru', 'sk', 'de', 'pl', 'uk'] as const;
const LOCALE: Record<string, string> = {
  en: 'en-GB',
  cs: 'cs-CZ',
  ru: 'ru-RU',
  sk: 'sk-SK',
  de: 'de-DE',
  pl: 'pl-PL',
  uk: 'uk-UA',
};
const pack = (lang: string): Record<string, string> =>
  JSON.parse(readFileSync(new URL(`../../widget/src/chat/lang/${lang}.json`, import.meta.url), 'utf8'));
const EN = pack('en');
/** English strings that are also words in other languages' packs, or too short to mean anything alone. */
const ENGLISH = Object.entries(EN)
  .filter(([k, v]) => k !== 'plural' && k !== 'title' && k !== 'name' && v.length > 4)
  .map(([, v]) => v.split('{')[0]!.trim())
  .filter((v) => v.length > 4)
  .concat(['Chat with us', 'How can we help']);

async function widgetText(v: Visitor): Promise<string> {
  return v.page.evaluate(() => {
    const root = document.querySelector('beseda-widget')!.shadowRoot!;
    const parts: string[] = [];
    for (const el of root.querySelectorAll('*')) {
      if (el.closest('[hidden]')) continue;
      for (const a of ['aria-label', 'title', 'placeholder']) {
        const value = el.getAttribute(a);
        if (value) parts.push(value);
      }
      for (const n of el.childNodes)
        if (n.nodeType === 3 && n.textContent?.trim()) parts.push(n.textContent.trim());
    }
    return parts.join('\n');
  });
}

const leftovers = (text: string) => ENGLISH.filter((e) => text.includes(e));

describeBrowser('widget: every language, no English leftovers', () => {
  let env: WidgetEnv;
  beforeAll(async () => {
    env = await widgetEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  for (const lang of LANGS.filter((l) => l !== 'en')) {
    it(`${lang}: launcher and leave-a-message form`, async () => {
      const v = await visitorPage(env, { context: { locale: LOCALE[lang] } });
      const t = pack(lang);
      await v.w('button.l.w').waitFor();
      const label = await v.w('button.l').getAttribute('aria-label');
      expect(label).not.toBe('Chat with us');
      expect(await v.w('button.l .t').textContent()).toBe(label);
      await v.openPanel();
      await v.w('.fm').waitFor(); // nobody online: the form
      await v.w('.p').getByText(t.offlineNobody!).waitFor();
      const text = await widgetText(v);
      expect(leftovers(text), text).toEqual([]);
      expect(v.errors).toEqual([]);
      await v.shot(`widget-locale-${lang}-offline`);
      await v.ctx.close();
    });
  }

  it('sk: chat, queue, end and rating in Slovak', async () => {
    const { server } = env;
    await updateSite(server, { greeting: 'Hi! How can we help you today?' }); // the built-in default
    const jana = await operator(server, 'Jana', 1);
    const first = await visitorPage(env, { context: { locale: 'sk-SK' } });
    await first.openPanel();
    await first.say('Dobrý deň');
    const conversationId = await jana.assigned();
    await first.w('.y').getByText('Jana je v chate').waitFor();
    await jana.reply(conversationId, 'Dobrý deň, ako vám môžem pomôcť?');
    await first.w('.o .b').getByText('Dobrý deň, ako').waitFor();
    let text = await widgetText(first);
    expect(text).toContain('Dobrý deň! S čím vám môžeme pomôcť?'); // the greeting, translated
    expect(leftovers(text), text).toEqual([]);

    // A second Slovak visitor waits in the queue (Jana has capacity 1).
    const second = await visitorPage(env, { context: { locale: 'sk-SK' } });
    await second.openPanel();
    await second.say('Haló');
    await second.w('.q').getByText('Ste v poradí na rade').waitFor();
    text = await widgetText(second);
    expect(leftovers(text), text).toEqual([]);
    await second.shot('widget-locale-sk-queue');

    jana.end(conversationId);
    await first.w('.e').waitFor();
    await first.w('.e').getByText(pack('sk').rateAsk!).first().waitFor();
    text = await widgetText(first);
    expect(leftovers(text), text).toEqual([]);
    await first.shot('widget-locale-sk-ended');
    expect([...first.errors, ...second.errors]).toEqual([]);
  });
});
