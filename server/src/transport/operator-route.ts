import { randomUUID } from 'node:crypto';
import {
  type OperatorClientFrame,
  type OperatorServerFrame,
  PROTOCOL_VERSION,
  OperatorClientFrame as Schema,
} from '@beseda/shared';
import type { FastifyInstance } from 'fastify';
import { SESSION_COOKIE } from '../auth/sessions.js';
import { hashToken } from '../auth/tokens.js';
import { BesedaError } from '../core/errors.js';
import { topics } from '../hub/types.js';
import type { Operator } from '../store/types.js';
import { frameParser } from './frames.js';
import { OperatorSubscriptions } from './operator-subscriptions.js';
import { isSameOrigin } from './origin.js';
import { closeUnauthorized, refuse } from './refuse.js';
import { releaseUpgradeRequest } from './release-upgrade.js';
import { sendFrame } from './send-frame.js';
import { serveSocket } from './serve-socket.js';

declare module 'fastify' {
  interface FastifyRequest {
    operator?: Operator;
    operatorSession?: { hash: string; expiresAt: number };
  }
}

const parse = frameParser(Schema);
/** Consoles ping every 5 s; silence this long means the page or its network is gone. */
const OPERATOR_IDLE_MS = 12_000;

/** /ws/operator: the console's session cookie and a same-origin Origin are required before upgrading. */
export async function operatorRoute(app: FastifyInstance) {
  app.get(
    '/ws/operator',
    {
      websocket: true,
      preValidation: async (req, reply) => {
        if (!isSameOrigin(req.headers.origin, req.headers.host, app.config.publicUrl))
          return refuse(reply, 'origin_not_allowed');
        const cookie = req.cookies[SESSION_COOKIE];
        const session = cookie ? await app.store.getSession(hashToken(cookie)) : null;
        const op =
          session && session.expiresAt > app.clock.now()
            ? await app.store.getOperator(session.operatorId)
            : null;
        if (!session || !op?.active) {
          // Closed with 4401 after the upgrade so the console can tell an expired session from a drop.
          req.authFailure = 'Session expired or missing: sign in again';
          return;
        }
        req.operator = op;
        req.operatorSession = { hash: session.token, expiresAt: session.expiresAt };
      },
    },
    (socket, req) => {
      if (req.authFailure) return closeUnauthorized(socket, req.authFailure);
      const op = req.operator!;
      const session = req.operatorSession!;
      const { relay, hub } = app;
      const socketId = randomUUID();
      const send = (frame: OperatorServerFrame) => sendFrame(socket, frame);
      const subs = new OperatorSubscriptions(hub, op.id, send);
      let connected = false;
      const closeWith = (code: number, reason: string) => {
        if (code === 4401) send({ type: 'error', code: 'unauthorized', message: reason });
        socket.close(code, reason);
      };
      const unregister = relay.sockets.addOperator({
        socketId,
        operatorId: op.id,
        sessionHash: session.hash,
        send,
        close: closeWith,
        async catchUp() {
          for (const [conversationId, lastSeq] of subs.positions()) {
            const messages = (await relay.operators.sync(
              op.id,
              conversationId,
              lastSeq,
            )) as OperatorServerFrame;
            subs.forward(messages);
          }
        },
      });
      // The session ends at its expiry on every node, whatever the socket is doing then.
      const cancelExpiry = app.clock.setTimer(session.expiresAt - app.clock.now(), () =>
        closeWith(4401, 'session expired'),
      );
      serveSocket<OperatorClientFrame, OperatorServerFrame>(
        socket,
        {
          parse,
          async hello(frame) {
            if (frame.type !== 'hello') throw new BesedaError('not_ready');
            if (frame.v !== PROTOCOL_VERSION)
              throw new BesedaError('unsupported_version', `Server speaks v${PROTOCOL_VERSION}`);
            subs.subscribe(topics.operator(op.id));
            for (const siteId of relay.directory.operator(op.id)?.siteIds ?? op.siteIds)
              subs.subscribe(topics.siteOperators(siteId));
            const { welcome, chats } = await relay.operators.connected(op.id, socketId);
            for (const id of chats) subs.watchConversation(id);
            connected = true;
            return [welcome];
          },
          async handle(frame) {
            switch (frame.type) {
              case 'status':
                await relay.operators.setStatus(op.id, frame.status, frame.capacity);
                return;
              case 'send':
                return relay.operators.send(
                  op.id,
                  frame.conversationId,
                  frame.clientId,
                  frame.text,
                  frame.internal ?? false,
                );
              case 'typing':
                await relay.operators.typing(op.id, frame.conversationId, frame.active);
                return;
              case 'pick':
                await relay.operators.pick(op.id, frame.conversationId);
                return;
              case 'end':
                await relay.operators.end(op.id, frame.conversationId);
                return;
              case 'sync': {
                const out = await relay.operators.sync(op.id, frame.conversationId, frame.afterSeq);
                subs.observe(out);
                return out;
              }
              case 'transfer':
                if ((frame.toOperatorId === undefined) === (frame.toTeamId === undefined))
                  throw new BesedaError(
                    'validation',
                    'Transfer to an operator (toOperatorId) or to a team (toTeamId)',
                  );
                if (frame.toOperatorId !== undefined)
                  await relay.operators.transfer(op.id, frame.conversationId, frame.toOperatorId, frame.note);
                else
                  await relay.operators.transferToTeam(
                    op.id,
                    frame.conversationId,
                    frame.toTeamId ?? null,
                    frame.note,
                  );
                return;
              case 'tags':
                await relay.operators.tags(op.id, frame.conversationId, frame.tags);
                return;
              case 'ping':
                return { type: 'pong' };
              case 'activity':
                await relay.operators.activity(op.id);
                return;
              default:
                throw new BesedaError('bad_frame');
            }
          },
          close() {
            cancelExpiry();
            unregister();
            subs.close();
            if (connected)
              void relay.operators
                .disconnected(op.id, socketId)
                .catch((err) => app.log.error({ err }, 'operator disconnect failed'));
          },
        },
        {
          log: app.log,
          clock: app.clock,
          framesPerSecond: app.config.framesPerSecond,
          idleTimeoutMs: OPERATOR_IDLE_MS,
        },
      );
      releaseUpgradeRequest(socket, req.raw);
    },
  );
}
