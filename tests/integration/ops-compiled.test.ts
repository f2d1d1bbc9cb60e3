import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientId, connectOperator, connectVisitor } from '../helpers/ws-client.js';
import { buildServer, ROOT, runServer, spawnServer, until } from './ops-process.js';

const OWNER = { email: 'owner@ops.test', password: 'owner-password-ops' };
const METRICS_TOKEN = 'metrics-token-ops-0123456789';

// These tests start processes (the compiled server, the backup CLI): give a busy machine time.
const SLOW = 60_000;

let dataDir: string;
beforeAll(async () => {
  buildServer();
  dataDir = await mkdtemp(join(tmpdir(), 'beseda-ops-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

function metric(body: string, name: string): number {
  const line = body.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
  return Number(line?.split(' ').at(-1));
}

describe('the compiled server (node server/dist/server.js)', () => {
  it(
    'serves a chat, exposes metrics, drains before closing sockets, and logs no message, token or email',
    async () => {
      const server = await spawnServer({
        DATA_DIR: dataDir,
        LOG_LEVEL: 'debug',
        OWNER_EMAIL: OWNER.email,
        OWNER_PASSWORD: OWNER.password,
        METRICS_TOKEN,
        DRAIN_DELAY_MS: '1000',
      });
      try {
        const { origin } = server;
        const wsUrl = origin.replace('http', 'ws');
        const login = await fetch(`${origin}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(OWNER),
        });
        expect(login.status).toBe(200);
        const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
        const op = await connectOperator(wsUrl, origin, cookie);

        const first = await connectVisitor(wsUrl, origin);
        first.client.send({ type: 'identify', name: 'Jana Novakova', email: 'jana.secret@example.com' });
        const cid = clientId();
        first.client.send({ type: 'send', clientId: cid, text: 'my parcel code is PARCEL-7731' });
        const ack = await first.client.next<{ conversationId: string }>(
          (f) => f.type === 'ack' && f.clientId === cid,
        );
        await op.next((f) => f.type === 'chat' && (f.conversation as { status: string }).status === 'active');
        const rid = clientId();
        op.send({
          type: 'send',
          conversationId: ack.conversationId,
          clientId: rid,
          text: 'answer with CODE-4242',
        });
        await first.client.next(
          (f) => f.type === 'message' && (f.message as { text: string }).text.includes('4242'),
        );
        await first.client.close();
        // A returning visitor with the token in the query string: the documented non-browser form.
        const again = await connectVisitor(wsUrl, origin, { identity: first.identity });

        const denied = await fetch(`${origin}/metrics`);
        expect(denied.status).toBe(401);
        const scrape = async () =>
          (
            await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
          ).text();
        // The first visitor's socket closes on the server a moment after the client sees it close.
        await until(async () => metric(await scrape(), 'beseda_visitors_connected') === 1);
        const body = await scrape();
        expect(metric(body, 'beseda_operators_connected')).toBe(1);
        expect(metric(body, 'beseda_operators_online')).toBe(1);
        expect(metric(body, 'beseda_queue_length')).toBe(0);
        expect(metric(body, 'process_resident_memory_bytes')).toBeGreaterThan(10e6);
        expect(body).toContain('nodejs_eventloop_lag_p99_seconds');

        expect((await fetch(`${origin}/readyz`)).status).toBe(200);
        server.proc.kill('SIGTERM');
        // Not ready first, while the sockets are still open ...
        await until(async () => (await fetch(`${origin}/readyz`)).status === 503);
        expect(again.client.closeCode).toBeNull();
        expect(await (await fetch(`${origin}/readyz`)).json()).toMatchObject({
          ready: false,
          draining: true,
        });
        // ... then the sockets close with 1012 (reconnect elsewhere) and the process exits cleanly.
        await until(() => again.client.closeCode !== null && op.closeCode !== null);
        expect([again.client.closeCode, op.closeCode]).toEqual([1012, 1012]);
        expect(await server.exited).toBe(0);

        const logs = server.output();
        expect(logs).toContain('token=***');
        for (const secret of [
          'PARCEL-7731',
          'CODE-4242',
          'jana.secret@example.com',
          'Jana Novakova',
          first.identity.token,
          cookie.split('=')[1]!,
          OWNER.password,
          METRICS_TOKEN,
        ])
          expect(logs, `logs contain ${secret}`).not.toContain(secret);
      } finally {
        server.proc.kill('SIGKILL');
      }
    },
    SLOW,
  );

  it(
    'refuses a bad configuration with one line per problem and exit code 2',
    async () => {
      const { code, stderr } = await runServer({
        PORT: 'eighty',
        REDIS_URL: 'redis://127.0.0.1:6379',
        DATA_DIR: dataDir,
      });
      expect(code).toBe(2);
      expect(stderr.split('\n').filter((l) => l.startsWith('config: '))).toEqual([
        'config: PORT="eighty": expected a whole number',
        'config: REDIS_URL is set but DATABASE_URL is not a postgres:// URL: cluster nodes must share one PostgreSQL database (a SQLite file is local to one node)',
        'config: see the Configuration table in README.md (or run with --print-config)',
      ]);
    },
    SLOW,
  );

  it(
    'prints the effective configuration with secrets masked',
    async () => {
      const { code, stdout } = await runServer(
        {
          DATABASE_URL: 'postgres://beseda:pg-pass-123@db/beseda',
          OWNER_PASSWORD: 'owner-pass-123',
          PORT: '8080',
        },
        ['--print-config'],
      );
      expect(code).toBe(0);
      expect(stdout).toContain('PORT=8080\n');
      expect(stdout).toContain('DATABASE_URL=postgres://beseda:***@db/beseda');
      expect(stdout).toContain('OWNER_PASSWORD=***');
      expect(stdout).not.toMatch(/pg-pass-123|owner-pass-123/);
    },
    SLOW,
  );

  it(
    'needs only the server package’s production dependencies at run time',
    () => {
      const pkg = JSON.parse(readFileSync(join(ROOT, 'server/package.json'), 'utf8')) as {
        dependencies: Record<string, string>;
      };
      const allowed = new Set([...Object.keys(pkg.dependencies), ...builtinModules]);
      const dist = join(ROOT, 'server/dist');
      const files = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
      expect(files).toContain('server.js');
      expect(files.some((f) => f.endsWith('.test.js'))).toBe(false);
      const imported = new Set<string>();
      for (const f of files) {
        const code = readFileSync(join(dist, f), 'utf8');
        for (const m of code.matchAll(
          /^(?:import|export)\b[^;]*?\bfrom\s*"([^"]+)"|\bimport\("([^"]+)"\)/gm,
        )) {
          const spec = m[1] ?? m[2]!;
          if (!spec.startsWith('.')) imported.add(spec);
        }
      }
      const packages = [...imported].map((s) =>
        s.startsWith('node:')
          ? s.slice(5)
          : s.startsWith('@')
            ? s.split('/').slice(0, 2).join('/')
            : s.split('/')[0]!,
      );
      expect(packages.filter((p) => !allowed.has(p))).toEqual([]);
      expect(packages).toContain('fastify');
    },
    SLOW,
  );
});
