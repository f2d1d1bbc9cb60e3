import { LoginBody } from '@beseda/shared';
import type { FastifyInstance } from 'fastify';
import { LoginGuard } from '../auth/login-guard.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import { endSession, operatorFromRequest, SESSION_COOKIE, startSession } from '../auth/sessions.js';
import { hashToken, newToken } from '../auth/tokens.js';
import { refuse } from '../transport/refuse.js';
import { meOf } from './me.js';
import { profileOf, profileRoutes } from './profile-routes.js';

/**
 * Console login with an httpOnly SameSite=Strict cookie. Limits: LOGIN_ATTEMPTS_PER_MINUTE (10) a minute per IP, and a backoff
 * per account (auth/login-guard.ts). An unknown or deactivated account costs the same password hashing as a
 * real one and gets the same answer, so neither timing nor wording tells which emails exist.
 */
export async function authRoutes(app: FastifyInstance) {
  const guard = new LoginGuard(app.clock);
  // Started now, awaited on the first unknown email: verifying against it costs what a real account costs.
  const decoy = hashPassword(newToken());
  decoy.catch(() => {});

  app.post<{ Body: LoginBody }>(
    '/api/auth/login',
    {
      schema: { body: LoginBody },
      config: { rateLimit: { max: app.config.loginAttemptsPerMinute, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const email = req.body.email.trim().toLowerCase();
      const wait = guard.retryAfterMs(email);
      if (wait > 0) {
        const seconds = Math.ceil(wait / 1000);
        reply.header('retry-after', String(seconds));
        return refuse(reply, 'rate_limited', `Too many failed sign-ins: try again in ${seconds} s`);
      }
      const op = await app.store.getOperatorByEmail(email);
      const matches = await verifyPassword(req.body.password, op?.passwordHash ?? (await decoy));
      if (!op?.active || !matches) {
        guard.failed(email);
        return refuse(reply, 'unauthorized', 'Wrong email or password');
      }
      guard.succeeded(email);
      const secure = app.config.publicUrl?.startsWith('https:') ?? false;
      await startSession(app.store, reply, op.id, app.config.sessionTtlMs, secure);
      // The profile comes with the sign-in, so the console starts in the operator's language on any device.
      return { me: meOf(op), profile: profileOf(op) };
    },
  );

  app.post('/api/auth/logout', async (req, reply) => {
    const cookie = req.cookies[SESSION_COOKIE];
    await endSession(app.store, req, reply);
    // The session's open consoles close on every node, not only future requests.
    if (cookie) app.relay.revokeSession(hashToken(cookie));
    return { ok: true };
  });

  app.get('/api/auth/me', async (req, reply) => {
    const op = await operatorFromRequest(app.store, req);
    if (!op) return refuse(reply, 'unauthorized');
    return { me: meOf(op), profile: profileOf(op) };
  });

  // The operator's own profile lives beside the session it belongs to.
  await profileRoutes(app);
}
