import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectSqlite } from '../../server/src/store/sqlite/sqlite-store.js';
import { serverProcessArgs } from '../helpers/server-under-test.js';
import { clientId, connectOperator, connectVisitor } from '../helpers/ws-client.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** The real server as its own process, so it can be killed with SIGKILL: no shutdown hook runs. */
function startNode(dataDir: string): Promise<{ proc: ChildProcess; origin: string }> {
  const proc = spawn(process.execPath, serverProcessArgs(), {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      OWNER_PASSWORD: 'owner-password',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start')), 30_000);
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveStart({ proc, origin: m[1]! });
      }
    });
    proc.once('exit', (code) => reject(new Error(`server exited early (${code}): ${out}`)));
  });
}

describe('a node killed mid-chat', () => {
  const procs: ChildProcess[] = [];
  let dataDir = '';
  afterAll(async () => {
    for (const p of procs) p.kill('SIGKILL');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged message after SIGKILL and a restart', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'beseda-kill-'));
    const first = await startNode(dataDir);
    procs.push(first.proc);
    const ws = first.origin.replace('http', 'ws');
    const login = await fetch(`${first.origin}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@beseda.local', password: 'owner-password' }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const op = await connectOperator(ws, first.origin, cookie);
    await op.next((f) => f.type === 'me' || f.type === 'welcome');
    const { client, identity } = await connectVisitor(ws, first.origin);
    const ids = Array.from({ length: 30 }, () => clientId());
    for (const [i, id] of ids.entries()) client.send({ type: 'send', clientId: id, text: `line ${i}` });
    await client.next((f) => f.type === 'ack' && f.clientId === ids[ids.length - 1]);
    const acked = client.ofType<{ clientId: string; conversationId: string }>('ack');
    expect(acked).toHaveLength(30);

    const exited = new Promise((r) => first.proc.once('exit', r));
    first.proc.kill('SIGKILL');
    await exited;

    const second = await startNode(dataDir);
    procs.push(second.proc);
    const ws2 = second.origin.replace('http', 'ws');
    const again = await connectVisitor(ws2, second.origin, {
      identity,
      conversationId: acked[0]!.conversationId,
      lastSeq: 0,
    });
    const h = await again.client.next<{ messages: { text: string; clientId: string }[] }>(
      (f) => f.type === 'history',
    );
    expect(h.messages.filter((m) => m.clientId).map((m) => m.clientId)).toEqual(ids);
    // The resumed conversation is still open and the visitor can go on writing.
    const more = clientId();
    again.client.send({ type: 'send', clientId: more, text: 'still here' });
    // 30 visitor lines + "Owner joined the chat" came before it.
    expect(await again.client.next((f) => f.type === 'ack' && f.clientId === more)).toMatchObject({
      seq: 32,
    });
    await again.client.close();

    // The owner was online when the node died: the restart closed that online interval.
    const { client: db } = await connectSqlite(join(dataDir, 'beseda.db'));
    const statuses = db
      .prepare(
        "select json_extract(data, '$.status') as status, json_extract(data, '$.reason') as reason from events where type = 'operator_status' order by id",
      )
      .all() as { status: string; reason: string }[];
    db.close();
    const online = statuses.findIndex((x) => x.status === 'online');
    expect(online).toBeGreaterThanOrEqual(0);
    expect(statuses.slice(online + 1)).toContainEqual({ status: 'offline', reason: 'restart' });
  }, 45_000);
});
