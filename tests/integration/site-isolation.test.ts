import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/src/auth/passwords.js';
import { DEFAULT_SITE } from '../../server/src/http/site-defaults.js';
import { startServer, type TestServer } from '../helpers/start-server.js';
import { clientId, connectOperator, connectVisitor } from '../helpers/ws-client.js';

describe('an operator sees only the sites they belong to; a visitor only their own conversation', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => server.close());

  it('keeps sites and visitors apart', async () => {
    const other = await server.app.store.createSite({
      ...DEFAULT_SITE,
      key: 'other-shop',
      name: 'Other',
      identitySecret: 's',
    });
    await server.app.relay.refreshSite(other.id);
    const stranger = await server.app.store.createOperator({
      email: 'stranger@other.shop',
      name: 'Stranger',
      role: 'operator',
      capacity: 5,
      siteIds: [other.id],
      passwordHash: await hashPassword('stranger-pass'),
    });
    await server.app.store.updateOperator(stranger.id, { status: 'online' });
    await server.app.relay.refreshOperator(stranger.id);
    const cookie = await server.login('stranger@other.shop', 'stranger-pass');
    const op = await connectOperator(server.wsUrl, server.origin, cookie);

    // A demo-site visitor is never routed to the other site's operator.
    const { client, identity } = await connectVisitor(server.wsUrl, server.origin);
    client.send({ type: 'send', clientId: clientId(), text: 'private question' });
    const ack = await client.next<{ conversationId: string }>((f) => f.type === 'ack');
    await client.next((f) => f.type === 'queue');
    op.send({ type: 'sync', conversationId: ack.conversationId, afterSeq: 0 });
    expect(await op.next((f) => f.type === 'error')).toMatchObject({ code: 'not_found' });
    op.send({ type: 'pick', conversationId: ack.conversationId });
    expect(await op.nextNew('error')).toMatchObject({ code: 'not_found' });
    expect(op.frames.some((f) => JSON.stringify(f).includes('private question'))).toBe(false);

    const card = await fetch(`${server.origin}/api/visitors/${identity.visitorId}`, { headers: { cookie } });
    expect(card.status).toBe(404);
    const t = await fetch(`${server.origin}/api/transcripts/${ack.conversationId}`, { headers: { cookie } });
    expect(t.status).toBe(404);

    // Another visitor cannot resume or rate someone else's conversation.
    const thief = await connectVisitor(server.wsUrl, server.origin, {
      conversationId: ack.conversationId,
      lastSeq: 0,
    });
    expect(thief.client.frames.find((f) => f.type === 'welcome')).toMatchObject({ conversation: null });
    thief.client.send({ type: 'rate', conversationId: ack.conversationId, rating: 'bad' });
    expect(await thief.client.next((f) => f.type === 'error')).toMatchObject({ code: 'not_found' });
    expect(thief.client.frames.some((f) => JSON.stringify(f).includes('private question'))).toBe(false);
    await Promise.all([op.close(), client.close(), thief.client.close()]);
  });
});
