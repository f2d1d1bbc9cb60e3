import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser } from '../helpers/browser.js';
import { operator, storedTexts, visitorPage, type WidgetEnv, widgetEnv } from './widget-kit.js';

/**
 * Issue #3.6: the same conversation in two open tabs. Each tab keeps its own socket (the relay fans out
 * to all of a visitor's sockets); localStorage events carry what the relay cannot (unsent text, a chat a
 * tab had not joined, "Start a new chat"). See widget/src/chat/tab-sync.ts.
 */
describeBrowser('widget: two tabs, one conversation', () => {
  let env: WidgetEnv;
  beforeAll(async () => {
    env = await widgetEnv();
  });
  afterAll(async () => env?.close());

  it('a message sent or received in one tab appears in the other', async () => {
    const { server } = env;
    const alice = await operator(server, 'Alice', 1);
    const a = await visitorPage(env);
    const b = await visitorPage(env, { ctx: a.ctx });
    await a.openPanel();
    await a.say('Written in tab A');
    const conversationId = await alice.assigned();

    // Tab B never opened its panel: it still learns of the chat and shows it when opened.
    await b.nextSent((f) => f.type === 'hello');
    await b.openPanel();
    await b.w('.v .b').getByText('Written in tab A').waitFor();

    await alice.reply(conversationId, 'Hello to both tabs');
    await a.w('.o .b').getByText('Hello to both tabs').waitFor();
    await b.w('.o .b').getByText('Hello to both tabs').waitFor();

    await b.say('Written in tab B');
    await a.w('.v .b').getByText('Written in tab B').waitFor();

    // A closed panel in one tab counts the operator's message as unread there.
    await b.w('.h').getByRole('button', { name: 'Minimise chat' }).click();
    await alice.reply(conversationId, 'Are you still there?');
    await a.w('.o .b').getByText('Are you still there?').waitFor();
    await b.w('.l .bd:not([hidden])').getByText('1').waitFor();
    await a.shot('widget-tabs-a');
    await b.shot('widget-tabs-b');

    for (const v of [a, b]) {
      await expect
        .poll(() => v.w('.ml .b').allTextContents())
        .toEqual([
          'You: Written in tab A',
          'Alice joined the chat',
          'Alice: Hello to both tabs',
          'You: Written in tab B',
          'Alice: Are you still there?',
        ]);
    }
    expect(await storedTexts(server, conversationId, 'visitor')).toEqual([
      'Written in tab A',
      'Written in tab B',
    ]);
    // The two tabs are one visitor.
    const ids = [a, b].map((v) => v.received.find((f) => f.type === 'welcome')?.visitorId);
    expect(ids[0]).toBe(ids[1]);

    // "Start a new chat" in one tab is followed by the other.
    alice.end(conversationId);
    await a.w('.e').getByText('Chat ended').waitFor();
    await b.openPanel();
    await b.w('.e').getByText('Chat ended').waitFor();
    await a.w('.e').getByRole('button', { name: 'Start a new chat' }).click();
    await expect.poll(() => b.w('.ml .g').count()).toBe(0);
    await b.w('.c textarea').waitFor();
    expect([...a.errors, ...b.errors]).toEqual([]);
  });
});
