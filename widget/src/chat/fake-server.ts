import type { ConversationView, Message, VisitorClientFrame, VisitorServerFrame } from '@beseda/shared/types';
import type { SocketCtor, SocketLike, Timers } from './connection.js';

/**
 * Test doubles for the connection: a scripted socket whose server side the test plays frame by frame,
 * a manual clock with timers, and builders for protocol values. Not imported by the bundle.
 */

export interface FakeSocket extends SocketLike {
  readonly url: string;
  readonly protocols: string[];
  /** Frames the client sent, parsed. */
  readonly sent: VisitorClientFrame[];
  /** Close code the client asked for, if it closed the socket itself. */
  closedWith: number | null;
  accept(): void;
  push(frame: VisitorServerFrame): void;
  /** The server (or the network) closes the socket with `code`. */
  serverClose(code: number): void;
  sentOf<T extends VisitorClientFrame['type']>(type: T): Extract<VisitorClientFrame, { type: T }>[];
}

export function fakeNet(): { Socket: SocketCtor; sockets: FakeSocket[]; last(): FakeSocket } {
  const sockets: FakeSocket[] = [];
  class Socket implements FakeSocket {
    readyState = 0;
    onopen: ((ev: Event) => void) | null = null;
    onmessage: ((ev: MessageEvent) => void) | null = null;
    onclose: ((ev: CloseEvent) => void) | null = null;
    onerror: ((ev: Event) => void) | null = null;
    readonly sent: VisitorClientFrame[] = [];
    closedWith: number | null = null;
    constructor(
      readonly url: string,
      readonly protocols: string[] = [],
    ) {
      sockets.push(this);
    }
    send(data: string): void {
      if (this.readyState !== 1) throw new Error('InvalidStateError: send() on a socket that is not open');
      this.sent.push(JSON.parse(data) as VisitorClientFrame);
    }
    close(code = 1000): void {
      if (this.readyState >= 2) return;
      this.readyState = 2;
      this.closedWith = code;
    }
    accept(): void {
      this.readyState = 1;
      this.onopen?.({} as Event);
    }
    push(frame: VisitorServerFrame): void {
      this.onmessage?.({ data: JSON.stringify(frame) } as MessageEvent);
    }
    serverClose(code: number): void {
      this.readyState = 3;
      this.onclose?.({ code } as CloseEvent);
    }
    sentOf<T extends VisitorClientFrame['type']>(type: T): Extract<VisitorClientFrame, { type: T }>[] {
      return this.sent.filter((f): f is Extract<VisitorClientFrame, { type: T }> => f.type === type);
    }
  }
  return {
    Socket,
    sockets,
    last() {
      const s = sockets.at(-1);
      if (!s) throw new Error('no socket was opened');
      return s;
    },
  };
}

export interface ManualTimers extends Timers {
  now(): number;
  /** Moves the clock forward, running due timers in order (including ones they schedule). */
  advance(ms: number): void;
  pending(): number;
}

export function manualTimers(): ManualTimers {
  let now = 1_700_000_000_000;
  let nextId = 0;
  const due = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    set(fn, ms) {
      nextId += 1;
      due.set(nextId, { at: now + ms, fn });
      return nextId;
    },
    clear(h) {
      due.delete(h as number);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        let first: [number, { at: number; fn: () => void }] | undefined;
        for (const e of due) if (e[1].at <= end && (!first || e[1].at < first[1].at)) first = e;
        if (!first) break;
        due.delete(first[0]);
        now = first[1].at;
        first[1].fn();
      }
      now = end;
    },
    pending: () => due.size,
  };
}

export function conversation(id: string, over: Partial<ConversationView> = {}): ConversationView {
  return {
    id,
    siteId: 'site-1',
    visitorId: 'v-1',
    visitorName: null,
    status: 'queued',
    operator: null,
    createdAt: 1,
    enqueuedAt: 1,
    assignedAt: null,
    endedAt: null,
    lastSeq: 0,
    waitingSince: null,
    rating: null,
    ...over,
  };
}

export function message(conversationId: string, seq: number, over: Partial<Message> = {}): Message {
  return {
    conversationId,
    seq,
    clientId: null,
    author: 'operator',
    operatorId: 'op-1',
    authorName: 'Anna',
    text: `message ${seq}`,
    at: 1000 + seq,
    ...over,
  };
}

export function welcome(
  conv: ConversationView | null,
  over: {
    visitorId?: string;
    token?: string;
    operatorsOnline?: boolean;
    withinHours?: boolean;
    stored?: boolean;
  } = {},
): VisitorServerFrame {
  return {
    type: 'welcome',
    v: 1,
    visitorId: over.visitorId ?? 'v-1',
    token: over.token ?? 'secret-1',
    conversation: conv,
    operatorsOnline: over.operatorsOnline ?? true,
    ...(over.withinHours === undefined ? {} : { withinHours: over.withinHours }),
    ...(over.stored === undefined ? {} : { stored: over.stored }),
  };
}
