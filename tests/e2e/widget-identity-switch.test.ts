import { afterAll, beforeAll, expect, it } from 'vitest';
import { signIdentity } from '../../server/src/core/identity.js';
import { describeBrowser } from '../helpers/browser.js';
import { type Frame, operator, visitorPage, type WidgetEnv, widgetEnv } from './widget-kit.js';

/**
 * Issue #9 point 9 in a real browser: the host page identifies user A (signed), A chats; then the page
 * identifies user B on the same browser. B must see an empty chat and get a conversation of their own; A's
 * visitor and transcript stay as they were.
 */
describeBrowser('widget: a second verified user on the same browser', () => {
  let env: WidgetEnv;
  beforeAll(async () => {
    env = await widgetEnv();
  });
  afterAll(async () => env?.close());

  it('starts a new visitor session for B: empty chat, a new conversation, A intact in the store', async () => {
    const { server } = env;
    const alice = await operator(server, 'Olga', 2);
    const secret = (await server.app.store.getSite(server.site.id))!.identitySecret;
    const expiresAt = Math.floor(Date.now() / 1000) + 3600;
    const claim = (userId: string, email: string, name: string) => ({
      userId,
      email,
      name,
      expiresAt,
      signature: signIdentity(secret, { userId, email, name, expiresAt }),
    });
    const v = await visitorPage(env);
    await v.openPanel();
    const verified = (userId: string) => (f: Frame) =>
      f.type === 'identity' && f.status === 'verified' && v.sent.some((s) => s.userId === userId);

    await v.page.evaluate((id) => window.Beseda!.identify(id), claim('user-a', 'anna@example.com', 'Anna'));
    await v.nextReceived(verified('user-a'));
    await v.say('Anna: where is order 1234?');
    const ackA = await v.nextReceived((f) => f.type === 'ack');
    const convA = ackA.conversationId as string;
    await alice.assigned((id) => id === convA);
    await alice.reply(convA, 'Hi Anna, it ships today');
    await v.w('.o .b').getByText('Hi Anna, it ships today').waitFor();
    const vidA = await v.page.evaluate(() => localStorage.getItem('beseda:demo:vid'));

    // Anna logs out, Boris logs in on the same browser; the host page identifies him.
    await v.page.evaluate((id) => window.Beseda!.identify(id), claim('user-b', 'boris@example.com', 'Boris'));
    await v.nextReceived((f) => f.type === 'error' && f.code === 'identity_changed');
    const welcomeB = await v.nextReceived((f) => f.type === 'welcome' && f.visitorId !== vidA);
    expect(welcomeB.conversation).toBeNull();
    await expect
      .poll(() => v.received.filter((f) => f.type === 'identity' && f.status === 'verified').length)
      .toBe(2);
    // Nothing of Anna's chat is on Boris's screen.
    // Only the site's greeting is left: no message of Anna's chat.
    await expect.poll(() => v.w('.v .b').count()).toBe(0);
    const shown = await v.w('.p').textContent();
    for (const text of ['Anna', 'order 1234', 'ships today']) expect(shown).not.toContain(text);

    await v.say('Boris: I have a different question');
    const ackB = await v.nextReceived((f) => f.type === 'ack' && f.conversationId !== convA);
    const convB = await server.app.store.getConversation(ackB.conversationId as string);
    expect(convB).toMatchObject({ visitorId: welcomeB.visitorId, visitorEmail: 'boris@example.com' });
    await v.w('.v .b').getByText('Boris: I have a different question').waitFor();
    expect(await v.w('.p').textContent()).not.toContain('order 1234');

    // Anna's visitor and transcript are untouched.
    expect(await server.app.store.getVisitor(vidA!)).toMatchObject({ userId: 'user-a', verified: true });
    expect((await server.app.store.listMessages(convA, 0)).map((m) => m.text)).toEqual(
      expect.arrayContaining(['Anna: where is order 1234?', 'Hi Anna, it ships today']),
    );
    expect((await server.app.store.listMessages(convA, 0)).some((m) => m.text.startsWith('Boris'))).toBe(
      false,
    );
    expect(await server.app.store.getVisitor(welcomeB.visitorId as string)).toMatchObject({
      userId: 'user-b',
      verified: true,
    });
    expect(v.errors).toEqual([]);
    await alice.client.close();
  });
});
