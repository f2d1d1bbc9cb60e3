import { LoginBody, type OMe } from '@beseda/shared';
import type { FastifyInstance } from 'fastify';
import { verifyPassword } from '../auth/passwords.js';
import { endSession, operatorFromRequest, startSession } from '../auth/sessions.js';
import type { Operator } from '../store/types.js';
import { refuse } from '../transport/refuse.js';

export const meOf = (op: Operator, liveStatus?: OMe['status']): OMe => ({
  id: op.id,
  name: op.name,
  email: op.email,
  role: op.role,
  status: liveStatus ?? op.status,
  capacity: op.capacity,
});

/** Console login with an httpOnly SameSite=Strict cookie; logins are rate-limited per IP. */
export async function authRoutes(app: FastifyInstance) {
  app.post<{ Body: LoginBody }>(
    '/api/auth/login',
    { schema: { body: LoginBody }, config: { rateLimit: { max: 10, timeWindow: '1 minute' } } },
    async (req, reply) => {
      const op = await app.store.getOperatorByEmail(req.body.email.trim().toLowerCase());
      const ok = op?.active ? await verifyPassword(req.body.password, op.passwordHash) : false;
      if (!op || !ok) return refuse(reply, 'unauthorized', 'Wrong email or password');
      const secure = app.config.publicUrl?.startsWith('https:') ?? false;
      await startSession(app.store, reply, op.id, app.config.sessionTtlMs, secure);
      return { me: meOf(op) };
    },
  );

  app.post('/api/auth/logout', async (req, reply) => {
    await endSession(app.store, req, reply);
    return { ok: true };
  });

  app.get('/api/auth/me', async (req, reply) => {
    const op = await operatorFromRequest(app.store, req);
    if (!op) return refuse(reply, 'unauthorized');
    return { me: meOf(op) };
  });
}
