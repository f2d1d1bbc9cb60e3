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
 * Issue #3.7 (and #11.4 for the launcher): the widget's languages, chosen from the browser's language, overridable by
 * `data-lang` on the tag or `Beseda.setLanguage`; times with Intl in the visitor's locale; hello carries
 * the language and the timezone.
 */
describeBrowser('widget: languages', () => {
  let env: WidgetEnv;
  let host: Awaited<ReturnType<typeof hostServer>>;
  beforeAll(async () => {
    env = await widgetEnv();
    host = await hostServer({
      '/ru': hostHtml(env.server, {
        tag: `<script src="${env.server.origin}/widget.js" data-site="demo" data-lang="ru" async></script>`,
      }),
    });
    await updateSite(env.server, { allowedOrigins: [host.origin] });
  });
  afterAll(async () => {
    await host?.close();
    await env?.close();
  });

  it('speaks Czech to a Czech browser, says so in hello, and switches at run time', async () => {
    const { server } = env;
    const alice = await operator(server, 'Alice', 1);
    const v = await visitorPage(env, { context: { locale: 'cs-CZ', timezoneId: 'Europe/Prague' } });
    await v.w('button.l[aria-label="Napište nám"]').waitFor({ state: 'attached' }); // the launcher speaks Czech too
    await v.openPanel();
    await v.w('.c textarea[placeholder="Napište zprávu…"]').waitFor();
    expect(await v.w('.h').getByRole('button', { name: 'Minimalizovat chat' }).count()).toBe(1);
    await v.say('Dobrý den');
    const hello = await v.nextSent((f) => f.type === 'hello');
    expect(hello).toMatchObject({ lang: 'cs', timezone: 'Europe/Prague' });
    const conversationId = await alice.assigned();
    await v.w('.y').getByText('Alice je v chatu').waitFor();
    await alice.reply(conversationId, 'Dobrý den, jak vám mohu pomoci?');
    const name = await v.w('.o .n').textContent();
    const at = (await server.app.store.listMessages(conversationId, 0)).at(-1)!.at;
    const time = new Intl.DateTimeFormat('cs-CZ', {
      hour: '2-digit',
      minute: '2-digit',
      timeZone: 'Europe/Prague',
    }).format(at);
    expect(name).toBe(`Alice · ${time}`);
    await v.shot('widget-lang-cs');

    await v.page.evaluate(() => window.Beseda!.setLanguage('ru'));
    await v.w('.c textarea[placeholder="Напишите сообщение…"]').waitFor();
    await v.w('.y').getByText('Alice в чате').waitFor();
    await v.w('.h').getByRole('button', { name: 'Завершить чат' }).waitFor();
    await v.shot('widget-lang-ru');
    await v.page.evaluate(() => window.Beseda!.setLanguage('en'));
    await v.w('.y').getByText('Alice joined the chat').waitFor();
    expect(v.errors).toEqual([]);
  });

  it('data-lang on the tag wins over the browser language; unknown languages fall back to English', async () => {
    const v = await visitorPage(env, { url: `${host.origin}/ru`, context: { locale: 'en-US' } });
    await v.openPanel();
    await v.w('.c textarea[placeholder="Напишите сообщение…"]').waitFor();
    expect(await v.w('button.l').getAttribute('aria-label')).toBe('Свернуть чат');

    const fr = await visitorPage(env, { context: { locale: 'fr-FR' } });
    await fr.openPanel();
    await fr.w('.c textarea[placeholder="Write a message…"]').waitFor();
    expect([...v.errors, ...fr.errors]).toEqual([]);
  });
});
