import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/start-server.js';
import { clientId, connectOperator, connectVisitor } from '../helpers/ws-client.js';

describe('leave a message when nobody is available', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(async () => server.close());

  it('outside business hours the widget is told so, and the message becomes an offline conversation operators see', async () => {
    // Open only one minute a week, at a time that is not now.
    const now = new Date();
    const closedDay = (now.getUTCDay() + 3) % 7;
    await server.app.store.updateSite(server.site.id, {
      timezone: 'UTC',
      businessHours: { days: [{ day: closedDay, from: 0, to: 1 }] },
    });
    await server.app.relay.refreshSite(server.site.id);
    const config = await (await fetch(`${server.origin}/api/widget/config?site=demo`)).json();
    expect(config.withinHours).toBe(false);

    const op = await connectOperator(server.wsUrl, server.origin, await server.login());
    const { client } = await connectVisitor(server.wsUrl, server.origin);
    const welcome = client.frames.find((f) => f.type === 'welcome')!;
    expect(welcome.withinHours).toBe(false);

    const cid = clientId();
    const form = {
      type: 'offline_message',
      clientId: cid,
      name: 'Jana',
      email: 'Jana@Example.com',
      text: 'Please call me back about order 77',
    };
    client.send(form);
    const ack = await client.next<{ conversationId: string; seq: number }>(
      (f) => f.type === 'ack' && f.clientId === cid,
    );
    // A retry of the same form (lost ack) does not create a second conversation.
    client.send(form);
    const ack2 = await client.nextNew<{ conversationId: string }>('ack');
    expect(ack2.conversationId).toBe(ack.conversationId);

    const conv = await server.app.store.getConversation(ack.conversationId);
    expect(conv).toMatchObject({ status: 'offline', visitorName: 'Jana', visitorEmail: 'jana@example.com' });
    const seen = await op.next<{ conversation: { id: string; status: string } }>((f) => f.type === 'offline');
    expect(seen.conversation).toMatchObject({ id: ack.conversationId, status: 'offline' });

    const cookie = await server.login();
    const list = await (
      await fetch(`${server.origin}/api/transcripts?q=order`, { headers: { cookie } })
    ).json();
    expect(list.items.map((i: { conversation: { id: string } }) => i.conversation.id)).toContain(
      ack.conversationId,
    );
    await Promise.all([op.close(), client.close()]);
  });

  it('rejects a form without a valid email with a typed error', async () => {
    const { client } = await connectVisitor(server.wsUrl, server.origin);
    const cid = clientId();
    client.send({ type: 'offline_message', clientId: cid, name: 'X', email: 'not-an-email', text: 'hi' });
    expect(await client.next((f) => f.type === 'error')).toMatchObject({ code: 'bad_frame', ref: cid });
    await client.close();
  });
});
