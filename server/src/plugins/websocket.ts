import { MAX_FRAME_BYTES } from '@beseda/shared';
import websocket from '@fastify/websocket';
import fp from 'fastify-plugin';
import type { WebSocket } from 'ws';

const alive = new WeakSet<WebSocket>();

/**
 * ws with a payload cap (frames above MAX_FRAME_BYTES but under the cap get a typed error; far larger
 * ones are cut off by ws with 1009) and a heartbeat that drops sockets which missed a pong, so a dead
 * operator connection turns into "offline" within seconds, not minutes.
 */
export const websocketPlugin = fp<{ heartbeatMs: number }>(
  async (app, opts) => {
    await app.register(websocket, {
      options: {
        maxPayload: MAX_FRAME_BYTES * 4,
        perMessageDeflate: false,
        // The widget offers `beseda.v1` plus its secret as a second subprotocol; only the first is echoed.
        handleProtocols: (protocols: Set<string>) => (protocols.has('beseda.v1') ? 'beseda.v1' : false),
      },
      // Close every socket with 1012 on shutdown so clients reconnect to another node or retry later.
      preClose: (done) => {
        for (const client of app.websocketServer.clients) client.close(1012, 'server restarting');
        app.websocketServer.close();
        done();
      },
    });
    app.addHook('onReady', async () => {
      const wss = app.websocketServer;
      wss.on('connection', (ws: WebSocket) => {
        alive.add(ws);
        ws.on('pong', () => alive.add(ws));
      });
      const timer = setInterval(() => {
        for (const ws of wss.clients) {
          if (!alive.has(ws)) {
            ws.terminate();
            continue;
          }
          alive.delete(ws);
          ws.ping();
        }
      }, opts.heartbeatMs);
      timer.unref();
      app.addHook('onClose', async () => clearInterval(timer));
    });
  },
  { name: 'websocket' },
);
