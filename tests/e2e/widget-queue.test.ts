import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser } from '../helpers/browser.js';
import { clientId, connectVisitor } from '../helpers/ws-client.js';
import { operator, visitorPage, type WidgetEnv, widgetEnv } from './widget-kit.js';

/**
 * Issue #3.1: the visitor in the queue sees the exact position, how many are ahead and an ETA range,
 * live as the queue moves (chats ending ahead of them), until an operator takes the chat.
 */
describeBrowser('widget: queue position and ETA', () => {
  let env: WidgetEnv;
  beforeAll(async () => {
    env = await widgetEnv();
  });
  afterAll(async () => env?.close());

  it('shows position, people ahead and ETA, updated as the chats ahead end, then the operator', async () => {
    const { server } = env;
    const alice = await operator(server, 'Alice', 1);
    // Two visitors over plain sockets get there first: one is served, one waits.
    const ahead: { conversationId: string }[] = [];
    for (const text of ['first', 'second']) {
      const { client } = await connectVisitor(server.wsUrl, server.origin);
      const id = clientId();
      client.send({ type: 'send', clientId: id, text });
      ahead.push(await client.next<{ conversationId: string }>((f) => f.type === 'ack' && f.clientId === id));
    }
    await alice.assigned((id) => id === ahead[0]!.conversationId);

    const v = await visitorPage(env);
    await v.openPanel();
    await v.say('Is anyone there?');
    const head = v.w('.q .qh');
    const rest = v.w('.q .qr');
    await head.getByText('You are number 2 in the queue').waitFor();
    expect(await rest.textContent()).toMatch(/^1 person ahead of you · (about \d+–\d+|under \d+) min$/);
    await v.shot('widget-queue-2');

    // The served chat ends: everybody moves up; the widget follows the `queue` frames.
    alice.end(ahead[0]!.conversationId);
    await alice.assigned((id) => id === ahead[1]!.conversationId);
    await head.getByText('You are next in the queue').waitFor();
    expect(await rest.textContent()).toMatch(/^(about \d+(–\d+)?|under \d+) min$/); // nobody ahead: no "0 people"
    const etas = v.received.filter((f) => f.type === 'queue').map((f) => f.eta);
    expect(etas.length).toBeGreaterThanOrEqual(2);
    await v.shot('widget-queue-1');

    // The second chat ends too: the visitor is served; the banner gives way to the operator's name.
    alice.end(ahead[1]!.conversationId);
    await v.w('.hs').getByText('You are chatting with Alice').waitFor();
    await expect.poll(() => v.w('.q').count()).toBe(0);
    await v.w('.y').getByText('Alice joined the chat').waitFor();
    await v.shot('widget-queue-served');
    expect(v.errors).toEqual([]);
  });
});
