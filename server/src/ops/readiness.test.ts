import { describe, expect, it } from 'vitest';
import { Readiness } from './readiness.js';

describe('Readiness', () => {
  it('is ready when every check passes, and names the ones that fail or hang', async () => {
    const failures: string[] = [];
    const r = new Readiness(50, (name) => failures.push(name));
    r.register('store', async () => {});
    expect(await r.report()).toEqual({ ready: true, draining: false, checks: { store: 'ok' } });

    r.register('redis', () => {
      throw new Error('ECONNREFUSED');
    });
    r.register('slow', () => new Promise(() => {}));
    expect(await r.report()).toEqual({
      ready: false,
      draining: false,
      checks: { store: 'ok', redis: 'failed', slow: 'timeout' },
    });
    expect(failures).toEqual(['redis', 'slow']);
  });

  it('answers not-ready once draining, even with healthy dependencies', async () => {
    const r = new Readiness(50);
    r.register('store', () => {});
    r.drain();
    expect(await r.report()).toMatchObject({ ready: false, draining: true, checks: { store: 'ok' } });
  });

  it('refuses a second check under the same name', () => {
    const r = new Readiness(50);
    r.register('redis', () => {});
    expect(() => r.register('redis', () => {})).toThrow(/already registered/);
  });
});
