import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser } from '../helpers/browser.js';
import { operator, updateSite, visitorPage, type WidgetEnv, widgetEnv } from './widget-kit.js';

/**
 * Issue #3.3: with the site's pre-chat form on, the visitor gives name, email (required when the site
 * says so) and a topic before the first message; sent as `identify` before it. The greeting opens the chat.
 */
describeBrowser('widget: pre-chat form and greeting', () => {
  let env: WidgetEnv;
  beforeAll(async () => {
    env = await widgetEnv();
  });
  afterAll(async () => env?.close());

  it('asks before the first message, identifies, then chats; not asked again', async () => {
    const { server } = env;
    await updateSite(server, {
      greeting: 'Welcome to the demo shop!',
      prechat: { enabled: true, requireEmail: true, topics: ['Orders', 'Returns'] },
    });
    const alice = await operator(server, 'Alice', 1);
    const v = await visitorPage(env);
    await v.openPanel();
    await v.w('.m .g.o').getByText('Welcome to the demo shop!').waitFor();
    const form = v.w('form.fm');
    await form.getByText('Please introduce yourself before we start.').waitFor();
    await v.w('#bs-text').fill('Where is my order 1234?');
    await form.getByRole('button', { name: 'Start chat' }).click();
    await v.w('#bs-email-e').getByText('Please fill this in.').waitFor();
    await v.w('#bs-name').fill('Petr');
    await v.w('#bs-email').fill('petr@example.com');
    await v.w('#bs-topic').selectOption('Returns');
    await v.shot('widget-prechat');
    await form.getByRole('button', { name: 'Start chat' }).click();

    await v.w('.v .b').getByText('Where is my order 1234?').waitFor();
    await v.w('.c textarea').waitFor();
    const identify = await v.nextSent((f) => f.type === 'identify');
    expect(identify).toMatchObject({
      name: 'Petr',
      email: 'petr@example.com',
      attributes: { topic: 'Returns' },
    });
    const order = v.sent.map((f) => f.type).filter((t) => t === 'identify' || t === 'send');
    expect(order[0]).toBe('identify');

    const conversationId = await alice.assigned();
    console.log(JSON.stringify(v.sent), JSON.stringify(v.received));
    const conv = await server.app.store.getConversation(conversationId);
    expect(conv).toMatchObject({ visitorName: 'Petr', visitorEmail: 'petr@example.com' });

    // Next page: no form again, the chat is there.
    await v.page.goto(`${server.origin}/demo/pricing`);
    await v.w('.v .b').getByText('Where is my order 1234?').waitFor();
    expect(await v.w('form.fm').count()).toBe(0);
    expect(v.errors).toEqual([]);
  });
});
