import type { DayRow } from '../business-hours.js';
import { t, weekdayName } from '../i18n/index.js';

export /** Monday to Sunday, each with its ranges; an empty day is closed. */
function WeekEditor({ week, onChange }: { week: DayRow[]; onChange: (week: DayRow[]) => void }) {
  const update = (i: number, row: DayRow) => onChange(week.map((r, j) => (j === i ? row : r)));
  return (
    <table class="week span2" data-testid="week-editor">
      <tbody>
        {week.map((row, i) => (
          <tr key={row.day}>
            <th scope="row">{weekdayName(row.day)}</th>
            <td>
              {row.ranges.length === 0 && <span class="muted">{t('hours.closed')}</span>}
              {row.ranges.map((range, k) => (
                <span key={`${row.day}-${k}`} class="range">
                  <input
                    type="time"
                    aria-label={t('hours.from', { day: weekdayName(row.day) })}
                    value={range.from}
                    onInput={(e) =>
                      update(i, {
                        ...row,
                        ranges: row.ranges.map((r, m) =>
                          m === k ? { ...r, from: e.currentTarget.value } : r,
                        ),
                      })
                    }
                  />
                  –
                  <input
                    type="time"
                    aria-label={t('hours.to', { day: weekdayName(row.day) })}
                    value={range.to === '24:00' ? '23:59' : range.to}
                    onInput={(e) =>
                      update(i, {
                        ...row,
                        ranges: row.ranges.map((r, m) => (m === k ? { ...r, to: e.currentTarget.value } : r)),
                      })
                    }
                  />
                  <button
                    type="button"
                    class="link"
                    aria-label={t('hours.remove', {
                      day: weekdayName(row.day),
                      from: range.from,
                      to: range.to,
                    })}
                    onClick={() => update(i, { ...row, ranges: row.ranges.filter((_, m) => m !== k) })}
                  >
                    ×
                  </button>
                </span>
              ))}
            </td>
            <td>
              <button
                type="button"
                class="btn small ghost"
                onClick={() => {
                  const last = row.ranges.at(-1);
                  const from = last ? last.to : '09:00';
                  update(i, { ...row, ranges: [...row.ranges, { from, to: last ? '23:59' : '17:00' }] });
                }}
              >
                {t('hours.add')}
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
