import type { FastifyServerOptions } from 'fastify';

/** Query parameters that carry credentials (the visitor token's `?token=` form, signed identities). */
const SECRET_PARAMS = /^(token|access_token|signature|password|secret|key)$/i;

/** `/ws/visitor?site=demo&token=abc` → `/ws/visitor?site=demo&token=***`. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  let changed = false;
  for (const name of [...params.keys()]) {
    if (SECRET_PARAMS.test(name)) {
      params.set(name, '***');
      changed = true;
    }
  }
  return changed ? `${url.slice(0, q)}?${params.toString().replaceAll('%2A', '*')}` : url;
}

interface LoggedRequest {
  method: string;
  url: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/**
 * pino (JSON lines) as Fastify's logger. Requests are logged by method, redacted URL, host and address only:
 * no headers (cookies, subprotocol secrets, Authorization), no bodies. `redact` catches credentials or
 * personal data that code might pass in a log object by mistake.
 */
export function loggerOptions(level: string): NonNullable<FastifyServerOptions['logger']> {
  return {
    level,
    serializers: {
      req(req: LoggedRequest) {
        return {
          method: req.method,
          url: redactUrl(req.url),
          host: req.host,
          remoteAddress: req.ip,
          remotePort: req.socket?.remotePort,
        };
      },
    },
    redact: {
      paths: [
        'password',
        'token',
        'email',
        'text',
        'cookie',
        'authorization',
        '*.password',
        '*.passwordHash',
        '*.token',
        '*.tokenHash',
        '*.email',
        '*.text',
        '*.cookie',
        '*.authorization',
        'visitorEmail',
        'visitorName',
        '*.visitorEmail',
        '*.visitorName',
        'req.headers',
        'res.headers',
      ],
      censor: '***',
    },
  };
}
