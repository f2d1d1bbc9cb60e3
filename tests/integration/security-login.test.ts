import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../server/src/core/clock.js';
import { OWNER_EMAIL, OWNER_PASSWORD, startServer, type TestServer } from '../helpers/start-server.js';

/**
 * Issue #9 point 8. Account enumeration: an unknown email used to answer in 12 ms, an existing one in 321 ms.
 * Guessing: the per-IP limit alone let many addresses try one account without end. Each request here comes
 * from its own X-Forwarded-For address (trustProxy on), so only the per-account backoff can stop them.
 */
describe('login: equal work for unknown accounts, per-account backoff as well as per IP', {
  timeout: 60_000,
}, () => {
  let server: TestServer;
  const clock = new FakeClock(Date.now());
  let ip = 0;
  beforeAll(async () => {
    server = await startServer({ trustProxy: true }, { clock });
  });
  afterAll(async () => server.close());

  const login = async (
    email: string,
    password: string,
    from = `10.0.${Math.floor(++ip / 250)}.${ip % 250}`,
  ) => {
    const res = await fetch(`${server.origin}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
      body: JSON.stringify({ email, password }),
    });
    return { status: res.status, body: await res.json(), retryAfter: res.headers.get('retry-after') };
  };
  const timed = async (email: string) => {
    const t0 = performance.now();
    const r = await login(email, 'wrong-password');
    expect(r.status).toBe(401);
    return performance.now() - t0;
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

  it('an unknown email costs the same password hashing as an existing account, with the same answer', async () => {
    await timed('warm-up@nowhere.example'); // the decoy hash is computed once, on first use
    const known: number[] = [];
    const unknown: number[] = [];
    // Interleaved, so load on the shared machine hits both series alike. 4 + 4 stays under the free failures.
    for (let i = 0; i < 4; i++) {
      known.push(await timed(OWNER_EMAIL));
      unknown.push(await timed('nobody@nowhere.example'));
    }
    const ratio = median(unknown) / median(known);
    expect(ratio, `known ${known.map(Math.round)} unknown ${unknown.map(Math.round)}`).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
    const a = await login(OWNER_EMAIL, 'wrong');
    const b = await login('nobody-else@nowhere.example', 'wrong');
    expect(a.body).toEqual(b.body);
    expect(a.body).toEqual({ error: 'unauthorized', message: 'Wrong email or password' });
  });

  it('after a few failures an account waits, whichever address tries, even with the right password', async () => {
    const op = await server.createOperator('Guarded');
    for (let i = 0; i < 5; i++) expect((await login(op.email, 'guess')).status).toBe(401);
    expect((await login(op.email, 'guess')).status).toBe(401); // the 6th failure starts the backoff
    const blocked = await login(op.email, op.password);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error).toBe('rate_limited');
    expect(Number(blocked.retryAfter)).toBeGreaterThanOrEqual(1);
    // Another account is not affected.
    const other = await server.createOperator('Other');
    expect((await login(other.email, other.password)).status).toBe(200);
    // Once the wait is over the right password works, and success clears the count.
    clock.advance(1_000);
    expect((await login(op.email, op.password)).status).toBe(200);
    expect((await login(op.email, 'one-typo')).status).toBe(401);
    expect((await login(op.email, op.password)).status).toBe(200);
  });

  it('the backoff doubles, and an unknown email is treated exactly like a real one (no enumeration)', async () => {
    const op = await server.createOperator('Doubling');
    const ghost = 'ghost@nowhere.example';
    const waits: Record<string, string | null>[] = [];
    for (const email of [op.email, ghost]) {
      for (let i = 0; i < 6; i++) await login(email, 'guess');
      const r = await login(email, 'guess');
      expect(r.status).toBe(429);
      waits.push({ first: r.retryAfter });
      clock.advance(1_000);
      expect((await login(email, 'guess')).status).toBe(401); // 7th failure: 2 s
      const r2 = await login(email, 'guess');
      waits[waits.length - 1]!.second = r2.retryAfter;
      expect(r2.body).toMatchObject({ error: 'rate_limited' });
    }
    expect(waits[0]).toEqual({ first: '1', second: '2' });
    expect(waits[1]).toEqual(waits[0]);
  });

  it('one address is still limited to 10 attempts a minute', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++)
      statuses.push((await login(OWNER_EMAIL, OWNER_PASSWORD, '192.0.2.7')).status);
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  it('LOGIN_ATTEMPTS_PER_MINUTE raises the per-address limit (an office behind one NAT)', async () => {
    const office = await startServer({ loginAttemptsPerMinute: 25 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 26; i++) {
        const res = await fetch(`${office.origin}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: OWNER_EMAIL, password: OWNER_PASSWORD }),
        });
        statuses.push(res.status);
      }
      expect(statuses.slice(0, 25).every((s) => s === 200)).toBe(true);
      expect(statuses[25]).toBe(429);
    } finally {
      await office.close();
    }
  });
});
