import { expect, it } from 'vitest';
import { OperatorClient } from './harness/clients.js';
import { OWNER_EMAIL, OWNER_PASSWORD, withCluster } from './harness/cluster.js';
import { clusterDescribe } from './harness/services.js';
import { waitFor } from './harness/wait.js';

/** The harness itself: process control, the per-test database and prefix, REST admin, console sockets. */
await clusterDescribe('cluster harness', () => {
  it('starts nodes on their own database, pauses, kills and restarts them on the same port', async () => {
    await withCluster({ nodes: 2 }, async (c) => {
      const [n1, n2] = c.nodes as [NonNullable<(typeof c.nodes)[0]>, NonNullable<(typeof c.nodes)[1]>];
      expect(await n1.health()).toMatchObject({ ok: true });
      const [row0] = await c.sql!`select current_database() as db`;
      expect(row0?.db).toBe(c.dbName);

      n2.pause();
      expect(await n2.health(300)).toBeNull();
      n2.resume();
      await waitFor('n2 to answer again', async () => (await n2.health()) !== null);

      await n2.kill();
      expect(n2.lastExit).toBe('SIGKILL');
      expect(await n2.health(300)).toBeNull();
      await n2.restart();
      expect(await n2.health()).toMatchObject({ ok: true });
      expect(n2.starts).toBe(2);

      const ann = await c.createOperator(n1, 'Ann', 2);
      const [row] = await c.sql!`select capacity from operators where id = ${ann.id}`;
      expect(row?.capacity).toBe(2);
      const console1 = new OperatorClient('ann', await c.login(n1, ann.email, ann.password));
      const welcome = await console1.connect(n1);
      expect(welcome).toMatchObject({ me: { id: ann.id, capacity: 2 } });
      await console1.close();
      expect(await c.login(n2, OWNER_EMAIL, OWNER_PASSWORD)).toMatch(/^beseda_session=/);

      expect(await n2.stop()).toBe(0);
    });
  });
});
