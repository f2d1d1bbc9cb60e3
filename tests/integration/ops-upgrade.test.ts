import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import expected from '../fixtures/sqlite-0.1.0/expected.json' with { type: 'json' };
import { startServer, type TestServer } from '../helpers/start-server.js';
import { clientId, connectOperator, connectVisitor } from '../helpers/ws-client.js';

const FIXTURE = new URL('../fixtures/sqlite-0.1.0/beseda.db', import.meta.url);

type Msg = { seq: number; author: string; text: string };
const visible = (messages: Msg[]) => messages.filter((m) => m.author !== 'note');

/**
 * A data dir written by release 0.1.0 (tests/fixtures/sqlite-0.1.0) is opened by this build: migrations
 * apply at start, and every conversation, message, identity and login of the old release still works.
 */
describe('upgrade from the 0.1.0 data dir', () => {
  let server: TestServer;
  afterEach(() => server.close());

  it('migrates at start and keeps transcripts, search, logins, visitor identities and the open chat', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'beseda-upgrade-'));
    await cp(FIXTURE, join(dataDir, 'beseda.db'));
    server = await startServer(
      // After a restart operators keep their chats for the grace period while consoles reconnect; this
      // test takes its time before the console comes back, so the grace is long.
      { ownerEmail: expected.owner.email, ownerPassword: expected.owner.password, operatorGraceMs: 60_000 },
      { dataDir },
    );
    const ready = await fetch(`${server.origin}/readyz`);
    expect(await ready.json()).toMatchObject({ ready: true, checks: { store: 'ok', migrations: 'ok' } });

    // The old owner logs in; history search (full-text index of the old release) finds the ended chat.
    const cookie = await server.login(expected.owner.email, expected.owner.password);
    const search = await fetch(`${server.origin}/api/transcripts?q=zebrafinch`, { headers: { cookie } });
    const found = (await search.json()) as {
      items: { conversation: { id: string; rating: string | null } }[];
    };
    expect(found.items.map((i) => i.conversation.id)).toEqual([expected.ended.id]);
    const transcript = await fetch(`${server.origin}/api/transcripts/${expected.ended.id}`, {
      headers: { cookie },
    });
    const detail = (await transcript.json()) as {
      conversation: { tags: string[]; rating: string };
      messages: Msg[];
    };
    expect(detail.messages.map(({ seq, author, text }) => ({ seq, author, text }))).toEqual(
      expected.ended.messages.map(({ seq, author, text }) => ({ seq, author, text })),
    );
    expect(detail.conversation).toMatchObject({ tags: ['shipping', 'vip'], rating: 'good' });

    // The old operator console gets the chat that was still active, and the old visitor resumes it.
    const op = await connectOperator(server.wsUrl, server.origin, cookie);
    const welcome = await op.next<{ chats: { id: string; status: string }[] }>((f) => f.type === 'welcome');
    expect(welcome.chats).toContainEqual(expect.objectContaining({ id: expected.open.id, status: 'active' }));
    const { client: visitor } = await connectVisitor(server.wsUrl, server.origin, {
      identity: expected.visitor,
      conversationId: expected.open.id,
      lastSeq: 0,
    });
    const history = await visitor.next<{ messages: Msg[] }>((f) => f.type === 'history');
    expect(history.messages.map(({ seq, author, text }) => ({ seq, author, text }))).toEqual(
      visible(expected.open.messages),
    );
    const cid = clientId();
    visitor.send({ type: 'send', clientId: cid, text: 'Still there after the upgrade?' });
    const ack = await visitor.next<{ seq: number; conversationId: string }>(
      (f) => f.type === 'ack' && f.clientId === cid,
    );
    expect(ack).toMatchObject({ conversationId: expected.open.id, seq: expected.open.messages.length + 1 });
    const stored = await server.app.store.listMessages(expected.open.id, ack.seq - 1, 1);
    expect(stored.map((m) => m.text)).toEqual(['Still there after the upgrade?']);
    await Promise.all([op.close(), visitor.close()]);
  });
});
