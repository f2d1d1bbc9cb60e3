import { describe, expect, it } from 'vitest';
import { totalIr } from './callgrind-out.js';

describe('callgrind output', () => {
  it('reads the totals line of a callgrind file', () => {
    const text =
      'version: 1\ncreator: callgrind-3.19.0\nevents: Ir\nfn=(1) main\n5 100\n\ntotals: 123456789\n';
    expect(totalIr(text)).toBe(123456789);
  });

  it('reads the older summary line', () => {
    expect(totalIr('events: Ir\nsummary: 42\n')).toBe(42);
  });

  it('refuses a file without totals (a crashed or truncated run)', () => {
    expect(() => totalIr('events: Ir\nfn=(1) main\n')).toThrow(/totals/);
  });
});
