import type { OperatorInterval } from './coverage.js';
import type { TzCalendar } from './tz.js';
import { weekdayOf } from './tz.js';

// The staffing planner (issue #10): for each hour of the week, how many operators answer the chosen share
// of chats within the SLA, by Erlang C over the measured volume and handling time. Pure functions.

/**
 * Erlang C: the probability that a chat waits, with `servers` parallel servers and `erlangs` offered
 * load (arrival rate × mean handling time). Computed by the stable Erlang B recursion,
 * C = N·B / (N − A·(1 − B)). 1 when the load reaches the servers (the queue grows without bound).
 */
export function erlangC(servers: number, erlangs: number): number {
  if (erlangs <= 0) return 0;
  if (servers <= erlangs) return 1;
  let b = 1;
  for (let k = 1; k <= servers; k++) b = (erlangs * b) / (k + erlangs * b);
  return (servers * b) / (servers - erlangs * (1 - b));
}

/** Share of chats answered within `slaSeconds`: 1 − C · e^(−(N − A)·T / AHT). */
export function serviceLevel(
  servers: number,
  erlangs: number,
  slaSeconds: number,
  ahtSeconds: number,
): number {
  if (erlangs <= 0) return 1;
  if (servers <= erlangs) return 0;
  return 1 - erlangC(servers, erlangs) * Math.exp((-(servers - erlangs) * slaSeconds) / ahtSeconds);
}

export interface StaffingInput {
  /** Chats arriving per hour. */
  chatsPerHour: number;
  /** Mean handling time of a chat in seconds (assignment → end, measured with concurrency). */
  ahtSeconds: number;
  slaSeconds: number;
  /** Share to answer within the SLA, 0 < target < 1 (e.g. 0.8). */
  target: number;
  /** Chats one operator handles at once: every operator is `capacity` Erlang C servers. */
  capacity: number;
}

export interface StaffingNeed {
  /** Offered load in Erlangs (simultaneous chats on average). */
  erlangs: number;
  /** Chat slots (servers) needed, and the operators that provide them. */
  servers: number;
  operators: number;
  /** Share answered within the SLA with that many servers. */
  serviceLevel: number;
}

/** The fewest operators whose chat slots reach the target service level (0 when no chats arrive). */
export function operatorsNeeded(i: StaffingInput): StaffingNeed {
  const erlangs = (i.chatsPerHour * i.ahtSeconds) / 3600;
  if (erlangs <= 0 || i.ahtSeconds <= 0) return { erlangs: 0, servers: 0, operators: 0, serviceLevel: 1 };
  let servers = Math.max(1, Math.floor(erlangs) + 1);
  // The service level rises with every server; a hard stop keeps absurd inputs from looping long.
  while (serviceLevel(servers, erlangs, i.slaSeconds, i.ahtSeconds) < i.target && servers < 100_000)
    servers++;
  const capacity = Math.max(1, Math.floor(i.capacity));
  return {
    erlangs,
    servers,
    operators: Math.ceil(servers / capacity),
    serviceLevel: serviceLevel(servers, erlangs, i.slaSeconds, i.ahtSeconds),
  };
}

/**
 * Average number of operators online in each hour of the week over the local days [fromDay, toDay]:
 * online operator-time in that hour ÷ the hour's length, averaged over the occurrences of that weekday.
 * Rows are weekdays (0 = Sunday), columns local hours.
 */
export function onlineByHourOfWeek(
  cal: TzCalendar,
  fromDay: number,
  toDay: number,
  intervals: readonly OperatorInterval[],
  now: number,
): number[][] {
  const sum = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  const days = new Array<number>(7).fill(0);
  for (let day = fromDay; day <= toDay; day++) {
    const wd = weekdayOf(day);
    days[wd]! += 1;
    const starts = cal.hourStarts(day);
    for (let h = 0; h < 24; h++) {
      const a = starts[h]!;
      const b = starts[h + 1]!;
      if (b <= a) continue;
      let online = 0;
      for (const iv of intervals) {
        const to = iv.to ?? now;
        online += Math.max(0, Math.min(b, to) - Math.max(a, iv.from));
      }
      sum[wd]![h]! += online / (b - a);
    }
  }
  return sum.map((row, wd) => row.map((v) => (days[wd] ? v / days[wd]! : 0)));
}

/** How many times each weekday (0 = Sunday) occurs in the local days [fromDay, toDay]. */
export function weekdayCounts(fromDay: number, toDay: number): number[] {
  const out = new Array<number>(7).fill(0);
  for (let day = fromDay; day <= toDay; day++) out[weekdayOf(day)]! += 1;
  return out;
}

export interface StaffingHour {
  weekday: number;
  hour: number;
  chatsPerHour: number;
  need: StaffingNeed;
  /** Average operators online in that hour over the range. */
  online: number;
  understaffed: boolean;
}

/** The plan for each hour of the week from measured volume (chats per weekday × hour over the range). */
export function staffingPlan(input: {
  volume: number[][];
  weekdays: number[];
  online: number[][];
  ahtSeconds: number;
  slaSeconds: number;
  target: number;
  capacity: number;
}): StaffingHour[] {
  const out: StaffingHour[] = [];
  for (let weekday = 0; weekday < 7; weekday++) {
    for (let hour = 0; hour < 24; hour++) {
      const occurrences = input.weekdays[weekday] ?? 0;
      const chatsPerHour = occurrences > 0 ? (input.volume[weekday]?.[hour] ?? 0) / occurrences : 0;
      const need = operatorsNeeded({
        chatsPerHour,
        ahtSeconds: input.ahtSeconds,
        slaSeconds: input.slaSeconds,
        target: input.target,
        capacity: input.capacity,
      });
      const online = input.online[weekday]?.[hour] ?? 0;
      // Operators online part of the hour count by their share: 1.5 online does not cover a need of 2.
      out.push({ weekday, hour, chatsPerHour, need, online, understaffed: online + 1e-9 < need.operators });
    }
  }
  return out;
}
