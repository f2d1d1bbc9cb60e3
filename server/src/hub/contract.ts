import { afterEach, describe, expect, it } from 'vitest';
import type { Hub } from './types.js';

/** Behaviour every Hub implementation must have; run against MemoryHub and RedisHub. */
export function hubContract(name: string, make: () => Promise<Hub[]>) {
  describe(`Hub contract: ${name}`, () => {
    let hubs: Hub[] = [];
    afterEach(async () => {
      await Promise.all(hubs.map((h) => h.close()));
      hubs = [];
    });

    const waitFor = async (cond: () => boolean) => {
      for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
      expect(cond()).toBe(true);
    };

    it('delivers a published payload to every subscriber of the topic, in order', async () => {
      hubs = await make();
      const hub = hubs[0]!;
      const a: unknown[] = [];
      const b: unknown[] = [];
      hub.subscribe('t1', (p) => a.push(p));
      hub.subscribe('t1', (p) => b.push(p));
      await hub.ready();
      for (let i = 0; i < 20; i++) await hub.publish('t1', { i });
      await waitFor(() => a.length === 20 && b.length === 20);
      expect(a).toEqual(Array.from({ length: 20 }, (_, i) => ({ i })));
      expect(b).toEqual(a);
    });

    it('does not deliver other topics or after unsubscribe', async () => {
      hubs = await make();
      const hub = hubs[0]!;
      const got: unknown[] = [];
      const off = hub.subscribe('t2', (p) => got.push(p));
      await hub.ready();
      await hub.publish('other', { x: 1 });
      await hub.publish('t2', { x: 2 });
      await waitFor(() => got.length === 1);
      off();
      await hub.publish('t2', { x: 3 });
      await hub.publish('t2-probe', {});
      const probe: unknown[] = [];
      hub.subscribe('t2-probe', (p) => probe.push(p));
      await hub.ready();
      await hub.publish('t2-probe', { done: true });
      await waitFor(() => probe.length === 1);
      expect(got).toEqual([{ x: 2 }]);
    });

    it('fans out between all hubs sharing a backend (a single hub trivially)', async () => {
      hubs = await make();
      const received = hubs.map(() => [] as unknown[]);
      hubs.forEach((h, i) => {
        h.subscribe('fan', (p) => received[i]!.push(p));
      });
      await Promise.all(hubs.map((h) => h.ready()));
      await hubs[hubs.length - 1]!.publish('fan', { from: 'last' });
      await waitFor(() => received.every((r) => r.length === 1));
      for (const r of received) expect(r).toEqual([{ from: 'last' }]);
    });
  });
}
