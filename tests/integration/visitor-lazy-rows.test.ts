import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { hashToken } from '../../server/src/auth/tokens.js';
import { startServer, type TestServer } from '../helpers/start-server.js';
import { clientId, connectOperator, TestClient } from '../helpers/ws-client.js';

const LIMIT = 300;
const BURST = 500;
const WRITERS = 30;

interface Ident {
  vid: string;
  token: string;
}
const newIdent = (): Ident => ({ vid: randomUUID(), token: randomBytes(32).toString('base64url') });

type Opened = { ok: true; client: TestClient } | { ok: false; status: number };

/** One visitor upgrade (new=1 as the widget says it until its row exists); a refusal reports its status. */
async function open(server: TestServer, id: Ident, fresh: boolean): Promise<Opened> {
  const q = new URLSearchParams({ site: 'demo', vid: id.vid, token: id.token });
  if (fresh) q.set('new', '1');
  try {
    return {
      ok: true,
      client: await TestClient.connect(`${server.wsUrl}/ws/visitor?${q}`, { origin: server.origin }),
    };
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (!status) throw err;
    return { ok: false, status };
  }
}

/** The body of a refused upgrade, read as the raw HTTP answer (the subprotocol form browsers use). */
function refusalBody(server: TestServer, id: Ident): Promise<{ status: number; body: unknown }> {
  const q = new URLSearchParams({ site: 'demo', vid: id.vid, new: '1' });
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.wsUrl}/ws/visitor?${q}`, ['beseda.v1', `beseda.token.${id.token}`], {
      headers: { origin: server.origin },
    });
    ws.once('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (c: Buffer) => {
        text += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    ws.once('open', () => reject(new Error('upgrade was accepted')));
  });
}

const closed = (c: TestClient) =>
  c.closeCode !== null ? Promise.resolve(c.closeCode) : new Promise<number>((r) => c.ws.once('close', r));

async function hello(client: TestClient) {
  client.send({ type: 'hello', v: 1, page: { url: 'http://127.0.0.1/pricing', title: 'Pricing' } });
  return client.next<{ visitorId: string; stored?: boolean }>((f) => f.type === 'welcome');
}

/**
 * Issue #9 point 6: visitor rows are made lazily (first message, offline form, identify), and new visitor
 * sessions are rate-limited per address from memory, while resumes are never refused by that limit.
 */
describe('lazy visitor rows and the per-address rate of new visitors', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ newVisitorsPerMinutePerIp: LIMIT, maxConnectionsPerIp: 10_000 });
  });
  afterAll(async () => server.close());

  it('a burst of 500 sessions from one address stores rows only for those who wrote; beyond the rate, 429', async () => {
    const idents = Array.from({ length: BURST }, newIdent);
    const results = await Promise.all(idents.map((id) => open(server, id, true)));
    const opened = results.flatMap((r, i) => (r.ok ? [{ client: r.client, id: idents[i]! }] : []));
    const refused = results.filter((r): r is Extract<Opened, { ok: false }> => !r.ok);
    expect(opened).toHaveLength(LIMIT);
    expect(refused).toHaveLength(BURST - LIMIT);
    expect(refused.every((r) => r.status === 429)).toBe(true);
    expect(await refusalBody(server, newIdent())).toMatchObject({
      status: 429,
      body: { error: 'rate_limited', message: expect.stringMatching(/new visitors/) },
    });

    const welcomes = await Promise.all(opened.map((o) => hello(o.client)));
    expect(welcomes.every((w) => w.stored === false)).toBe(true);
    const writers = opened.slice(0, WRITERS);
    const acks = await Promise.all(
      writers.map(({ client }) => {
        const cid = clientId();
        client.send({ type: 'send', clientId: cid, text: 'Hello from a new visitor' });
        return client.next<{ conversationId: string }>((f) => f.type === 'ack' && f.clientId === cid);
      }),
    );
    const rows = await Promise.all(idents.map((id) => server.app.store.getVisitor(id.vid)));
    const storedIds = idents.filter((_, i) => rows[i]).map((id) => id.vid);
    expect(storedIds.sort()).toEqual(writers.map((w) => w.id.vid).sort());
    for (const [i, w] of writers.entries()) {
      const convs = await server.app.store.listVisitorConversations(w.id.vid, 10);
      expect(convs.map((c) => c.id)).toEqual([acks[i]!.conversationId]);
      // What the visitor did before writing reached the card with the row.
      expect((await server.app.store.listPageViews(w.id.vid, 10)).map((p) => p.url)).toEqual([
        'http://127.0.0.1/pricing',
      ]);
    }
    // Their chats end here, so the queue is empty for the next test's operator.
    await Promise.all(
      writers.map(({ client }) => {
        client.send({ type: 'end' });
        return client.next(
          (f) => f.type === 'conversation' && (f.conversation as { status: string }).status !== 'queued',
        );
      }),
    );
    await Promise.all(opened.map((o) => o.client.close()));

    // The window is used up: a new visitor is refused…
    const late = await open(server, newIdent(), true);
    expect(late).toMatchObject({ ok: false, status: 429 });
    // …a reader of this window reconnecting (a navigation) is the same new visitor, counted once…
    const reader = await open(server, opened[WRITERS]!.id, true);
    expect(reader.ok).toBe(true);
    if (reader.ok) {
      expect((await hello(reader.client)).stored).toBe(false);
      await reader.client.close();
    }
    // …and returning visitors are never refused, also with a stale `new=1` (a tab that never saw an ack).
    for (const [i, w] of writers.slice(0, 5).entries()) {
      const again = await open(server, w.id, i % 2 === 0);
      expect(again.ok, `resume ${i}`).toBe(true);
      if (!again.ok) continue;
      again.client.send({ type: 'hello', v: 1, conversationId: acks[i]!.conversationId, lastSeq: 0 });
      const welcome = await again.client.next<{ stored: boolean; conversation: { id: string } }>(
        (f) => f.type === 'welcome',
      );
      expect(welcome).toMatchObject({ stored: true, conversation: { id: acks[i]!.conversationId } });
      const history = await again.client.next<{ messages: { text: string }[] }>((f) => f.type === 'history');
      expect(history.messages[0]?.text).toBe('Hello from a new visitor');
      await again.client.close();
    }
    // A stranger who learnt a stored visitor's id cannot use it with another secret.
    const stranger = await open(server, { vid: writers[0]!.id.vid, token: newIdent().token }, false);
    expect(stranger.ok).toBe(true);
    if (stranger.ok) {
      await stranger.client.next((f) => f.type === 'error' && f.code === 'unauthorized');
      expect(await closed(stranger.client)).toBe(4401);
    }
  });

  it('normal chat is unaffected: a returning visitor chats with an operator while new ones are refused', async () => {
    const op = await connectOperator(server.wsUrl, server.origin, await server.login());
    const writer = newIdent();
    // This address's window is exhausted by the burst above, but a stored visitor (made here as a returning
    // one from before this window) resumes.
    const stored = await server.app.store.ensureVisitor({
      id: writer.vid,
      siteId: server.site.id,
      tokenHash: hashToken(writer.token),
      name: null,
      email: null,
      lang: null,
      userAgent: null,
      createdAt: Date.now(),
      lastSeenAt: Date.now(),
    });
    expect(stored.created).toBe(true);
    const r = await open(server, writer, false);
    if (!r.ok) throw new Error(`resume refused: ${r.status}`);
    await hello(r.client);
    const refusedMeanwhile = await open(server, newIdent(), true);
    expect(refusedMeanwhile).toMatchObject({ ok: false, status: 429 });
    const cid = clientId();
    r.client.send({ type: 'send', clientId: cid, text: 'Where is my parcel?' });
    const ack = await r.client.next<{ conversationId: string }>(
      (f) => f.type === 'ack' && f.clientId === cid,
    );
    await op.next((f) => f.type === 'chat' && (f.conversation as { id: string }).id === ack.conversationId);
    const rid = clientId();
    op.send({ type: 'send', conversationId: ack.conversationId, clientId: rid, text: 'On its way.' });
    const reply = await r.client.next<{ message: { text: string } }>(
      (f) => f.type === 'message' && (f.message as { author: string }).author === 'operator',
    );
    expect(reply.message.text).toBe('On its way.');
    await Promise.all([r.client.close(), op.close()]);
  });
});
