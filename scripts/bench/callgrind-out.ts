/**
 * Total instructions executed (Ir) from a callgrind output file: the `totals:` line (`summary:` in older
 * formats). With the default event set Ir is the only event, so the first number is the count.
 */
export function totalIr(text: string): number {
  const m = /^(?:totals|summary):\s+(\d+)/m.exec(text);
  if (!m?.[1]) throw new Error('callgrind output without a totals line');
  return Number(m[1]);
}
