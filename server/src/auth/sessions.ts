import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Operator, Store } from '../store/types.js';
import { hashToken, newToken } from './tokens.js';

export const SESSION_COOKIE = 'beseda_session';

/** Sessions are stored by the hash of the cookie value, so a leaked database holds no usable cookies. */
export async function startSession(
  store: Store,
  reply: FastifyReply,
  operatorId: string,
  ttlMs: number,
  secure: boolean,
) {
  const token = newToken();
  const expiresAt = Date.now() + ttlMs;
  await store.createSession({ token: hashToken(token), operatorId, expiresAt });
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure,
    expires: new Date(expiresAt),
  });
}

export async function operatorFromRequest(store: Store, req: FastifyRequest): Promise<Operator | null> {
  const token = req.cookies[SESSION_COOKIE];
  if (!token) return null;
  const session = await store.getSession(hashToken(token));
  if (!session || session.expiresAt < Date.now()) return null;
  const op = await store.getOperator(session.operatorId);
  return op?.active ? op : null;
}

export async function endSession(store: Store, req: FastifyRequest, reply: FastifyReply) {
  const token = req.cookies[SESSION_COOKIE];
  if (token) await store.deleteSession(hashToken(token));
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}
