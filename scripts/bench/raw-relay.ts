import { createServer } from 'node:http';
import { OPEN, type Socket, WebSocketServer } from './ws.js';

/**
 * The baseline: a plain `ws` server that pairs /visitor?pair=ID with /operator?pair=ID and forwards every
 * frame to the other side as-is. Nothing is parsed, validated or stored, so it is the upper bound any
 * relay on this stack can reach; Beseda's ratio is measured against it. Runs as a child process like the
 * real server, and prints `LISTENING <port>` once it accepts connections.
 */
interface Pair {
  visitor: Socket | null;
  operator: Socket | null;
}

const pairs = new Map<string, Pair>();
const READY = JSON.stringify({ type: 'ready' });

const server = createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: 64 * 1024 });

wss.on('connection', (socket, req) => {
  const url = new URL(req.url ?? '/', 'http://relay');
  const id = url.searchParams.get('pair');
  const role = url.pathname === '/operator' ? 'operator' : url.pathname === '/visitor' ? 'visitor' : null;
  if (!id || !role) {
    socket.close(4400, 'need /visitor or /operator and ?pair=');
    return;
  }
  let pair = pairs.get(id);
  if (!pair) {
    pair = { visitor: null, operator: null };
    pairs.set(id, pair);
  }
  const p = pair;
  p[role] = socket;
  const other = () => (role === 'visitor' ? p.operator : p.visitor);
  if (p.visitor && p.operator) {
    p.visitor.send(READY);
    p.operator.send(READY);
  }
  socket.on('message', (data, isBinary) => {
    const peer = other();
    if (peer && peer.readyState === OPEN) peer.send(data, { binary: isBinary });
  });
  socket.on('close', () => {
    if (p[role] === socket) p[role] = null;
    if (!p.visitor && !p.operator) pairs.delete(id);
  });
  socket.on('error', () => {});
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const addr = server.address();
  if (addr && typeof addr !== 'string') console.log(`LISTENING ${addr.port}`);
});

// SIGTERM exits normally so a --cpu-prof profile gets written.
process.on('SIGTERM', () => {
  wss.close();
  process.exit(0);
});
