import type { ErrorCode } from '@beseda/shared';

/** Failures callers act on; `code` maps straight onto the protocol's error table. */
export class StoreError extends Error {
  constructor(
    readonly code: Extract<ErrorCode, 'not_found' | 'conflict' | 'rate_limited'>,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}

export const notFound = (what: string, id: string): StoreError =>
  new StoreError('not_found', `${what} ${id} not found`);

// Drivers report constraint violations by their own codes, and drizzle wraps them in DrizzleQueryError;
// walk the cause chain so both SQLite and PostgreSQL violations become the same StoreError.
const CONFLICT = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY', '23505']);
const MISSING_REFERENCE = new Set(['SQLITE_CONSTRAINT_FOREIGNKEY', '23503']);
// Another process holds the database's write lock (SQLite), or a lock/serialization conflict (PostgreSQL):
// nothing was stored, and the same write can simply be tried again.
const BUSY = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED', '40001', '40P01', '55P03']);

/** Nothing was stored and the caller may retry the same write (see `translateError`). */
export const isRetryable = (err: unknown): boolean =>
  err instanceof StoreError && err.code === 'rate_limited';

export function translateError(err: unknown): unknown {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (CONFLICT.has(code)) return new StoreError('conflict', 'Already exists', { cause: err });
    if (MISSING_REFERENCE.has(code))
      return new StoreError('not_found', 'Referenced record not found', { cause: err });
    if (BUSY.has(code))
      return new StoreError('rate_limited', 'The database is busy; nothing was stored, retry', {
        cause: err,
      });
  }
  return err;
}
