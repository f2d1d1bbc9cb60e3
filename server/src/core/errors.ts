import { ERRORS, type ErrorCode } from '@beseda/shared';

/** The one error type the relay throws on purpose; the transport turns it into a typed frame or 4xx. */
export class BesedaError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
  ) {
    super(message ?? ERRORS[code].message);
    this.name = 'BesedaError';
  }
}

export const isBesedaError = (e: unknown): e is BesedaError => e instanceof BesedaError;
