/**
 * Every error the relay can report, declared once. Frames carry `code`; REST answers carry
 * `{ error: code, message }` with `http`; refused or closed sockets use `close`.
 */
export const ERRORS = {
  bad_json: { http: 400, close: 4400, message: 'Frame is not valid JSON' },
  bad_frame: { http: 400, close: 4400, message: 'Frame does not match the protocol schema' },
  frame_too_large: { http: 413, close: 1009, message: 'Frame exceeds the size limit' },
  unsupported_version: { http: 400, close: 4400, message: 'Protocol version not supported' },
  not_ready: { http: 409, close: 4409, message: 'Send hello first' },
  unauthorized: { http: 401, close: 4401, message: 'Authentication required or invalid' },
  forbidden: { http: 403, close: 4403, message: 'Not allowed' },
  origin_not_allowed: { http: 403, close: 4403, message: 'Origin is not allowed for this site' },
  unknown_site: { http: 404, close: 4404, message: 'Unknown site key' },
  not_found: { http: 404, close: 4404, message: 'Not found' },
  invalid_state: { http: 409, close: 4409, message: 'Not possible in the current state' },
  over_capacity: { http: 409, close: 4409, message: 'Operator has no free capacity' },
  operator_unavailable: { http: 409, close: 4409, message: 'Operator is not online' },
  rate_limited: { http: 429, close: 4429, message: 'Too many requests, slow down' },
  validation: { http: 400, close: 4400, message: 'Invalid input' },
  conflict: { http: 409, close: 4409, message: 'Already exists' },
  /**
   * A verified identify named another user than the one this visitor is verified as (a second person
   * logged in on the same browser): the socket is closed, and the client starts a new visitor session.
   */
  identity_changed: {
    http: 409,
    close: 4409,
    message: 'Another verified user is identified in this browser: start a new visitor session',
  },
  shutting_down: { http: 503, close: 1012, message: 'Server is restarting, reconnect shortly' },
  internal: { http: 500, close: 1011, message: 'Internal error' },
} as const;

export type ErrorCode = keyof typeof ERRORS;
export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];
