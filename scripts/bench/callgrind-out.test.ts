import { describe, expect, it } from 'vitest';
import { perMessage, totalIr } from './callgrind-out.js';

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

  it('takes the per-message cost from the difference of two runs', () => {
    // 1e9 fixed + 2e5 per message.
    const r = perMessage(
      { messages: 5000, ir: 1e9 + 5000 * 2e5 },
      { messages: 10000, ir: 1e9 + 10000 * 2e5 },
    );
    expect(r.ir).toBe(2e5);
    expect(r.fixed).toBe(1e9);
  });

  it('refuses runs that do not differ in messages', () => {
    expect(() => perMessage({ messages: 10, ir: 1 }, { messages: 10, ir: 2 })).toThrow();
  });
});
