import type { ErrorCode } from '@beseda/shared';

/** Failures callers act on; `code` maps straight onto the protocol's error table. */
export class StoreError extends Error {
  constructor(
    readonly code: Extract<ErrorCode, 'not_found' | 'conflict'>,
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

export function translateError(err: unknown): unknown {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (CONFLICT.has(code)) return new StoreError('conflict', 'Already exists', { cause: err });
    if (MISSING_REFERENCE.has(code))
      return new StoreError('not_found', 'Referenced record not found', { cause: err });
  }
  return err;
}
