import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser } from '../helpers/browser.js';
import { operator, storedTexts, visitorPage, type WidgetEnv, widgetEnv } from './widget-kit.js';

/**
 * Issue #3.6: the conversation follows the visitor across pages of the site (demo pages / and
 * /demo/pricing): the open panel, the history, the resume cursor and even a message not yet acknowledged
 * when the visitor clicked away.
 */
describeBrowser('widget: the conversation follows the visitor across pages', () => {
  let env: WidgetEnv;
  beforeAll(async () => {
    env = await widgetEnv();
  });
  afterAll(async () => env?.close());

  it('keeps the panel, the history and unsent text across navigations, nothing duplicated', async () => {
    const { server } = env;
    const alice = await operator(server, 'Alice', 1);
    const v = await visitorPage(env);
    await v.openPanel();
    await v.say('Hello from the home page');
    const conversationId = await alice.assigned();
    await alice.reply(conversationId, 'Welcome! Have a look at our prices.');
    await v.w('.o .b').getByText('Welcome! Have a look at our prices.').waitFor();

    // Click a link on the host page: the panel reopens by itself on the next page, with the history.
    await v.page.getByRole('link', { name: 'Pricing' }).click();
    await v.page.waitForURL('**/demo/pricing');
    await v.w('.p:not([hidden])').waitFor();
    await v.w('.o .b').getByText('Welcome! Have a look at our prices.').waitFor();
    const hellos = v.sent.filter((f) => f.type === 'hello');
    expect(hellos.at(-1)).toMatchObject({ conversationId, page: { url: `${server.origin}/demo/pricing` } });
    expect((hellos.at(-1)!.lastSeq as number) > 0).toBe(true); // resumed, not replayed from scratch
    await v.shot('widget-navigation-pricing');

    // A message written and the page left at once: it waits in storage and is sent from the next page.
    await v.page.evaluate(() => {
      // Hold the socket's sends back so this message cannot be acknowledged before the navigation.
      WebSocket.prototype.send = () => {};
    });
    await v.say('Sent just before leaving');
    expect(await v.page.evaluate(() => localStorage.getItem('beseda:demo:outbox'))).toContain(
      'Sent just before leaving',
    );
    await v.page.goto(`${server.origin}/`);
    await v.w('.v .b').getByText('Sent just before leaving').waitFor();
    await expect
      .poll(() => storedTexts(server, conversationId, 'visitor'))
      .toEqual(['Hello from the home page', 'Sent just before leaving']);
    await expect.poll(() => v.w('.v .k').last().textContent()).toMatch(/^Sent/);

    // Once more: every message shown exactly once.
    await v.page.goto(`${server.origin}/demo/pricing`);
    await v.w('.o .b').getByText('Welcome! Have a look at our prices.').waitFor();
    await expect
      .poll(() => v.w('.g .b').allTextContents())
      .toEqual([
        'Hi! How can we help you today?',
        'You: Hello from the home page',
        'Alice joined the chat',
        'Alice: Welcome! Have a look at our prices.',
        'You: Sent just before leaving',
      ]);
    expect(v.errors).toEqual([]);
  });
});
