import {
  type OperatorClientFrame,
  type OperatorServerFrame,
  PROTOCOL_VERSION,
  OperatorClientFrame as Schema,
} from '@beseda/shared';
import type { FastifyInstance } from 'fastify';
import { operatorFromRequest } from '../auth/sessions.js';
import { BesedaError } from '../core/errors.js';
import { topics } from '../hub/types.js';
import type { Operator } from '../store/types.js';
import { encodeFrame } from './encode.js';
import { frameParser } from './frames.js';
import { isSameOrigin } from './origin.js';
import { closeUnauthorized, refuse } from './refuse.js';
import { serveSocket } from './serve-socket.js';

declare module 'fastify' {
  interface FastifyRequest {
    operator?: Operator;
  }
}

const parse = frameParser(Schema);

/** /ws/operator: the console's session cookie and a same-origin Origin are required before upgrading. */
export async function operatorRoute(app: FastifyInstance) {
  app.get(
    '/ws/operator',
    {
      websocket: true,
      preValidation: async (req, reply) => {
        if (!isSameOrigin(req.headers.origin, req.headers.host)) return refuse(reply, 'origin_not_allowed');
        const op = await operatorFromRequest(app.store, req);
        if (!op) {
          // Closed with 4401 after the upgrade so the console can tell an expired session from a drop.
          req.authFailure = 'Session expired or missing: sign in again';
          return;
        }
        req.operator = op;
      },
    },
    (socket, req) => {
      if (req.authFailure) return closeUnauthorized(socket, req.authFailure);
      const op = req.operator!;
      const { relay, hub } = app;
      let unsub: (() => void) | null = null;
      let connected = false;
      serveSocket<OperatorClientFrame, OperatorServerFrame>(
        socket,
        {
          parse,
          async hello(frame) {
            if (frame.type !== 'hello') throw new BesedaError('not_ready');
            if (frame.v !== PROTOCOL_VERSION)
              throw new BesedaError('unsupported_version', `Server speaks v${PROTOCOL_VERSION}`);
            unsub = hub.subscribe(topics.operator(op.id), (f) => {
              if (socket.readyState === socket.OPEN) socket.send(encodeFrame(f));
            });
            const welcome = relay.operatorConnected(op.id);
            connected = true;
            return [welcome];
          },
          async handle(frame) {
            switch (frame.type) {
              case 'status':
                await relay.operatorSetStatus(op.id, frame.status, frame.capacity);
                return;
              case 'send':
                return relay.operatorSend(
                  op.id,
                  frame.conversationId,
                  frame.clientId,
                  frame.text,
                  frame.internal ?? false,
                );
              case 'typing':
                relay.operatorTyping(op.id, frame.conversationId, frame.active);
                return;
              case 'pick':
                await relay.operatorPick(op.id, frame.conversationId);
                return;
              case 'end':
                await relay.operatorEnd(op.id, frame.conversationId);
                return;
              case 'sync':
                return relay.operatorSync(op.id, frame.conversationId, frame.afterSeq);
              case 'transfer':
                await relay.operatorTransfer(op.id, frame.conversationId, frame.toOperatorId, frame.note);
                return;
              case 'tags':
                await relay.operatorTags(op.id, frame.conversationId, frame.tags);
                return;
              case 'ping':
                return { type: 'pong' };
              default:
                throw new BesedaError('bad_frame');
            }
          },
          close() {
            unsub?.();
            if (connected) relay.operatorDisconnected(op.id);
          },
        },
        { log: app.log, clock: app.clock, framesPerSecond: app.config.framesPerSecond },
      );
    },
  );
}
