import { describe, expect, it } from 'vitest';
import { parseHash, routeHref } from '../router.js';
import {
  addDays,
  clockToMinutes,
  coverageSegments,
  csatByDay,
  dayLabel,
  daySplits,
  dayToSeconds,
  describeChange,
  formatMinutes,
  formatMs,
  formatPct,
  heatLevel,
  includesToday,
  minutesToClock,
  parseCsv,
  presetOf,
  presetRange,
  todayIn,
  volumeSeries,
  waitTrendSeries,
} from './format.js';
import { type DailyCounts, type DayCoverage, exportHref, staffingSearch } from './types.js';

describe('formatting', () => {
  it('durations from ms', () => {
    expect(formatMs(null)).toBe('—');
    expect(formatMs(0)).toBe('0 s');
    expect(formatMs(20_000)).toBe('20 s');
    expect(formatMs(58_000)).toBe('58 s');
    expect(formatMs(60_000)).toBe('1 min');
    expect(formatMs(700_000)).toBe('11 min 40 s');
    expect(formatMs(5_400_000)).toBe('1 h 30 min');
    expect(formatMs(7_200_000)).toBe('2 h');
  });
  it('percentages and minutes', () => {
    expect(formatPct(31.25)).toBe('31.25 %');
    expect(formatPct(66.666)).toBe('66.67 %');
    expect(formatPct(50)).toBe('50 %');
    expect(formatPct(null)).toBe('—');
    expect(formatMinutes(900)).toBe('15 h');
    expect(formatMinutes(690)).toBe('11 h 30 min');
    expect(formatMinutes(45)).toBe('45 min');
    expect(formatMinutes(0.5)).toBe('0.5 min');
  });
  it('changes vs the previous period, coloured by what is good news', () => {
    expect(
      describeChange({ value: 31.25, previous: 8.33, delta: 22.92, deltaPct: 275.15 }, 'pct', true),
    ).toEqual({
      text: '+22.92 pp vs previous',
      trend: 'better',
    });
    expect(describeChange({ value: 5, previous: 2, delta: 3, deltaPct: 150 }, 'count', null)).toEqual({
      text: '+3 (+150 %) vs previous',
      trend: 'same',
    });
    expect(
      describeChange({ value: 50_000, previous: 15_000, delta: 35_000, deltaPct: 233.33 }, 'ms', false),
    ).toEqual({
      text: '+35 s (+233.33 %) vs previous',
      trend: 'worse',
    });
    expect(describeChange({ value: 25, previous: 50, delta: -25, deltaPct: -50 }, 'pct', false).trend).toBe(
      'better',
    );
    expect(
      describeChange({ value: 1, previous: null, delta: null, deltaPct: null }, 'count', true).trend,
    ).toBe('none');
    expect(describeChange(undefined, 'count', true).text).toBe('no previous data');
    expect(describeChange({ value: 1, previous: 1, delta: 0, deltaPct: 0 }, 'count', true).text).toBe(
      'same as before',
    );
  });
});

describe('date ranges', () => {
  it('presets end today, custom is anything else', () => {
    expect(presetRange('today', '2026-03-12')).toEqual({ from: '2026-03-12', to: '2026-03-12' });
    expect(presetRange('7d', '2026-03-12')).toEqual({ from: '2026-03-06', to: '2026-03-12' });
    expect(presetRange('30d', '2026-03-01')).toEqual({ from: '2026-01-31', to: '2026-03-01' });
    expect(presetOf({ from: '2026-03-06', to: '2026-03-12' }, '2026-03-12')).toBe('7d');
    expect(presetOf({ from: '2026-03-10', to: '2026-03-11' }, '2026-03-12')).toBe('custom');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(includesToday({ from: '2026-03-10', to: '2026-03-11' }, '2026-03-12')).toBe(false);
    expect(includesToday({ from: '2026-03-06', to: '2026-03-12' }, '2026-03-12')).toBe(true);
  });
  it('today in the site timezone, not the browser one', () => {
    const t = Date.parse('2026-03-11T23:30:00Z');
    expect(todayIn('Europe/Prague', t)).toBe('2026-03-12');
    expect(todayIn('America/New_York', t)).toBe('2026-03-11');
    expect(todayIn('Not/AZone', t)).toBe('2026-03-11');
    expect(dayLabel('2026-03-10')).toBe('Tue 10 Mar');
  });
  it('dashboard routes keep tab, site and range in the hash', () => {
    const r = parseHash('#/dashboards/coverage?site=s1&from=2026-03-10&to=2026-03-11');
    expect(r).toEqual({
      page: 'dashboards',
      tab: 'coverage',
      site: 's1',
      team: null,
      from: '2026-03-10',
      to: '2026-03-11',
    });
    expect(routeHref(r)).toBe('#/dashboards/coverage?site=s1&from=2026-03-10&to=2026-03-11');
    // A team filter rides along in the hash and becomes `teamId` on the API and CSV requests.
    const withTeam = parseHash('#/dashboards/wait?site=s1&team=t9&from=2026-03-10&to=2026-03-11');
    expect(withTeam).toMatchObject({ site: 's1', team: 't9' });
    expect(routeHref(withTeam)).toBe('#/dashboards/wait?site=s1&team=t9&from=2026-03-10&to=2026-03-11');
    const q = { site: 's1', team: 't9', from: '2026-03-10', to: '2026-03-11' };
    expect(exportHref('chats', q)).toBe(
      '/api/dashboard/export/chats.csv?site=s1&from=2026-03-10&to=2026-03-11&teamId=t9',
    );
    expect(exportHref('coverage', { ...q, team: null })).toBe(
      '/api/dashboard/export/coverage.csv?site=s1&from=2026-03-10&to=2026-03-11',
    );
    expect(staffingSearch(q, { target: 0.9, sla: null, capacity: null })).toBe(
      'site=s1&from=2026-03-10&to=2026-03-11&teamId=t9&target=0.9',
    );
    expect(parseHash('#/dashboards')).toEqual({
      page: 'dashboards',
      tab: 'overview',
      site: null,
      team: null,
      from: null,
      to: null,
    });
    expect(parseHash('#/dashboards/nope?from=2026-3-1')).toMatchObject({ tab: 'overview', from: null });
  });
});

const daily = (date: string, assigned: number, averageWaitMs: number | null): DailyCounts => ({
  date,
  conversations: assigned + 1,
  assigned,
  missed: 1,
  offline: 0,
  averageWaitMs,
});

describe('chart series', () => {
  it('wait trend: seconds per day, gaps for days without chats, the SLA line', () => {
    const rows = [daily('2026-03-10', 2, 25_000), daily('2026-03-11', 0, null)];
    expect(waitTrendSeries(rows, 30)).toEqual([
      [dayToSeconds('2026-03-10'), dayToSeconds('2026-03-11')],
      [25, null],
      [30, 30],
    ]);
    expect(dayToSeconds('2026-03-11') - dayToSeconds('2026-03-10')).toBe(86_400);
    expect(volumeSeries(rows).slice(1)).toEqual([
      [2, 0],
      [1, 1],
      [0, 0],
    ]);
  });
  it('daily CSAT from the chats CSV, quoted fields included', () => {
    const csv = [
      'conversation_id,started,status,queue_wait_s,first_response_s,handled_by,transfers,ended,rating,rating_comment,tags',
      'fx-c1,2026-03-10T10:00:00+01:00,ended,10,30,Ann,0,2026-03-10T10:10:10+01:00,good,"Great, ""really""",billing',
      'fx-c2,2026-03-10T10:30:00+01:00,ended,40,60,Ann,1,2026-03-10T10:50:40+01:00,bad,Slow,',
      'fx-c4,2026-03-11T09:00:00+01:00,ended,20,50,Ann,0,2026-03-11T09:05:20+01:00,,,',
      '',
    ].join('\r\n');
    expect(parseCsv(csv)[1]![9]).toBe('Great, "really"');
    expect(parseCsv(csv)).toHaveLength(4);
    expect(csatByDay(csv, { from: '2026-03-10', to: '2026-03-11' })).toEqual([
      { date: '2026-03-10', good: 1, bad: 1, csatPct: 50 },
      { date: '2026-03-11', good: 0, bad: 0, csatPct: null },
    ]);
  });
  it('x ticks on whole days only, thinned to fit', () => {
    const d = dayToSeconds('2026-03-10');
    expect(daySplits(d - 43_200, d + 86_400 + 43_200, 10)).toEqual([d, d + 86_400]);
    expect(daySplits(d, d + 29 * 86_400, 10)).toHaveLength(10);
    expect(daySplits(d + 1, d + 2, 10)).toEqual([]);
  });
  it('heat levels', () => {
    expect(heatLevel(0, 5)).toBe(0);
    expect(heatLevel(1, 5)).toBe(1);
    expect(heatLevel(5, 5)).toBe(4);
    expect(heatLevel(3, 0)).toBe(0);
  });
});

const day = (over: Partial<DayCoverage>): DayCoverage => ({
  date: '2026-03-10',
  dayMinutes: 1440,
  elapsedMinutes: 1440,
  measuredFromLocal: '00:00',
  coveredMinutes: 600,
  businessMinutes: null,
  coveredBusinessMinutes: null,
  coveragePct: 41.67,
  gaps: [],
  operatorsOnline: 2,
  operatorIds: [],
  hours: new Array(24).fill(0),
  ...over,
});
const gap = (fromLocal: string, toLocal: string) => ({ from: 0, to: 0, minutes: 0, fromLocal, toLocal });

describe('coverage bar segments', () => {
  it('clock helpers', () => {
    expect(clockToMinutes('09:30')).toBe(570);
    expect(clockToMinutes('24:00')).toBe(1440);
    expect(minutesToClock(570)).toBe('09:30');
    expect(minutesToClock(1440)).toBe('24:00');
  });
  it('the fixture Tuesday: gaps 00–09 and 17–22, covered in between and after', () => {
    const segs = coverageSegments(day({ gaps: [gap('00:00', '09:00'), gap('17:00', '22:00')] }), 'elapsed');
    expect(segs).toEqual([
      { from: 0, to: 540, kind: 'gap' },
      { from: 540, to: 1020, kind: 'covered' },
      { from: 1020, to: 1320, kind: 'gap' },
      { from: 1320, to: 1440, kind: 'covered' },
    ]);
    const covered = segs.filter((s) => s.kind === 'covered').reduce((n, s) => n + s.to - s.from, 0);
    expect(covered).toBe(600);
  });
  it('today: the part after now is "future"; a day with nobody online is one gap', () => {
    expect(coverageSegments(day({ elapsedMinutes: 720, gaps: [gap('08:00', '12:00')] }), 'elapsed')).toEqual([
      { from: 0, to: 480, kind: 'covered' },
      { from: 480, to: 720, kind: 'gap' },
      { from: 720, to: 1440, kind: 'future' },
    ]);
    expect(coverageSegments(day({ gaps: [gap('00:00', '24:00')] }), 'elapsed')).toEqual([
      { from: 0, to: 1440, kind: 'gap' },
    ]);
    expect(coverageSegments(day({ elapsedMinutes: 0 }), 'elapsed')).toEqual([
      { from: 0, to: 1440, kind: 'future' },
    ]);
  });
  it('a site created at 10:00: the morning is "before", not a gap; days before creation are all "before"', () => {
    expect(
      coverageSegments(
        day({ measuredFromLocal: '10:00', elapsedMinutes: 240, gaps: [gap('12:00', '14:00')] }),
        'elapsed',
      ),
    ).toEqual([
      { from: 0, to: 600, kind: 'before' },
      { from: 600, to: 720, kind: 'covered' },
      { from: 720, to: 840, kind: 'gap' },
      { from: 840, to: 1440, kind: 'future' },
    ]);
    expect(coverageSegments(day({ measuredFromLocal: '24:00', elapsedMinutes: 0 }), 'elapsed')).toEqual([
      { from: 0, to: 1440, kind: 'before' },
    ]);
  });
  it('business-hours basis: only gaps are known, the rest is "outside"', () => {
    expect(coverageSegments(day({ gaps: [gap('09:00', '10:00')] }), 'business')).toEqual([
      { from: 0, to: 540, kind: 'outside' },
      { from: 540, to: 600, kind: 'gap' },
      { from: 600, to: 1440, kind: 'outside' },
    ]);
  });
});
