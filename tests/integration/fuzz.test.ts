import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/start-server.js';
import { clientId, connectOperator, connectVisitor } from '../helpers/ws-client.js';

/**
 * Protocol fuzzing against a real node: random JSON, mutated valid frames and random bytes. Every frame
 * must be answered by a typed error or a valid reply (never a crash, a hang or a silent drop of the
 * socket), and afterwards the node still routes a chat end to end.
 */
describe('protocol fuzzing', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ framesPerSecond: 10_000 });
  });
  afterAll(async () => server.close());

  const validVisitor = [
    { type: 'send', clientId: 'abcdefgh12', text: 'hi' },
    { type: 'typing', active: true },
    { type: 'rate', conversationId: 'x', rating: 'good' },
    { type: 'page', page: { url: 'http://x/' } },
    { type: 'identify', name: 'A', email: 'a@b.c' },
    { type: 'offline_message', clientId: 'abcdefgh13', name: 'A', email: 'a@b.c', text: 'x' },
    { type: 'end' },
  ];
  const validOperator = [
    { type: 'status', status: 'online', capacity: 2 },
    { type: 'send', conversationId: 'x', clientId: 'abcdefgh14', text: 'hi' },
    { type: 'pick', conversationId: 'x' },
    { type: 'transfer', conversationId: 'x', toOperatorId: 'y' },
    { type: 'tags', conversationId: 'x', tags: ['a'] },
    { type: 'sync', conversationId: 'x', afterSeq: 0 },
  ];

  /** Replaces one field of a valid frame by an arbitrary JSON value (or drops it). */
  const mutated = (frames: object[]) =>
    fc
      .tuple(
        fc.constantFrom(...frames),
        fc.string({ maxLength: 12 }),
        fc.option(fc.jsonValue({ maxDepth: 3 })),
      )
      .map(([f, key, value]) => {
        const copy: Record<string, unknown> = { ...f };
        const keys = Object.keys(copy);
        const k = keys.length && key.length % 2 === 0 ? keys[key.length % keys.length]! : key;
        if (value === null) delete copy[k];
        else copy[k] = value;
        return JSON.stringify(copy);
      });
  const junk = fc.oneof(
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 200 }),
    fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
  );

  async function fuzz(
    send: (raw: string) => void,
    client: {
      frames: { type: string }[];
      next: (p: (f: { type: string }) => boolean, t?: number, from?: number) => Promise<unknown>;
    },
    frames: object[],
  ) {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(mutated(frames), junk), { minLength: 1, maxLength: 8 }),
        async (raws) => {
          for (const raw of raws) send(raw);
          // A ping after the batch must be answered: frames are handled in order, so the node got through all of them.
          const mark = client.frames.length;
          send(JSON.stringify({ type: 'ping' }));
          await client.next((f) => f.type === 'pong', 5000, mark);
        },
      ),
      { numRuns: 60, seed: 20261123 },
    );
  }

  it('visitor sockets survive random and mutated frames', async () => {
    const { client } = await connectVisitor(server.wsUrl, server.origin);
    await fuzz((raw) => client.send(raw), client, validVisitor);
    const errors = client.frames.filter((f) => f.type === 'error') as unknown as { code: string }[];
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => typeof e.code === 'string' && e.code !== 'internal')).toBe(true);
    await client.close();
  });

  it('operator sockets survive random and mutated frames', async () => {
    const op = await connectOperator(server.wsUrl, server.origin, await server.login());
    await fuzz((raw) => op.send(raw), op, validOperator);
    const errors = op.frames.filter((f) => f.type === 'error') as unknown as { code: string }[];
    expect(errors.every((e) => e.code !== 'internal')).toBe(true);
    await op.close();
  });

  it('afterwards the node still routes a chat both ways', async () => {
    const op = await connectOperator(server.wsUrl, server.origin, await server.login());
    op.send({ type: 'status', status: 'online', capacity: 3 });
    const { client } = await connectVisitor(server.wsUrl, server.origin);
    client.send({ type: 'send', clientId: clientId(), text: 'after the storm' });
    const chat = await op.next<{ conversation: { id: string } }>(
      (f) => f.type === 'history' && JSON.stringify(f).includes('after the storm'),
    );
    expect(chat).toBeTruthy();
    await Promise.all([op.close(), client.close()]);
  });
});
