import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { formatNumber, t } from '../i18n/index.js';
import { formatMs, formatPct } from './format.js';
import { keyOf, Section, type TabProps } from './parts.js';
import {
  dashboardApi,
  type StaffingHour,
  type StaffingParams,
  type StaffingReport,
  staffingCsvHref,
} from './types.js';
import { useDashboardData } from './useDashboardData.js';
import { hourClock, weekRows } from './week.js';

const DEFAULTS: StaffingParams = { target: null, sla: null, capacity: null };
/** The planner counts whole chat slots per operator (the server floors a mean capacity of 2.3 to 2). */
const whole = (capacity: number) => Math.max(1, Math.floor(capacity));

/**
 * The staffing planner (issue #10.5): per hour of the week, operators needed by Erlang C for the chosen
 * service target beside the average online over the range; under-staffed hours stand out. The inputs
 * start at the server's defaults and are sent as query parameters, so the CSV matches the screen.
 */
export function StaffingTab({ query, live, timezone }: TabProps) {
  const [params, setParams] = useState<StaffingParams>(DEFAULTS);
  const loaded = useDashboardData(
    keyOf(query, `${params.target}|${params.sla}|${params.capacity}`),
    () => dashboardApi.staffing(query, params),
    live,
  );
  return (
    <Section loaded={loaded} live={live}>
      {(r: StaffingReport) => (
        <>
          <p class="hint">{t('staff.lead')}</p>
          <StaffingInputs report={r} onApply={setParams} csv={staffingCsvHref(query, params)} />
          {r.ahtSeconds === null ? (
            <p class="empty" data-testid="staffing-empty">
              {t('staff.noData')}
            </p>
          ) : (
            <>
              <p data-testid="staffing-summary">
                {t('staff.summary', {
                  chats: t('dash.chats', { count: r.chats }),
                  aht: formatMs(r.ahtSeconds * 1000),
                  target: formatPct(r.target * 100),
                  sla: formatMs(r.slaSeconds * 1000),
                  capacity: t('staff.capacityOf', { count: whole(r.capacity) }),
                })}
              </p>
              <p
                class={r.understaffed.length > 0 ? 'form-error' : 'ok-text'}
                data-testid="staffing-verdict"
                data-count={r.understaffed.length}
              >
                {r.understaffed.length > 0
                  ? t('staff.understaffed', { count: r.understaffed.length })
                  : t('staff.allCovered')}
              </p>
              <h2 class="dash-h">{t('staff.title', { timezone })}</h2>
              <StaffingGrid hours={r.hours} />
              {r.understaffed.length > 0 && <ShortHours short={r.understaffed} />}
            </>
          )}
        </>
      )}
    </Section>
  );
}

function StaffingInputs({
  report,
  onApply,
  csv,
}: {
  report: StaffingReport;
  onApply: (p: StaffingParams) => void;
  csv: string;
}) {
  const fromReport = () => ({
    target: String(Math.round(report.target * 100)),
    sla: String(report.slaSeconds),
    capacity: String(whole(report.capacity)),
  });
  const [draft, setDraft] = useState(fromReport);
  useEffect(() => setDraft(fromReport()), [report.target, report.slaSeconds, report.capacity]);
  const target = Number(draft.target);
  const sla = Number(draft.sla);
  const capacity = Number(draft.capacity);
  const valid =
    Number.isInteger(target) &&
    target >= 50 &&
    target <= 99 &&
    Number.isInteger(sla) &&
    sla >= 1 &&
    sla <= 3600 &&
    Number.isInteger(capacity) &&
    capacity >= 1 &&
    capacity <= 50;
  const field = (key: keyof typeof draft, label: string, min: number, max: number) => (
    <label class="field-inline">
      <span>{label}</span>
      <input
        type="number"
        class="narrow"
        min={min}
        max={max}
        value={draft[key]}
        onInput={(e) => setDraft({ ...draft, [key]: e.currentTarget.value })}
        data-testid={`staffing-${key}`}
      />
    </label>
  );
  return (
    <form
      class="dash-controls staffing-inputs"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) onApply({ target: target / 100, sla, capacity });
      }}
    >
      {field('target', t('staff.target'), 50, 99)}
      {field('sla', t('staff.sla'), 1, 3600)}
      {field('capacity', t('staff.capacity'), 1, 50)}
      <button type="submit" class="btn small primary" disabled={!valid} data-testid="staffing-apply">
        {t('staff.recompute')}
      </button>
      <span class="spacer" />
      <a class="btn small" href={csv} download data-testid="csv-staffing">
        {t('dash.csvStaffing')}
      </a>
    </form>
  );
}

/** 7 rows (Monday first) × 24 hours: operators needed, and the average online under it. */
function StaffingGrid({ hours }: { hours: readonly StaffingHour[] }) {
  const at = new Map(hours.map((h) => [`${h.weekday}-${h.hour}`, h]));
  const one = (n: number) => formatNumber(Math.round(n * 10) / 10);
  return (
    <>
      <div class="staffing-legend" aria-hidden="true">
        <span>
          <b>2</b>
          <small>{one(1.5)}</small> {t('staff.legend')}
        </span>
        <span>
          <i class="st-short" /> {t('staff.legendShort')}
        </span>
      </div>
      <div class="heatmap staffing-grid" data-testid="staffing-grid">
        <span class="hm-corner" />
        {Array.from({ length: 24 }, (_, h) => (
          <span key={`h${h}`} class="hm-hour">
            {h}
          </span>
        ))}
        {weekRows().map(([wd, label]) => (
          <Fragment key={wd}>
            <span class="hm-day">{label}</span>
            {Array.from({ length: 24 }, (_, h) => {
              const cell = at.get(`${wd}-${h}`);
              const need = cell?.need.operators ?? 0;
              const online = cell?.online ?? 0;
              const state = cell?.understaffed ? 'short' : need > 0 ? 'ok' : 'idle';
              return (
                <span
                  key={`${wd}-${h}`}
                  class={`st-cell st-${state}`}
                  title={t('staff.cell', {
                    day: label,
                    from: hourClock(h),
                    to: hourClock(h + 1),
                    need,
                    online: one(online),
                    chats: one(cell?.chatsPerHour ?? 0),
                  })}
                  data-testid="staffing-cell"
                  data-weekday={wd}
                  data-hour={h}
                  data-state={state}
                  data-need={need}
                >
                  {need > 0 || online > 0 ? (
                    <>
                      <b>{need}</b>
                      <small>{one(online)}</small>
                    </>
                  ) : null}
                </span>
              );
            })}
          </Fragment>
        ))}
      </div>
    </>
  );
}

/** The under-staffed hours as a list, Monday first: the grid's red cells in words, for screen readers too. */
function ShortHours({ short }: { short: StaffingReport['understaffed'] }) {
  const order = (wd: number) => (wd + 6) % 7;
  const names = new Map(weekRows());
  const sorted = [...short].sort((a, b) => order(a.weekday) - order(b.weekday) || a.hour - b.hour);
  return (
    <>
      <h2 class="dash-h">{t('staff.worst')}</h2>
      <ul class="staffing-short" data-testid="staffing-short">
        {sorted.map((h) => (
          <li key={`${h.weekday}-${h.hour}`}>
            {t('staff.missing', {
              day: names.get(h.weekday) ?? String(h.weekday),
              from: hourClock(h.hour),
              to: hourClock(h.hour + 1),
              missing: h.missing,
            })}
          </li>
        ))}
      </ul>
    </>
  );
}
