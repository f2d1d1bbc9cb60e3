import { expect, it } from 'vitest';
import { closeAll, OperatorClient, type VisitorClient } from './harness/clients.js';
import { type Cluster, type OperatorAccount, withCluster } from './harness/cluster.js';
import { clusterDescribe } from './harness/services.js';
import { openVisitor } from './harness/session.js';
import { waitFor } from './harness/wait.js';

/** One session (one login), a console on every node: the same cookie on three sockets. */
async function consolesEverywhere(
  c: Cluster,
  account: OperatorAccount,
  cookie: string,
): Promise<OperatorClient[]> {
  return Promise.all(
    c.nodes.map(async (n) => {
      const op = new OperatorClient(`${account.name}@${n.name}`, cookie);
      await op.connect(n);
      return op;
    }),
  );
}

/** Waits until every console was closed with 4401 and returns how long the slowest took after `since`. */
async function allClosed4401(consoles: OperatorClient[], since: number): Promise<number> {
  await waitFor(
    'every console on every node to be closed',
    () => consoles.every((op) => op.closes.length > 0),
    {
      // `since` may lie ahead (an expiry): wait until 5 s past it.
      timeoutMs: Math.max(0, since - performance.now()) + 5_000,
      last: () => consoles.map((op) => [op.label, op.closes]),
    },
  );
  expect(consoles.map((op) => op.closes[0]!.code)).toEqual(consoles.map(() => 4401));
  return Math.max(...consoles.map((op) => op.closes[0]!.at - since));
}

/** Issue #8, test 13 (and PROTOCOL-NOTES 6): a revoked session loses its sockets on every node within 1 s. */
await clusterDescribe('session revocation on every node', () => {
  it('logout closes that session’s sockets on every node within 1 s (4401), not another session’s', async () => {
    await withCluster({}, async (c) => {
      const [n1, n2] = c.trio();
      const ann = await c.createOperator(n1, 'Ann', 1);
      const cookie = await c.login(n2, ann.email, ann.password);
      const other = await c.login(n1, ann.email, ann.password);
      const consoles = await consolesEverywhere(c, ann, cookie);
      const survivor = new OperatorClient('Ann-other-session', other);
      try {
        await survivor.connect(n1);
        // Measured from the answer to the logout: the session is gone by then (the request's own time on a
        // busy machine is not the relay's latency).
        const res = await c.rest(n1, 'POST', '/api/auth/logout', undefined, cookie);
        expect(res.status).toBe(200);
        const slowest = await allClosed4401(consoles, performance.now());
        expect(slowest, `closed after ${slowest.toFixed(0)} ms`).toBeLessThanOrEqual(1_000);
        expect(survivor.closes).toEqual([]);
        // The revoked cookie cannot open a socket again on any node.
        for (const n of c.nodes) {
          await expect(new OperatorClient('again', cookie).connect(n)).rejects.toThrow();
        }
      } finally {
        await closeAll(...consoles, survivor);
      }
    });
  });

  it('deactivation closes every socket of that operator on every node within 1 s and requeues their chats at once', async () => {
    await withCluster({}, async (c) => {
      const [n1, n2, n3] = c.trio();
      const ann = await c.createOperator(n1, 'Ann', 1);
      const consoles = await consolesEverywhere(c, ann, await c.login(n3, ann.email, ann.password));
      let v: VisitorClient | null = null;
      try {
        v = await openVisitor(n3, 'visitor');
        await v.send('hello');
        await waitFor('the chat assigned to Ann', () => v!.operatorId === ann.id);
        await c.patchOperator(n2, ann.id, { active: false });
        const slowest = await allClosed4401(consoles, performance.now());
        expect(slowest, `closed after ${slowest.toFixed(0)} ms`).toBeLessThanOrEqual(1_000);
        // "At once": no grace period for a deactivated account.
        await waitFor(
          'the chat back in the queue and the visitor told',
          async () => {
            const row = (await c.conversations()).find((x) => x.id === v!.conversationId);
            return (
              row?.status === 'queued' &&
              row.operatorId === null &&
              v!.status === 'queued' &&
              v!.position === 1
            );
          },
          { timeoutMs: 1_500 },
        );
        const res = await fetch(`${n1.origin}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: ann.email, password: ann.password }),
        });
        expect(res.status).toBe(401);
      } finally {
        await closeAll(...consoles, v);
      }
    });
  });

  it('session expiry closes that session’s sockets on every node within 1 s of the expiry', async () => {
    // Sessions last hours (SESSION_TTL_HOURS is whole hours), so the test moves this session's expiry to a few
    // seconds from now in the store before the consoles connect: what every node must then honour.
    await withCluster({}, async (c) => {
      const [n1] = c.trio();
      const ann = await c.createOperator(n1, 'Ann', 1);
      const cookie = await c.login(n1, ann.email, ann.password);
      const expiresWall = Date.now() + 6_000;
      await c.sql!`update sessions set expires_at = ${expiresWall} where operator_id = ${ann.id}`;
      const consoles = await consolesEverywhere(c, ann, cookie);
      // The expiry on this process's monotonic clock.
      const expiresAt = performance.now() + (expiresWall - Date.now());
      try {
        expect(consoles.every((op) => op.closes.length === 0)).toBe(true);
        const slowest = await allClosed4401(consoles, expiresAt);
        expect(slowest, `closed ${slowest.toFixed(0)} ms after the expiry`).toBeLessThanOrEqual(1_000);
      } finally {
        await closeAll(...consoles);
      }
    });
  });
});
