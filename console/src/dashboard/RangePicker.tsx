import { useEffect, useState } from 'preact/hooks';
import { type MessageKey, t } from '../i18n/index.js';
import { type DateRange, type Preset, presetOf, presetRange } from './format.js';

const PRESETS: ReadonlyArray<[Exclude<Preset, 'custom'>, MessageKey]> = [
  ['today', 'dash.preset.today'],
  ['7d', 'dash.preset.7d'],
  ['30d', 'dash.preset.30d'],
];

/** Today / 7 / 30 days, or a custom range of local dates applied with a button. */
export function RangePicker({
  range,
  today,
  onChange,
}: {
  range: DateRange;
  today: string;
  onChange: (r: DateRange) => void;
}) {
  const preset = presetOf(range, today);
  const [custom, setCustom] = useState(preset === 'custom');
  const [draft, setDraft] = useState(range);
  useEffect(() => setDraft(range), [range.from, range.to]);
  const valid = draft.from !== '' && draft.to !== '' && draft.from <= draft.to;

  return (
    <div class="dash-range" data-testid="dash-range">
      {PRESETS.map(([p, label]) => (
        <button
          key={p}
          type="button"
          class={`btn small toggle${!custom && preset === p ? ' on' : ''}`}
          aria-pressed={!custom && preset === p}
          onClick={() => {
            setCustom(false);
            onChange(presetRange(p, today));
          }}
          data-testid={`preset-${p}`}
        >
          {t(label)}
        </button>
      ))}
      <button
        type="button"
        class={`btn small toggle${custom || preset === 'custom' ? ' on' : ''}`}
        aria-pressed={custom || preset === 'custom'}
        onClick={() => setCustom(true)}
        data-testid="preset-custom"
      >
        {t('dash.preset.custom')}
      </button>
      {(custom || preset === 'custom') && (
        <form
          class="dash-custom"
          onSubmit={(e) => {
            e.preventDefault();
            if (valid) onChange(draft);
          }}
        >
          <input
            type="date"
            aria-label={t('dash.from')}
            value={draft.from}
            max={draft.to || undefined}
            onInput={(e) => setDraft({ ...draft, from: e.currentTarget.value })}
            data-testid="range-from"
          />
          <span>–</span>
          <input
            type="date"
            aria-label={t('dash.to')}
            value={draft.to}
            min={draft.from || undefined}
            onInput={(e) => setDraft({ ...draft, to: e.currentTarget.value })}
            data-testid="range-to"
          />
          <button type="submit" class="btn small primary" disabled={!valid} data-testid="range-apply">
            {t('dash.apply')}
          </button>
        </form>
      )}
    </div>
  );
}
