import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser } from '../helpers/browser.js';
import { operator, visitorPage, type WidgetEnv, widgetEnv } from './widget-kit.js';

/**
 * Issue #3.4: the visitor ends the chat explicitly (or the operator does), rates it good/bad with an
 * optional comment, and starts a fresh chat; the rating and comment land in the store.
 */
describeBrowser('widget: end, rate, start again', () => {
  let env: WidgetEnv;
  beforeAll(async () => {
    env = await widgetEnv();
  });
  afterAll(async () => env?.close());

  it('visitor ends, rates with a comment; operator ends the next one, visitor rates it bad', async () => {
    const { server } = env;
    const alice = await operator(server, 'Alice', 2);
    const v = await visitorPage(env);
    await v.openPanel();
    await v.say('Hello, I need help with my order');
    const first = await alice.assigned();
    await alice.reply(first, 'Sure, what is the order number?');
    await v.w('.o .b').getByText('Sure, what is the order number?').waitFor();

    // The visitor ends the chat from the header.
    await v.w('.h').getByRole('button', { name: 'End chat' }).click();
    await v.w('.e').getByText('Chat ended').waitFor();
    await v.w('.y').getByText('You ended the chat').waitFor();
    await v.w('.e').getByRole('button', { name: 'Good' }).click();
    await expect.poll(async () => (await server.app.store.getConversation(first))?.rating).toBe('good');
    await v.w('.cm textarea').fill('Quick and friendly, thanks!');
    await v.shot('widget-rating-comment');
    await v.w('.cm').getByRole('button', { name: 'Send feedback' }).click();
    await v.w('.e').getByText('Thanks for your feedback!').waitFor();
    await expect
      .poll(
        async () => (await server.app.store.getConversation(first)) as unknown as { ratingComment?: string },
      )
      .toMatchObject({ rating: 'good', ratingComment: 'Quick and friendly, thanks!' });

    // A fresh chat: the greeting again, an empty history, a new conversation on the server.
    await v.w('.e').getByRole('button', { name: 'Start a new chat' }).click();
    await v.w('.c textarea').waitFor();
    await expect.poll(() => v.w('.ml .g').count()).toBe(0);
    await v.w('.m .g.o').getByText('Hi! How can we help you today?').waitFor();
    await v.say('One more question');
    const second = await alice.assigned((id) => id !== first);
    expect(second).not.toBe(first);

    // This time the operator ends it; the visitor can still rate, without a comment.
    alice.end(second);
    await v.w('.y').getByText('Alice ended the chat').waitFor();
    await v.w('.e').getByRole('button', { name: 'Bad' }).click();
    await expect.poll(async () => (await server.app.store.getConversation(second))?.rating).toBe('bad');
    await v.shot('widget-rating-bad');
    expect(v.errors).toEqual([]);
  });
});
