/**
 * Total instructions executed (Ir) from a callgrind output file: the `totals:` line (`summary:` in older
 * formats). With the default event set Ir is the only event, so the first number is the count.
 */
export function totalIr(text: string): number {
  const m = /^(?:totals|summary):\s+(\d+)/m.exec(text);
  if (!m?.[1]) throw new Error('callgrind output without a totals line');
  return Number(m[1]);
}

/** Instructions per message from a run of N and one of 2N messages: the difference is N messages' worth. */
export function perMessage(small: { messages: number; ir: number }, big: { messages: number; ir: number }) {
  const extra = big.messages - small.messages;
  if (extra <= 0) throw new Error('the second run must send more messages than the first');
  const ir = (big.ir - small.ir) / extra;
  return { ir, fixed: small.ir - ir * small.messages };
}
