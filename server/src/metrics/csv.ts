/** RFC 4180 CSV with CRLF line ends, safe to open in a spreadsheet. */

export type Cell = string | number | null | undefined;

/**
 * Quotes when needed; text that a spreadsheet would run as a formula (= + - @, tab, CR at the start) gets
 * a leading apostrophe, since comments and names come from visitors and operators. Numbers pass as is.
 */
export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = v;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvRow(cells: readonly Cell[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** A duration in ms as seconds with at most 3 decimals (exact: ms are integers). */
export function seconds(ms: number | null): number | null {
  return ms === null ? null : ms / 1000;
}

/** Minutes rounded to 3 decimals for display (the JSON API keeps them unrounded). */
export function minutes3(m: number | null): number | null {
  return m === null ? null : Math.round(m * 1000) / 1000;
}
