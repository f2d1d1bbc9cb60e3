import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { dayLabel, daySplits } from './format.js';

export interface ChartSeries {
  label: string;
  color: string;
  /** Formats a value for the tooltip and the legend. */
  format: (v: number | null) => string;
  kind?: 'line' | 'bars' | 'dashed' | 'points';
}

interface Props {
  /** x = days (midnight UTC in seconds, see dayToSeconds), then one array per series. */
  data: uPlot.AlignedData;
  series: ChartSeries[];
  /** Y axis label and tick formatter. */
  yLabel: string;
  yFormat: (v: number) => string;
  /** Fixed y range (e.g. 0–100 for percentages); default 0 to 110 % of the largest value. */
  yRange?: [number, number];
  height?: number;
  testId: string;
}

/** Shows the hovered day and every series' value in a small box next to the cursor. */
function tooltipPlugin(series: ChartSeries[]): uPlot.Plugin {
  let box: HTMLDivElement;
  return {
    hooks: {
      init: (u) => {
        box = document.createElement('div');
        box.className = 'chart-tooltip';
        box.hidden = true;
        u.over.appendChild(box);
        u.over.addEventListener('mouseleave', () => {
          box.hidden = true;
        });
      },
      setCursor: (u) => {
        const idx = u.cursor.idx;
        if (idx === null || idx === undefined || u.cursor.left === undefined || u.cursor.left < 0) {
          box.hidden = true;
          return;
        }
        const x = u.data[0][idx]!;
        const date = new Date(x * 1000).toISOString().slice(0, 10);
        box.replaceChildren();
        const head = document.createElement('strong');
        head.textContent = dayLabel(date);
        box.appendChild(head);
        series.forEach((s, i) => {
          const line = document.createElement('div');
          const v = u.data[i + 1]?.[idx] ?? null;
          line.textContent = `${s.label}: ${s.format(v)}`;
          line.style.color = s.color;
          box.appendChild(line);
        });
        box.hidden = false;
        const left = u.cursor.left!;
        const flip = left > u.over.clientWidth / 2;
        box.style.left = flip ? '' : `${left + 12}px`;
        box.style.right = flip ? `${u.over.clientWidth - left + 12}px` : '';
        box.style.top = `${Math.max(0, (u.cursor.top ?? 0) - 10)}px`;
      },
    },
  };
}

/** A day-based uPlot chart that follows its container's width. */
export function Chart({ data, series, yLabel, yFormat, yRange, height = 240, testId }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  // Rebuilt when the series change shape; data updates go through setData.
  const shape = series.map((s) => `${s.label}/${s.kind ?? 'line'}`).join('|');
  useEffect(() => {
    const el = host.current!;
    const bars = uPlot.paths.bars!({ size: [0.6, 40] });
    const opts: uPlot.Options = {
      width: Math.max(300, el.clientWidth),
      height,
      plugins: [tooltipPlugin(series)],
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { size: 6 } },
      scales: {
        // Half a day of padding so the first and last day's bars and points are not cut at the edges.
        x: { time: true, range: (_u, min, max) => [min - 43_200, max + 43_200] },
        y: { range: (_u, _min, max) => yRange ?? [0, max > 0 ? max * 1.1 : 1] },
      },
      axes: [
        {
          stroke: '#6b7280',
          grid: { stroke: '#eef0f3' },
          splits: (u, _axis, min, max) =>
            daySplits(min, max, Math.max(2, Math.floor(u.bbox.width / devicePixelRatio / 70))),
          values: (_u, splits) =>
            splits.map((s) => {
              const d = new Date(s * 1000);
              return `${d.getUTCDate()} ${d.toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' })}`;
            }),
        },
        {
          label: yLabel,
          stroke: '#6b7280',
          grid: { stroke: '#eef0f3' },
          size: 60,
          values: (_u, splits) => splits.map(yFormat),
        },
      ],
      series: [
        {},
        ...series.map(
          (s): uPlot.Series => ({
            label: s.label,
            stroke: s.color,
            width: s.kind === 'bars' || s.kind === 'points' ? 0 : 2,
            fill: s.kind === 'bars' ? s.color : undefined,
            dash: s.kind === 'dashed' ? [6, 4] : undefined,
            paths: s.kind === 'bars' ? bars : undefined,
            points:
              s.kind === 'points'
                ? { show: true, size: 9, fill: s.color, stroke: s.color }
                : { show: s.kind !== 'bars' && s.kind !== 'dashed' },
            spanGaps: false,
          }),
        ),
      ],
    };
    // uPlot's UTC day axis: the x values are calendar days, so never shift them by the browser's zone.
    opts.tzDate = (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC');
    plot.current = new uPlot(opts, data, el);
    const resize = new ResizeObserver(() => {
      plot.current?.setSize({ width: Math.max(300, el.clientWidth), height });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [shape, height, yLabel]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return (
    <figure class="chart" data-testid={testId}>
      <div ref={host} class="chart-host" />
      <figcaption class="chart-legend">
        {series.map((s) => (
          <span key={s.label}>
            <i style={{ background: s.color }} aria-hidden="true" />
            {s.label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
