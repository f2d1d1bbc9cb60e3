import { randomUUID } from 'node:crypto';
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
import { frameParser } from './frames.js';
import { originAllowed } from './origin.js';
import { closeUnauthorized, refuse } from './refuse.js';
import { sendFrame } from './send-frame.js';
import { serveSocket } from './serve-socket.js';
import { VisitorSocketState } from './visitor-socket-state.js';

interface VisitorQuery {
  site?: string;
  vid?: string;
  token?: string;
  /** `1`: the client generated `vid` and the token itself; create that visitor if it does not exist yet. */
  new?: string;
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
const CLIENT_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** /ws/visitor: site key, Origin and the visitor's secret are checked before upgrading, cheapest first. */
export async function visitorRoute(app: FastifyInstance) {
  app.get(
    '/ws/visitor',
    {
      websocket: true,
      preValidation: async (req: FastifyRequest<{ Querystring: VisitorQuery }>, reply: FastifyReply) => {
        const q = req.query;
        // Memory-only checks first, so a flood of refused upgrades costs no database work.
        if (!app.connections.canAcquire(req.ip))
          return refuse(reply, 'rate_limited', 'Too many connections from this address');
        if (!q.site) return refuse(reply, 'unknown_site', 'Missing ?site=KEY');
        const site = app.relay.directory.siteByKey(q.site) ?? (await app.store.getSiteByKey(q.site));
        if (!site) return refuse(reply, 'unknown_site');
        if (!originAllowed(req.headers.origin, req.headers.host, site.allowedOrigins, app.config.publicUrl))
          return refuse(reply, 'origin_not_allowed');
        const token = tokenFromProtocols(req.headers['sec-websocket-protocol']) ?? q.token ?? '';
        const visitor = await authenticate(app, req, site, q, token);
        if (visitor) req.visitorAuth = { site, visitor, token: visitor.token };
      },
    },
    (socket, req) => {
      if (req.authFailure) return closeUnauthorized(socket, req.authFailure);
      // The slot is taken only once the upgrade succeeded, and given back on every close.
      if (!app.connections.tryAcquire(req.ip)) {
        sendFrame(socket, {
          type: 'error',
          code: 'rate_limited',
          message: 'Too many connections from this address',
        });
        socket.close(4429, 'rate limited');
        return;
      }
      const { site, visitor, token } = req.visitorAuth!;
      const { relay, hub } = app;
      const state = new VisitorSocketState();
      const send = (frame: unknown) => {
        state.observe(frame as VisitorServerFrame);
        sendFrame(socket, frame);
      };
      const unsubs: (() => void)[] = [];
      unsubs.push(
        relay.sockets.addVisitor({
          socketId: randomUUID(),
          visitorId: visitor.id,
          siteId: site.id,
          close: (code, reason) => socket.close(code, reason),
          async catchUp() {
            const conversationId = state.conversationId;
            if (!conversationId) return;
            const messages = await relay.visitors.publicMessages(conversationId, state.lastSeq);
            if (messages.length) send({ type: 'history', conversationId, messages });
          },
          queueChanged(scope) {
            if (!state.conversationId || state.status !== 'queued') return;
            const frame = relay.queues.frameFor(scope, state.conversationId);
            if (frame?.type === 'queue' && state.queueChanged(frame)) send(frame);
          },
        }),
      );
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
            unsubs.push(hub.subscribe(topics.visitor(visitor.id), send));
            unsubs.push(hub.subscribe(topics.siteVisitors(site.id), send));
            const { frames } = await relay.visitors.hello(visitor, token, frame);
            for (const f of frames) state.observe(f);
            return frames;
          },
          async handle(frame) {
            switch (frame.type) {
              case 'send':
                return relay.visitors.send(visitor, frame.clientId, frame.text);
              case 'typing':
                await relay.visitors.typing(visitor, frame.active, frame.preview);
                return;
              case 'end':
                await relay.visitors.end(visitor);
                return;
              case 'rate':
                await relay.visitors.rate(visitor, frame.conversationId, frame.rating, frame.comment);
                return;
              case 'page':
                await relay.visitors.page(visitor, frame.page);
                return;
              case 'identify':
                return relay.visitors.identify(visitor, frame);
              case 'offline_message':
                return relay.visitors.offlineMessage(visitor, frame);
              case 'sync': {
                const out = await relay.visitors.sync(visitor, frame.conversationId, frame.afterSeq);
                state.observe(out);
                return out;
              }
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
 * Who is connecting. A returning visitor presents id + secret. A new widget generates both itself and
 * asks for them to be created (`new=1`), so a connection lost before `welcome` can be retried as the same
 * visitor and a message sent before `welcome` is deduped, never stored twice. Old clients that send no id
 * get one made here.
 */
async function authenticate(
  app: FastifyInstance,
  req: FastifyRequest,
  site: Site,
  q: VisitorQuery,
  token: string,
): Promise<(Visitor & { token: string }) | null> {
  const now = app.clock.now();
  const fresh = (id: string | undefined, secret: string) => ({
    ...(id ? { id } : {}),
    siteId: site.id,
    tokenHash: hashToken(secret),
    name: null,
    email: null,
    lang: null,
    userAgent: req.headers['user-agent']?.slice(0, 512) ?? null,
    createdAt: now,
    lastSeenAt: now,
  });
  if (!q.vid) {
    const secret = newToken();
    return { ...(await app.store.createVisitor(fresh(undefined, secret))), token: secret };
  }
  let visitor = await app.store.getVisitor(q.vid);
  if (!visitor && q.new === '1' && CLIENT_ID.test(q.vid) && token.length >= 32) {
    visitor = (await app.store.ensureVisitor({ ...fresh(q.vid, token), id: q.vid })).visitor;
  }
  if (!visitor || visitor.siteId !== site.id || !token || !tokenMatches(token, visitor.tokenHash)) {
    // Accepted only to be closed with 4401 at once: browsers cannot read an HTTP status from a refused
    // upgrade, and the widget must know to forget the identity rather than retry forever.
    req.authFailure = 'Unknown visitor or wrong token';
    return null;
  }
  return { ...visitor, token };
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
