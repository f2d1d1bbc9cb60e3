import { describe, expect, it } from 'vitest';
import { RUN_GAP_MS, runStarts } from './message-runs.js';

const v = (at: number) => ({ author: 'visitor' as const, operatorId: null, at });
const op = (id: string, at: number) => ({ author: 'operator' as const, operatorId: id, at });

describe('runStarts', () => {
  it('groups six visitor lines in a row into one run', () => {
    expect(runStarts([1, 2, 3, 4, 5, 6].map((s) => v(s * 1000)))).toEqual([
      true,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('starts a run on a new author, another operator, a system line, or a long pause', () => {
    expect(
      runStarts([
        v(0),
        op('a', 1),
        op('a', 2),
        op('b', 3),
        { author: 'system', operatorId: null, at: 4 },
        op('b', 5),
        op('b', 5 + RUN_GAP_MS + 1),
      ]),
    ).toEqual([true, true, false, true, true, true, true]);
  });
});
