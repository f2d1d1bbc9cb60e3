import type { IncomingMessage, Server } from 'node:http';
import { createRequire } from 'node:module';

/**
 * The slice of `ws` the bench uses, typed here because the scripts package has no @types/ws; loading
 * through createRequire keeps the import resolvable from this package's own node_modules.
 */
export interface Socket {
  readonly readyState: number;
  send(data: string | Buffer, opts?: { binary?: boolean }): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  on(event: 'message', cb: (data: Buffer, isBinary: boolean) => void): this;
  on(event: 'close', cb: (code: number) => void): this;
  on(event: 'error', cb: (err: Error) => void): this;
  once(event: 'open', cb: () => void): this;
  once(event: 'close', cb: (code: number) => void): this;
  once(event: 'error', cb: (err: Error) => void): this;
  once(event: 'unexpected-response', cb: (req: unknown, res: IncomingMessage) => void): this;
  off(event: 'message', cb: (data: Buffer, isBinary: boolean) => void): this;
  removeAllListeners(event?: string): this;
}

export interface ClientOptions {
  headers?: Record<string, string>;
  /** Source address; spreading over 127.0.0.x keeps each source IP under its ~28k ephemeral ports. */
  localAddress?: string;
  perMessageDeflate?: boolean;
  skipUTF8Validation?: boolean;
  handshakeTimeout?: number;
}

export interface ServerOptions {
  server: Server;
  perMessageDeflate: boolean;
  maxPayload: number;
  skipUTF8Validation?: boolean;
}

interface WsModule {
  WebSocket: new (url: string, opts?: ClientOptions) => Socket;
  WebSocketServer: new (
    opts: ServerOptions,
  ) => {
    on(event: 'connection', cb: (socket: Socket, req: IncomingMessage) => void): void;
    close(): void;
  };
}

const ws = createRequire(import.meta.url)('ws') as WsModule;
export const WebSocket = ws.WebSocket;
export const WebSocketServer = ws.WebSocketServer;
export const OPEN = 1;

/** Round-robin source addresses on loopback; each phase passes its own `base` so TIME_WAITs never collide. */
export function sourceAddress(base: number, i: number): string {
  return `127.0.${base}.${1 + (i % 16)}`;
}

const ERROR_PREFIX = Buffer.from('{"type":"error"');

/** Byte-prefix test, so hot paths can classify frames without decoding or parsing them. */
export function startsWith(frame: Buffer, prefix: Buffer): boolean {
  return frame.length >= prefix.length && frame.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;
}

/**
 * A client socket whose frames are never lost between awaits: until a live handler is installed, frames
 * wait in a small backlog that `waitFor` consumes (a frame can arrive in the same packet as the upgrade).
 */
export class Conn {
  private backlog: Buffer[] = [];
  private waiter: ((frame: Buffer) => void) | null = null;
  private handler: ((frame: Buffer) => void) | null = null;

  constructor(readonly socket: Socket) {
    socket.on('message', (frame) => {
      if (this.handler) this.handler(frame);
      else if (this.waiter) this.waiter(frame);
      // Only setup frames land here; cap it so a chatty server cannot grow it while nobody waits.
      else if (this.backlog.length < 64) this.backlog.push(frame);
    });
  }

  send(data: string): void {
    this.socket.send(data);
  }

  /** From now on every frame goes to `handler`. */
  live(handler: (frame: Buffer) => void): void {
    this.backlog = [];
    this.waiter = null;
    this.handler = handler;
  }

  /** The first frame (already received or future) that `match` accepts; rejects on an error frame or timeout. */
  waitFor(match: (frame: Buffer) => boolean, timeoutMs: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const check = (frame: Buffer): boolean => {
        if (startsWith(frame, ERROR_PREFIX)) {
          finish(new Error(`server error frame: ${frame.toString('utf8', 0, 300)}`));
          return true;
        }
        if (!match(frame)) return false;
        finish(null, frame);
        return true;
      };
      const finish = (err: Error | null, frame?: Buffer) => {
        clearTimeout(timer);
        this.waiter = null;
        if (err) reject(err);
        else resolve(frame!);
      };
      const timer = setTimeout(
        () => finish(new Error(`timed out after ${timeoutMs} ms waiting for a frame`)),
        timeoutMs,
      );
      while (this.backlog.length > 0) if (check(this.backlog.shift()!)) return;
      this.waiter = (frame) => void check(frame);
    });
  }

  terminate(): void {
    this.socket.terminate();
  }
}

/** Opens a client socket; rejects on refusal, error or `timeoutMs`. */
export function connect(url: string, opts: ClientOptions, timeoutMs = 15_000): Promise<Conn> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: timeoutMs, ...opts });
    const conn = new Conn(socket);
    socket.once('open', () => {
      // A socket that errors later (server killed between phases) must not crash the load generator.
      socket.on('error', () => {});
      resolve(conn);
    });
    socket.once('unexpected-response', (_req, res) => {
      socket.terminate();
      reject(new Error(`upgrade refused: ${res.statusCode}`));
    });
    socket.once('error', reject);
  });
}
