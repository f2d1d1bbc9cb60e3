import { describe, expect, it } from 'vitest';
import { defaultWeek, fromEditor, hhmmToMinutes, minutesToHhmm, toEditor } from './business-hours.js';

describe('business hours editor', () => {
  it('converts times of day both ways', () => {
    expect(minutesToHhmm(0)).toBe('00:00');
    expect(minutesToHhmm(570)).toBe('09:30');
    expect(minutesToHhmm(1440)).toBe('24:00');
    expect(hhmmToMinutes('9:30')).toBe(570);
    expect(hhmmToMinutes('24:00')).toBe(1440);
    expect(hhmmToMinutes('24:01')).toBeNull();
    expect(hhmmToMinutes('12:60')).toBeNull();
    expect(hhmmToMinutes('noon')).toBeNull();
  });

  it('shows the week Monday first with each day’s ranges in order, and round-trips', () => {
    const hours = {
      days: [
        { day: 0, from: 600, to: 840 },
        { day: 1, from: 840, to: 1080 },
        { day: 1, from: 540, to: 720 },
      ],
    };
    const rows = toEditor(hours);
    expect(rows.map((r) => r.label[0])).toEqual(['M', 'T', 'W', 'T', 'F', 'S', 'S']);
    expect(rows[0]?.ranges).toEqual([
      { from: '09:00', to: '12:00' },
      { from: '14:00', to: '18:00' },
    ]);
    expect(rows[6]?.ranges).toEqual([{ from: '10:00', to: '14:00' }]);
    const back = fromEditor(rows);
    expect(back.ok && back.hours.days).toEqual([
      { day: 1, from: 540, to: 720 },
      { day: 1, from: 840, to: 1080 },
      { day: 0, from: 600, to: 840 },
    ]);
    expect(toEditor(null).every((r) => r.ranges.length === 0)).toBe(true);
  });

  it('rejects malformed, reversed and overlapping ranges with the day named', () => {
    const week = defaultWeek();
    expect(fromEditor(week).ok).toBe(true);
    const bad = (ranges: Array<{ from: string; to: string }>) => {
      const rows = defaultWeek();
      rows[2] = { ...rows[2]!, ranges };
      return fromEditor(rows);
    };
    expect(bad([{ from: '9', to: '17:00' }])).toEqual({
      ok: false,
      error: 'Wednesday: times must look like 09:00',
    });
    expect(bad([{ from: '17:00', to: '09:00' }])).toMatchObject({ ok: false });
    expect(
      bad([
        { from: '09:00', to: '13:00' },
        { from: '12:00', to: '17:00' },
      ]),
    ).toEqual({ ok: false, error: 'Wednesday: ranges overlap' });
  });
});
