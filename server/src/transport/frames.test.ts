import { describe, expect, it } from 'vitest';
import { BesedaError } from '../core/errors.js';
import { StoreError, translateError } from '../store/errors.js';
import { toErrorFrame } from './frames.js';

describe('error frames', () => {
  it('a busy database is a retryable rate_limited, not an internal error', () => {
    const busy = translateError(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }));
    expect(busy).toBeInstanceOf(StoreError);
    const { frame, unexpected } = toErrorFrame(busy, 'client-1');
    expect(unexpected).toBe(false);
    expect(frame).toMatchObject({ type: 'error', code: 'rate_limited', ref: 'client-1' });
    expect(frame.message).toMatch(/nothing was stored/);
  });

  it('keeps typed codes, and hides the details of anything unexpected', () => {
    expect(toErrorFrame(new StoreError('conflict', 'Already exists')).frame.code).toBe('conflict');
    expect(toErrorFrame(new BesedaError('not_found', 'Conversation not found')).frame.code).toBe('not_found');
    const boom = toErrorFrame(new Error('secret stack detail'));
    expect(boom).toMatchObject({ unexpected: true, frame: { code: 'internal' } });
    expect(boom.frame.message).not.toMatch(/secret/);
  });
});
