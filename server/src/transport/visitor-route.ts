import { randomUUID } from 'node:crypto';
import {
  ERRORS,
  PROTOCOL_VERSION,
  VisitorClientFrame as Schema,
  type VisitorClientFrame,
  type VisitorServerFrame,
} from '@beseda/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hashToken, newToken } from '../auth/tokens.js';
import { BesedaError } from '../core/errors.js';
import { topics } from '../hub/types.js';
import {
  adopt,
  credentialsMatch,
  pendingVisitor,
  type SessionVisitor,
  storedVisitor,
} from '../relay/lazy-visitor.js';
import { NewVisitorLimit } from '../relay/new-visitor-limit.js';
import type { Site } from '../store/types.js';
import { frameParser } from './frames.js';
import { originAllowed } from './origin.js';
import { closeUnauthorized, refuse } from './refuse.js';
import { releaseUpgradeRequest } from './release-upgrade.js';
import { sendFrame } from './send-frame.js';
import { serveSocket } from './serve-socket.js';
import { VisitorSocketState } from './visitor-socket-state.js';

interface VisitorQuery {
  site?: string;
  vid?: string;
  token?: string;
  /**
   * `1`: the client generated `vid` and the token itself; if no such visitor is stored yet, this is a new
   * visitor (stored at their first message or identify).
   */
  new?: string;
}

interface VisitorAuth {
  site: Site;
  visitor: SessionVisitor;
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
const TOO_MANY = 'Too many new visitors from this address, try again in a minute';

/** /ws/visitor: site key, Origin and the visitor's secret are checked before upgrading, cheapest first. */
export async function visitorRoute(app: FastifyInstance) {
  const newVisitors = new NewVisitorLimit(app.config.newVisitorsPerMinutePerIp, () => app.clock.now());
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
        // A new visitor session is counted from memory before any query (a client that says `new=1` or
        // brings no id). A `new=1` over the limit may still be a stored visitor whose widget has not learnt
        // it yet (a tab that never got an ack), so that one id is looked up before refusing: returning
        // visitors are never refused by this limit.
        const saysNew = !q.vid || q.new === '1';
        if (saysNew && !newVisitors.admit(req.ip, q.vid ?? null)) {
          const known = q.vid ? await app.store.getVisitor(q.vid) : null;
          if (!known || !credentialsMatch(known, site.id, token))
            return refuse(reply, 'rate_limited', TOO_MANY);
        }
        const auth = await authenticate(app, req, site, q, token);
        // An unknown id presented without `new=1` is a new visitor too (e.g. one whose welcome said it was
        // not stored yet), counted after its lookup.
        if (auth && !auth.visitor.stored && !saysNew && !newVisitors.admit(req.ip, auth.visitor.id))
          return refuse(reply, 'rate_limited', TOO_MANY);
        if (auth) req.visitorAuth = { site, ...auth };
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
      // Only these outlive the upgrade: a closure that used `req` would keep the whole request (headers,
      // IncomingMessage) alive for as long as the socket is open, several KB per idle visitor.
      const ip = req.ip;
      const { relay, hub } = app;
      const state = new VisitorSocketState();
      const send = (frame: unknown) => {
        state.observe(frame as VisitorServerFrame);
        sendFrame(socket, frame);
      };
      /** Set once another verified user identified here: frames already on their way are not applied. */
      let retired = false;
      const toVisitor = heldUntilStored(
        app,
        visitor,
        send,
        () => closeUnauthorized(socket, 'Unknown visitor or wrong token'),
        () => socket.close(1013, 'try again'),
      );
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
      const handle = async (frame: VisitorClientFrame): Promise<VisitorServerFrame | undefined> => {
        switch (frame.type) {
          case 'send':
            return relay.visitors.send(visitor, frame.clientId, frame.text, frame.teamId);
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
            unsubs.push(hub.subscribe(topics.visitor(visitor.id), toVisitor));
            unsubs.push(hub.subscribe(topics.siteVisitors(site.id), send));
            const { frames } = await relay.visitors.hello(visitor, token, frame).catch((err) => {
              // Another secret stored this id first: not this socket's visitor.
              if (err instanceof BesedaError && err.code === 'unauthorized')
                closeUnauthorized(socket, err.message);
              throw err;
            });
            for (const f of frames) state.observe(f);
            return frames;
          },
          async handle(frame) {
            if (retired) return;
            try {
              return await handle(frame);
            } catch (err) {
              if (!(err instanceof BesedaError)) throw err;
              // Another verified user identified here: whatever this socket sends next (a message the new
              // user typed) belongs to the new visitor session the client opens now, not to this visitor.
              // Or this id was stored meanwhile with another secret: not this socket's visitor.
              if (err.code !== 'identity_changed' && err.code !== 'unauthorized') throw err;
              retired = true;
              if (err.code === 'unauthorized') closeUnauthorized(socket, err.message);
              else {
                sendFrame(socket, { type: 'error', code: err.code, message: err.message });
                socket.close(ERRORS.identity_changed.close, 'identity changed');
              }
              return;
            }
          },
          close() {
            for (const u of unsubs) u();
            app.connections.release(ip);
          },
        },
        { log: app.log, clock: app.clock, framesPerSecond: app.config.framesPerSecond },
      );
      releaseUpgradeRequest(socket, req.raw);
    },
  );
}

/**
 * Who is connecting. A returning visitor presents id + secret. A new widget generates both itself and
 * presents them with `new=1`; such a visitor is not stored until their first message, leave-a-message form
 * or identify (lazy rows, issue #9 point 6), so reading costs no row. An unknown, well-formed id with a
 * secret of at least 32 characters is therefore a new visitor whether or not `new=1` says so (a reader's
 * id is never stored). The same id + secret again (a retry, a reload, another tab) is the same visitor, so
 * a retried `send` is deduped by its `clientId`; a stored id with another secret is refused (4401). Old
 * clients that send no id get one made here (returned in `welcome`).
 */
async function authenticate(
  app: FastifyInstance,
  req: FastifyRequest,
  site: Site,
  q: VisitorQuery,
  token: string,
): Promise<{ visitor: SessionVisitor; token: string } | null> {
  const pending = (id: string, secret: string) =>
    pendingVisitor({
      id,
      siteId: site.id,
      tokenHash: hashToken(secret),
      userAgent: req.headers['user-agent']?.slice(0, 512) ?? null,
      now: app.clock.now(),
    });
  if (!q.vid) {
    const secret = newToken();
    return { visitor: pending(randomUUID(), secret), token: secret };
  }
  const row = await app.store.getVisitor(q.vid);
  if (row && credentialsMatch(row, site.id, token)) return { visitor: storedVisitor(row), token };
  if (!row && CLIENT_ID.test(q.vid) && token.length >= 32) return { visitor: pending(q.vid, token), token };
  // Accepted only to be closed with 4401 at once: browsers cannot read an HTTP status from a refused
  // upgrade, and the widget must know to forget the identity rather than retry forever.
  req.authFailure = 'Unknown visitor or wrong token';
  return null;
}

/**
 * Frames published to a visitor's topic, as this socket forwards them. A socket of a visitor that is not
 * stored yet holds them until the store confirms the row that now exists (another tab wrote first) carries
 * this socket's secret: an id alone, e.g. from a logged URL, must never let a stranger read the chat the
 * real visitor starts later. A socket that stored the visitor itself forwards at once.
 */
function heldUntilStored(
  app: FastifyInstance,
  visitor: SessionVisitor,
  send: (frame: unknown) => void,
  refused: () => void,
  retry: () => void,
): (frame: unknown) => void {
  let held: unknown[] | null = null;
  return (frame) => {
    if (visitor.stored) return send(frame);
    if (held) return void held.push(frame);
    held = [frame];
    app.store.getVisitor(visitor.id).then(
      (row) => {
        const frames = held ?? [];
        held = null;
        try {
          if (row && !visitor.stored) adopt(visitor, row);
        } catch {
          return refused();
        }
        if (visitor.stored) for (const f of frames) send(f);
      },
      (err: unknown) => {
        // Not a verdict on the secret: the client reconnects and resumes.
        app.log.warn({ err }, 'could not confirm a new visitor');
        retry();
      },
    );
  };
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
