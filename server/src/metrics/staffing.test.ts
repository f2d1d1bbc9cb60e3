import { describe, expect, it } from 'vitest';
import { erlangC, onlineByHourOfWeek, operatorsNeeded, serviceLevel, staffingPlan } from './staffing.js';
import { calendarFor, parseDate } from './tz.js';

describe('Erlang C against published values', () => {
  // The textbook example (e.g. Call Centre Helper's "Erlang C formula, made simple"): 100 calls per
  // 30 minutes, 180 s handling time = 10 Erlangs; 80 % answered within 20 s needs 14 agents; with 11
  // agents 68.2 % of calls wait.
  it('gives the waiting probabilities of the 10-Erlang example', () => {
    expect(erlangC(11, 10)).toBeCloseTo(0.6821, 4);
    expect(erlangC(12, 10)).toBeCloseTo(0.4494, 4);
    expect(erlangC(13, 10)).toBeCloseTo(0.2853, 4);
    expect(erlangC(14, 10)).toBeCloseTo(0.1741, 4);
  });

  it('gives the service levels and the 14 agents of the example', () => {
    expect(serviceLevel(13, 10, 20, 180)).toBeCloseTo(0.7956, 3);
    expect(serviceLevel(14, 10, 20, 180)).toBeCloseTo(0.8884, 3);
    const need = operatorsNeeded({
      chatsPerHour: 200,
      ahtSeconds: 180,
      slaSeconds: 20,
      target: 0.8,
      capacity: 1,
    });
    expect(need).toMatchObject({ erlangs: 10, servers: 14, operators: 14 });
  });

  it('edge cases: no load, overload, one server (M/M/1: C = ρ)', () => {
    expect(erlangC(3, 0)).toBe(0);
    expect(erlangC(5, 5)).toBe(1);
    expect(erlangC(1, 0.5)).toBeCloseTo(0.5, 12);
    expect(serviceLevel(5, 6, 20, 180)).toBe(0);
    expect(
      operatorsNeeded({ chatsPerHour: 0, ahtSeconds: 300, slaSeconds: 30, target: 0.8, capacity: 3 })
        .operators,
    ).toBe(0);
  });

  it('counts each operator as `capacity` chat slots', () => {
    const one = operatorsNeeded({
      chatsPerHour: 200,
      ahtSeconds: 180,
      slaSeconds: 20,
      target: 0.8,
      capacity: 3,
    });
    expect(one).toMatchObject({ servers: 14, operators: 5 });
  });
});

describe('the plan per hour of the week', () => {
  const cal = calendarFor('Europe/Prague');
  it('averages online operators per hour of week and flags hours below the need', () => {
    const monday = parseDate('2026-03-09')!; // a Monday
    const nine = cal.hourStarts(monday)[9]!;
    // One operator online 09:00–10:30 on one Monday, the range holds two Mondays.
    const online = onlineByHourOfWeek(
      cal,
      monday,
      monday + 7,
      [{ operatorId: 'a', from: nine, to: nine + 90 * 60_000 }],
      0,
    );
    expect(online[1]![9]).toBeCloseTo(0.5, 9);
    expect(online[1]![10]).toBeCloseTo(0.25, 9);
    const volume = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
    volume[1]![9] = 40; // 20 chats per Monday 9 o'clock
    const plan = staffingPlan({
      volume,
      weekdays: [1, 2, 1, 1, 1, 1, 1],
      online,
      ahtSeconds: 360,
      slaSeconds: 30,
      target: 0.8,
      capacity: 2,
    });
    const slot = plan.find((p) => p.weekday === 1 && p.hour === 9)!;
    expect(slot.chatsPerHour).toBe(20);
    expect(slot.need.erlangs).toBeCloseTo(2, 9);
    expect(slot.need.operators).toBeGreaterThan(0);
    expect(slot.understaffed).toBe(true);
    expect(plan.find((p) => p.weekday === 1 && p.hour === 3)).toMatchObject({
      understaffed: false,
      need: { operators: 0 },
    });
  });
});
