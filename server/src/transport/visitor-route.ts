import {
  PROTOCOL_VERSION,
  VisitorClientFrame as Schema,
  type VisitorClientFrame,
  type VisitorServerFrame,
} from '@beseda/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hashToken, newToken, tokenMatches } from '../auth/tokens.js';
import { BesedaError } from '../core/errors.js';
import { topics } from '../hub/types.js';
import type { Site, Visitor } from '../store/types.js';
import { encodeFrame } from './encode.js';
import { frameParser } from './frames.js';
import { originAllowed } from './origin.js';
import { closeUnauthorized, refuse } from './refuse.js';
import { serveSocket } from './serve-socket.js';

interface VisitorQuery {
  site?: string;
  vid?: string;
  token?: string;
}

interface VisitorAuth {
  site: Site;
  visitor: Visitor;
  token: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    visitorAuth?: VisitorAuth;
    /** Set when credentials were wrong: the socket is closed with 4401 right after the upgrade. */
    authFailure?: string;
  }
}

const parse = frameParser(Schema);

/** /ws/visitor: site key, Origin and (for a returning visitor) the secret token are checked before upgrading. */
export async function visitorRoute(app: FastifyInstance) {
  app.get(
    '/ws/visitor',
    {
      websocket: true,
      preValidation: async (req: FastifyRequest<{ Querystring: VisitorQuery }>, reply: FastifyReply) => {
        const q = req.query;
        if (!q.site) return refuse(reply, 'unknown_site', 'Missing ?site=KEY');
        const site = await app.store.getSiteByKey(q.site);
        if (!site) return refuse(reply, 'unknown_site');
        if (!originAllowed(req.headers.origin, req.headers.host, site.allowedOrigins)) {
          return refuse(reply, 'origin_not_allowed');
        }
        let visitor: Visitor | null = null;
        let token = tokenFromProtocols(req.headers['sec-websocket-protocol']) ?? q.token ?? '';
        if (q.vid) {
          visitor = await app.store.getVisitor(q.vid);
          if (!visitor || visitor.siteId !== site.id || !token || !tokenMatches(token, visitor.tokenHash)) {
            // Accepted only to be closed with 4401 at once: browsers cannot read an HTTP status from a
            // refused upgrade, and the widget must know to forget the identity rather than retry forever.
            req.authFailure = 'Unknown visitor or wrong token';
            return;
          }
        } else {
          if (!app.connections.canAcquire(req.ip))
            return refuse(reply, 'rate_limited', 'Too many connections from this address');
          token = newToken();
          const now = Date.now();
          visitor = await app.store.createVisitor({
            siteId: site.id,
            tokenHash: hashToken(token),
            name: null,
            email: null,
            lang: null,
            userAgent: req.headers['user-agent']?.slice(0, 512) ?? null,
            createdAt: now,
            lastSeenAt: now,
          });
        }
        if (!app.connections.tryAcquire(req.ip))
          return refuse(reply, 'rate_limited', 'Too many connections from this address');
        req.visitorAuth = { site, visitor, token };
      },
    },
    (socket, req) => {
      if (req.authFailure) return closeUnauthorized(socket, req.authFailure);
      const auth = req.visitorAuth!;
      const { relay, hub } = app;
      const unsubs: (() => void)[] = [];
      const forward = (frame: unknown) => {
        if (socket.readyState === socket.OPEN) socket.send(encodeFrame(frame));
      };
      serveSocket<VisitorClientFrame, VisitorServerFrame>(
        socket,
        {
          parse,
          async hello(frame) {
            if (frame.type !== 'hello') throw new BesedaError('not_ready');
            if (frame.v !== PROTOCOL_VERSION)
              throw new BesedaError('unsupported_version', `Server speaks v${PROTOCOL_VERSION}`);
            // Subscribe before reading history so nothing published in between is missed; the client
            // dedupes by seq, so an overlap is harmless.
            unsubs.push(hub.subscribe(topics.visitor(auth.visitor.id), forward));
            unsubs.push(hub.subscribe(`site-visitors:${auth.site.id}`, forward));
            return relay.visitorHello(auth.visitor, auth.token, frame);
          },
          async handle(frame) {
            switch (frame.type) {
              case 'send':
                return relay.visitorSend(auth.visitor, frame.clientId, frame.text);
              case 'typing':
                relay.visitorTyping(auth.visitor, frame.active, frame.preview);
                return;
              case 'end':
                await relay.visitorEnd(auth.visitor);
                return;
              case 'rate':
                await relay.visitorRate(auth.visitor, frame.conversationId, frame.rating, frame.comment);
                return;
              case 'page':
                await relay.visitorPage(auth.visitor, frame.page);
                return;
              case 'identify':
                return relay.visitorIdentify(auth.visitor, frame);
              case 'offline_message':
                return relay.visitorOfflineMessage(auth.visitor, frame);
              case 'ping':
                return { type: 'pong' };
              default:
                throw new BesedaError('bad_frame');
            }
          },
          close() {
            for (const u of unsubs) u();
            app.connections.release(req.ip);
          },
        },
        { log: app.log, clock: app.clock, framesPerSecond: app.config.framesPerSecond },
      );
    },
  );
}

/**
 * Browsers send the visitor secret as a subprotocol (`beseda.token.<secret>`) so it stays out of URLs,
 * which end up in console errors and proxy logs. `?token=` remains for non-browser clients.
 */
export function tokenFromProtocols(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const p of header.split(',')) {
    const v = p.trim();
    if (v.startsWith('beseda.token.')) return v.slice('beseda.token.'.length);
  }
  return undefined;
}
