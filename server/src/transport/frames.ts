import { ERRORS, type ErrorCode, type ErrorFrame, MAX_FRAME_BYTES } from '@beseda/shared';
import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { BesedaError } from '../core/errors.js';
import { StoreError } from '../store/errors.js';

/**
 * Parse at the edge, once: raw bytes → a frame that matches the shared schema, or a BesedaError whose
 * code becomes the error frame. Handlers behind this never see unvalidated input.
 */
export function frameParser<S extends TSchema>(schema: S) {
  const check = TypeCompiler.Compile(schema);
  // The frame types are read off the union itself, so adding a frame to shared/ cannot be forgotten here.
  const known = new Set<string>(
    ((schema as { anyOf?: { properties?: { type?: { const?: string } } }[] }).anyOf ?? [])
      .map((s) => s.properties?.type?.const)
      .filter((t): t is string => typeof t === 'string'),
  );
  return (raw: Buffer | ArrayBuffer | Buffer[] | string): Static<S> => {
    const size =
      typeof raw === 'string'
        ? Buffer.byteLength(raw)
        : Array.isArray(raw)
          ? raw.reduce((n, b) => n + b.length, 0)
          : raw.byteLength;
    if (size > MAX_FRAME_BYTES)
      throw new BesedaError('frame_too_large', `Frame is ${size} bytes; the limit is ${MAX_FRAME_BYTES}`);
    const text =
      typeof raw === 'string'
        ? raw
        : Array.isArray(raw)
          ? Buffer.concat(raw).toString('utf8')
          : Buffer.from(raw as ArrayBuffer).toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new BesedaError('bad_json');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new BesedaError('bad_frame', 'A frame must be a JSON object with a "type"');
    }
    const type = (value as { type?: unknown }).type;
    if (typeof type !== 'string' || !known.has(type)) {
      throw new BesedaError(
        'bad_frame',
        `Unknown frame type ${JSON.stringify(type)?.slice(0, 40) ?? 'undefined'}`,
      );
    }
    if (!check.Check(value)) {
      const first = check.Errors(value).First();
      throw new BesedaError(
        'bad_frame',
        first ? `${type}: ${first.path || '/'} ${first.message}` : `${type}: invalid`,
      );
    }
    return value;
  };
}

/** The clientId of a frame, if it had one, so the error can reference the message that failed. */
export function refOf(raw: unknown): string | undefined {
  try {
    const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : typeof raw === 'string' ? raw : '';
    if (text.length > MAX_FRAME_BYTES) return undefined;
    const v = JSON.parse(text) as { clientId?: unknown };
    return typeof v.clientId === 'string' ? v.clientId.slice(0, 64) : undefined;
  } catch {
    return undefined;
  }
}

export function errorFrame(code: ErrorCode, message?: string, ref?: string): ErrorFrame {
  return { type: 'error', code, message: message ?? ERRORS[code].message, ...(ref ? { ref } : {}) };
}

export function toErrorFrame(err: unknown, ref?: string): { frame: ErrorFrame; unexpected: boolean } {
  if (err instanceof BesedaError) return { frame: errorFrame(err.code, err.message, ref), unexpected: false };
  // The store's typed failures keep their code: a busy database is `rate_limited` (nothing was stored, the
  // client retries the same frame), not an internal error.
  if (err instanceof StoreError) return { frame: errorFrame(err.code, err.message, ref), unexpected: false };
  const code = (err as { code?: unknown })?.code;
  if (code === 'not_found') return { frame: errorFrame('not_found', undefined, ref), unexpected: false };
  return { frame: errorFrame('internal', undefined, ref), unexpected: true };
}
