import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser } from '../helpers/browser.js';
import { updateSite, visitorPage, type WidgetEnv, widgetEnv } from './widget-kit.js';

/**
 * Issue #3.2: outside business hours (or with nobody online) the widget offers a leave-a-message form
 * (email required), sends it outbox-style and confirms; the message lands as an `offline` conversation.
 */
describeBrowser('widget: leave a message outside business hours', () => {
  let env: WidgetEnv;
  beforeAll(async () => {
    env = await widgetEnv();
  });
  afterAll(async () => env?.close());

  it('shows the form, validates it, sends it once and confirms; operators find it in transcripts', async () => {
    const { server } = env;
    await server.createOperator('Alice', 2); // somebody is online, but the shop is closed
    const now = new Date();
    const closedDay = (now.getUTCDay() + 3) % 7; // open only on a day that is not today
    await updateSite(server, {
      businessHours: { days: [{ day: closedDay, from: 9 * 60, to: 17 * 60 }] },
      timezone: 'UTC',
    });

    const v = await visitorPage(env);
    await v.openPanel();
    const form = v.w('form.fm');
    await form.getByText('We are outside our opening hours.').waitFor();
    await v.nextReceived((f) => f.type === 'welcome' && f.withinHours === false);

    // Email is required, and must look like one; the errors are ours, in the widget's language.
    await v.w('#bs-name').fill('Eva Nováková');
    await v.w('#bs-text').fill('Do you have the blue teapot in stock?');
    await form.locator('button[type=submit]').click();
    await v.w('#bs-email-e').getByText('Please fill this in.').waitFor();
    expect(
      await v.w('#bs-email').evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement),
    ).toBe(true);
    await v.w('#bs-email').fill('eva at example.com');
    await form.locator('button[type=submit]').click();
    await v.w('#bs-email-e').getByText('Enter a valid email address.').waitFor();
    await v.shot('widget-offline-errors');
    await v.w('#bs-email').fill('eva@example.com');
    await form.locator('button[type=submit]').click();

    await v
      .w('.ok [role=status]')
      .getByText('Thank you! We got your message and will reply to eva@example.com.')
      .waitFor();
    const sent = await v.nextSent((f) => f.type === 'offline_message');
    const ack = await v.nextReceived((f) => f.type === 'ack' && f.clientId === sent.clientId);
    await v.shot('widget-offline-sent');

    const conv = await server.app.store.getConversation(ack.conversationId as string);
    expect(conv).toMatchObject({
      status: 'offline',
      visitorEmail: 'eva@example.com',
      visitorName: 'Eva Nováková',
    });
    const messages = await server.app.store.listMessages(conv!.id, 0);
    expect(messages.map((m) => m.text)).toEqual(['Do you have the blue teapot in stock?']);

    // Operators see it in the transcripts (REST), as an offline conversation.
    const cookie = await server.login();
    const res = await fetch(`${server.origin}/api/transcripts?status=offline`, { headers: { cookie } });
    const list = (await res.json()) as { items: { conversation: { id: string } }[] };
    expect(list.items.map((i) => i.conversation.id)).toContain(conv!.id);

    // The confirmation survives a navigation; nothing is sent twice.
    await v.page.goto(`${server.origin}/demo/pricing`);
    await v.w('.ok [role=status]').getByText('eva@example.com', { exact: false }).waitFor();
    await v.w('.ok button').click(); // write another message
    await v.w('form.fm #bs-email').waitFor();
    expect(await v.w('#bs-email').inputValue()).toBe('eva@example.com');
    expect(v.sent.filter((f) => f.type === 'offline_message')).toHaveLength(1);
    expect(v.errors).toEqual([]);
  });
});
