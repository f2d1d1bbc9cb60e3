import { describe, expect, it } from 'vitest';
import { DEFAULT_SITE } from '../http/site-defaults.js';
import type { Site } from '../store/types.js';
import { factsFromEvents, intervalsFromStatusEvents, MemoryMetricsSource } from './source.js';
import { staffing, staffingCsv } from './staffing-report.js';
import { FIXTURE_NOW, FIXTURE_TZ, fixtureRecords, local } from './test-fixture.js';
import { parseDate } from './tz.js';

describe('staffing report over the dashboard fixture', () => {
  it('plans every hour of the week from measured volume and handling time, and exports it', async () => {
    const ids = { siteId: 'site-1', ann: 'op-ann', bob: 'op-bob' };
    const rec = fixtureRecords(ids);
    const source = new MemoryMetricsSource(
      factsFromEvents({ ...rec, timezoneOf: () => FIXTURE_TZ }),
      intervalsFromStatusEvents(rec.events),
    );
    const site = {
      ...DEFAULT_SITE,
      id: ids.siteId,
      key: 'demo',
      name: 'Demo',
      timezone: FIXTURE_TZ,
      businessHours: null,
      slaSeconds: 30,
      identitySecret: 'x',
      texts: {},
      createdAt: 0,
    } as Site;
    const range = { from: parseDate('2026-03-09')!, to: parseDate('2026-03-15')! };
    const report = await staffing(
      { source, now: local(FIXTURE_NOW), site, operators: [] },
      { range, operatorId: null },
      { target: 0.8, capacity: 2 },
    );
    expect(report.hours).toHaveLength(7 * 24);
    expect(report.ahtSeconds).toBeGreaterThan(0);
    const busy = report.hours.filter((h) => h.chatsPerHour > 0);
    expect(busy.length).toBeGreaterThan(0);
    for (const h of busy) expect(h.need.operators).toBeGreaterThanOrEqual(1);
    // Hours with chats and nobody online are exactly the flagged ones.
    for (const h of report.hours) expect(h.understaffed).toBe(h.online + 1e-9 < h.need.operators);
    expect(report.understaffed.length).toBe(report.hours.filter((h) => h.understaffed).length);
    const csv = staffingCsv(report);
    expect(csv.split('\r\n')[0]).toBe(
      'weekday,hour,chats_per_hour,erlangs,operators_needed,service_level_with_needed,operators_online_avg,understaffed',
    );
    expect(csv.split('\r\n')).toHaveLength(7 * 24 + 2);
  });
});
