import { createServer } from 'node:http';
import { Server, type Socket } from 'socket.io';

/**
 * The second baseline: the same visitor→operator forwarding relay as raw-relay.ts, written the way a
 * Socket.IO 4 user would write it (an event in, the same event out to the peer; no storage). Socket.IO is
 * what people would otherwise pick for a chat, so Beseda's msg/s is also reported against it. Only the
 * WebSocket transport is enabled (no long-polling first), like the raw relay and Beseda. Runs as a child
 * process and prints `LISTENING <port>` once it accepts connections.
 */
interface Pair {
  visitor: Socket | null;
  operator: Socket | null;
}

const pairs = new Map<string, Pair>();

const server = createServer((_req, res) => res.writeHead(404).end());
const io = new Server(server, {
  transports: ['websocket'],
  perMessageDeflate: false,
  httpCompression: false,
  serveClient: false,
  maxHttpBufferSize: 64 * 1024,
});

io.on('connection', (socket) => {
  const { pair: id, role } = socket.handshake.query;
  if (typeof id !== 'string' || (role !== 'visitor' && role !== 'operator')) {
    socket.disconnect(true);
    return;
  }
  let pair = pairs.get(id);
  if (!pair) {
    pair = { visitor: null, operator: null };
    pairs.set(id, pair);
  }
  const p = pair;
  p[role] = socket;
  if (p.visitor && p.operator) {
    p.visitor.emit('ready');
    p.operator.emit('ready');
  }
  // The message object is parsed and re-encoded by Socket.IO, as in any Socket.IO chat.
  socket.on('send', (msg: unknown) => {
    const peer = role === 'visitor' ? p.operator : p.visitor;
    if (peer?.connected) peer.emit('send', msg);
  });
  socket.on('disconnect', () => {
    if (p[role] === socket) p[role] = null;
    if (!p.visitor && !p.operator) pairs.delete(id);
  });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const addr = server.address();
  if (addr && typeof addr !== 'string') console.log(`LISTENING ${addr.port}`);
});

// SIGTERM exits normally so a --cpu-prof profile (or a callgrind output file) gets written.
process.on('SIGTERM', () => {
  void io.close();
  process.exit(0);
});
