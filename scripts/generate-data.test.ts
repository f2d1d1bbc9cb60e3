import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../server/src/metrics/sqlite-metrics.js';
import { generateData, parseGenerateArgs } from './generate-data.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beseda-gen-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const opts = { conversations: 600, days: 14, seed: 42, end: '2026-03-31', operators: 4 };

function summary(file: string) {
  const db = openDatabase(file);
  try {
    return {
      facts: db.prepare('SELECT * FROM chat_facts ORDER BY conversation_id').all(),
      events: db.prepare('SELECT type, count(*) AS n FROM events GROUP BY type ORDER BY type').all(),
      intervals: db.prepare('SELECT operator_id, from_ms, to_ms FROM operator_intervals ORDER BY 1, 2').all(),
      messages: db.prepare('SELECT count(*) FROM messages').pluck().get(),
    };
  } finally {
    db.close();
  }
}

describe('generate-data', () => {
  it('is deterministic for a seed and writes a plausible history', async () => {
    const a = await generateData({ ...opts, dataDir: join(dir, 'a') });
    const b = await generateData({ ...opts, dataDir: join(dir, 'b') });
    expect(a.conversations).toBe(600);
    expect(a.from).toBe('2026-03-18');
    const sa = summary(a.file);
    expect(summary(b.file)).toEqual(sa);
    const types = Object.fromEntries((sa.events as { type: string; n: number }[]).map((e) => [e.type, e.n]));
    expect(types.enqueued).toBeGreaterThan(400);
    expect(types.missed).toBeGreaterThan(0);
    expect(types.offline_message).toBeGreaterThan(0); // nights are not covered
    expect(types.rated).toBeGreaterThan(0);
    expect(types.operator_status).toBeGreaterThan(20);
    expect(sa.messages).toBeGreaterThan(1500);
    expect(a.missed + a.offline).toBeLessThan(300);
    // The busiest hours are in the afternoon.
    const db = openDatabase(a.file);
    const peak = db
      .prepare('SELECT hour FROM chat_facts GROUP BY hour ORDER BY count(*) DESC LIMIT 1')
      .pluck()
      .get() as number;
    db.close();
    expect(peak).toBeGreaterThanOrEqual(12);
    expect(peak).toBeLessThanOrEqual(18);
  }, 60_000);

  it('refuses to write into a site that already has history', async () => {
    await expect(generateData({ ...opts, dataDir: join(dir, 'a') })).rejects.toThrow(/already has/);
  });

  it('parses the command line', () => {
    expect(
      parseGenerateArgs([
        '--data-dir',
        'x',
        '--conversations',
        '1000',
        '--days',
        '30',
        '--seed',
        '2',
        '--no-messages',
      ]),
    ).toMatchObject({
      dataDir: 'x',
      conversations: 1000,
      days: 30,
      seed: 2,
      messages: false,
    });
    expect(() => parseGenerateArgs(['--conversations', '10'])).toThrow(/--data-dir/);
    expect(() => parseGenerateArgs(['--data-dir', 'x', '--bogus'])).toThrow(/unknown flag/);
  });
});
