import type { StaffingReport } from '@beseda/shared';
import { csvRow } from './csv.js';
import type { DashboardContext, DashboardQuery } from './dashboard.js';
import { onlineByHourOfWeek, staffingPlan, weekdayCounts } from './staffing.js';
import { calendarFor, formatDate } from './tz.js';

export type { StaffingReport };

/** The staffing plan over the query's range: measured volume and handling time, needed vs online. */
export async function staffing(
  ctx: DashboardContext,
  q: DashboardQuery,
  opts: { target: number; capacity: number; slaSeconds?: number },
): Promise<StaffingReport> {
  await ctx.source.sync();
  const siteId = ctx.site.id;
  const cal = calendarFor(ctx.site.timezone);
  const volume = await ctx.source.volume(siteId, q.range, null);
  let handled = 0;
  let handlingMs = 0;
  for (const t of (await ctx.source.totals(siteId, q.range)).values()) {
    handled += t.handled;
    handlingMs += t.handlingMs;
  }
  const slaSeconds = opts.slaSeconds ?? ctx.site.slaSeconds;
  const ahtSeconds = handled > 0 ? handlingMs / handled / 1000 : null;
  const from = cal.dayStart(q.range.from);
  const to = Math.min(cal.dayStart(q.range.to + 1), ctx.now);
  const intervals = await ctx.source.intervals(siteId, from, to, null);
  const online = onlineByHourOfWeek(cal, q.range.from, q.range.to, intervals, ctx.now);
  const hours =
    ahtSeconds === null
      ? []
      : staffingPlan({
          volume,
          weekdays: weekdayCounts(q.range.from, q.range.to),
          online,
          ahtSeconds,
          slaSeconds,
          target: opts.target,
          capacity: opts.capacity,
        });
  return {
    range: { from: formatDate(q.range.from), to: formatDate(q.range.to) },
    target: opts.target,
    slaSeconds,
    chats: volume.flat().reduce((n, c) => n + c, 0),
    ahtSeconds,
    capacity: opts.capacity,
    hours,
    understaffed: hours
      .filter((h) => h.understaffed)
      .map((h) => ({ weekday: h.weekday, hour: h.hour, missing: Math.ceil(h.need.operators - h.online) })),
  };
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function staffingCsv(r: StaffingReport): string {
  const lines = [
    csvRow([
      'weekday',
      'hour',
      'chats_per_hour',
      'erlangs',
      'operators_needed',
      'service_level_with_needed',
      'operators_online_avg',
      'understaffed',
    ]),
  ];
  for (const h of r.hours) {
    lines.push(
      csvRow([
        WEEKDAYS[h.weekday]!,
        h.hour,
        h.chatsPerHour.toFixed(2),
        h.need.erlangs.toFixed(3),
        h.need.operators,
        h.need.serviceLevel.toFixed(3),
        h.online.toFixed(2),
        h.understaffed ? 'yes' : 'no',
      ]),
    );
  }
  return lines.join('');
}
