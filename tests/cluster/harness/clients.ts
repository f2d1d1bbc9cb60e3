import { randomBytes, randomUUID } from 'node:crypto';
import type { ConversationView, Message, OperatorPresence, QueueEntry } from '@beseda/shared';
import WebSocket from 'ws';
import { applyPresenceDelta, applyQueueDelta } from '../../../console/src/deltas.js';
import type { NodeProcess } from './node-process.js';
import { type Frame, newClientId, Peer } from './peer.js';

export interface VisitorIdentity {
  vid: string;
  token: string;
}

/** A fresh client-generated identity (PROTOCOL-NOTES 4): a UUID and 32 random bytes, base64url. */
export const newIdentity = (): VisitorIdentity => ({
  vid: randomUUID(),
  token: randomBytes(32).toString('base64url'),
});

/**
 * A visitor as the widget behaves: identity generated before the first connect (`new=1` until a welcome
 * confirmed it), token as the `beseda.token.*` subprotocol, `hello {conversationId, lastSeq}` on every
 * (re)connect, sends pipelined right after hello and retried until acked.
 */
export class VisitorClient extends Peer {
  confirmed = false;
  conversationId: string | null = null;
  status: string | null = null;
  /** Every queue frame of the current conversation, in arrival order. */
  readonly positions: { position: number; at: number }[] = [];
  operatorId: string | null = null;

  constructor(
    label: string,
    readonly identity: VisitorIdentity = newIdentity(),
    readonly site = 'demo',
  ) {
    super(label);
  }

  protected openSocket(node: NodeProcess): WebSocket {
    const q = new URLSearchParams({ site: this.site, vid: this.identity.vid });
    if (!this.confirmed) q.set('new', '1');
    return new WebSocket(
      `${node.wsUrl}/ws/visitor?${q}`,
      ['beseda.v1', `beseda.token.${this.identity.token}`],
      {
        headers: { origin: node.origin },
      },
    );
  }

  protected hello(): Frame {
    const lastSeq = this.conversationId ? this.timeline(this.conversationId).lastSeq : undefined;
    return {
      type: 'hello',
      v: 1,
      ...(this.conversationId ? { conversationId: this.conversationId, lastSeq } : {}),
      page: { url: 'http://127.0.0.1/', title: 'Home' },
    };
  }

  protected override beforeWelcome(): void {
    this.flushOutbox();
  }

  protected afterWelcome(welcome: Frame): void {
    this.confirmed = true;
    const conv = welcome.conversation as ConversationView | null;
    if (conv) this.track(conv);
  }

  protected override onFrame(f: Frame): void {
    switch (f.type) {
      case 'conversation':
        this.track(f.conversation as ConversationView);
        break;
      case 'ack':
        this.conversationId ??= f.conversationId as string;
        break;
      case 'queue':
        if (f.conversationId === this.conversationId) {
          // A queue frame means "you are waiting": after a requeue it is how the visitor is told.
          this.positions.push({ position: f.position as number, at: performance.now() });
          this.status = 'queued';
          this.operatorId = null;
        }
        break;
      case 'assigned':
        if (f.conversationId === this.conversationId) {
          this.operatorId = (f.operator as { id: string }).id;
          this.status = 'active';
        }
        break;
      case 'message':
        this.conversationId ??= (f.message as Message).conversationId;
        break;
    }
  }

  private track(conv: ConversationView) {
    if (this.conversationId !== conv.id && conv.status !== 'queued' && conv.status !== 'active') {
      // An older conversation's end replayed after a new one started is not the current one.
      if (this.conversationId) return;
    }
    if (this.conversationId !== conv.id) this.positions.length = 0;
    this.conversationId = conv.id;
    this.status = conv.status;
    this.operatorId = conv.operator?.id ?? null;
  }

  /** The latest queue position told to this visitor (null before any). */
  get position(): number | null {
    return this.positions.at(-1)?.position ?? null;
  }

  /** `teamId`: the team a message that opens a chat asks for (ignored once a chat is open). */
  send(text: string, clientId = newClientId(), teamId?: string): Promise<Frame> {
    return this.sendWithAck(
      { type: 'send', clientId, text, ...(teamId ? { teamId } : {}) },
      this.ws?.readyState === WebSocket.OPEN,
    );
  }

  /** The conversation this visitor is in, as the visitor holds it. */
  held(): Message[] {
    if (!this.conversationId) return [];
    const t = this.timeline(this.conversationId);
    return t.seqs().map((s) => t.held.get(s)!);
  }
}

/** An operator console: session cookie, app-level ping every 5 s, `sync` of every open chat after (re)connect. */
export class OperatorClient extends Peer {
  me: { id: string; status: string; capacity: number } | null = null;
  /** My open chats as the console shows them. */
  readonly chats = new Map<string, ConversationView>();
  queue: QueueEntry[] = [];
  presence: OperatorPresence[] = [];
  private pinger: NodeJS.Timeout | null = null;

  constructor(
    label: string,
    public cookie: string,
  ) {
    super(label);
  }

  protected openSocket(node: NodeProcess): WebSocket {
    if (!this.pinger) {
      this.pinger = setInterval(() => this.raw({ type: 'ping' }), 5_000);
      this.pinger.unref();
    }
    return new WebSocket(`${node.wsUrl}/ws/operator`, {
      headers: { origin: node.origin, cookie: this.cookie },
    });
  }

  protected hello(): Frame {
    return { type: 'hello', v: 1 };
  }

  protected afterWelcome(welcome: Frame): void {
    this.me = welcome.me as OperatorClient['me'];
    this.queue = welcome.queue as QueueEntry[];
    this.presence = welcome.operators as OperatorPresence[];
    this.chats.clear();
    for (const c of welcome.chats as ConversationView[]) {
      this.chats.set(c.id, c);
      this.sync(c.id);
    }
    this.flushOutbox();
  }

  protected override onFrame(f: Frame): void {
    switch (f.type) {
      case 'chat': {
        const c = f.conversation as ConversationView;
        const mine = c.operator?.id === this.me?.id && (c.status === 'active' || c.status === 'queued');
        if (mine) this.chats.set(c.id, c);
        else this.chats.delete(c.id);
        break;
      }
      case 'queue':
        this.queue = f.queue as QueueEntry[];
        break;
      case 'queue_delta':
        this.queue = applyQueueDelta(this.queue, f as unknown as Parameters<typeof applyQueueDelta>[1]);
        break;
      case 'presence':
        this.presence = f.operators as OperatorPresence[];
        break;
      case 'presence_delta':
        this.presence = applyPresenceDelta(this.presence, f.operators as OperatorPresence[]);
        break;
      case 'me':
        this.me = f.me as OperatorClient['me'];
        break;
    }
  }

  send(conversationId: string, text: string, opts: { internal?: boolean; clientId?: string } = {}) {
    return this.sendWithAck(
      {
        type: 'send',
        conversationId,
        clientId: opts.clientId ?? newClientId(),
        text,
        ...(opts.internal ? { internal: true } : {}),
      },
      this.ready,
    );
  }

  end(conversationId: string): void {
    this.raw({ type: 'end', conversationId });
  }

  transfer(conversationId: string, toOperatorId: string): void {
    this.raw({ type: 'transfer', conversationId, toOperatorId });
  }

  /** To a team's queue (null: the whole site's). */
  transferToTeam(conversationId: string, toTeamId: string | null): void {
    this.raw({ type: 'transfer', conversationId, toTeamId });
  }

  setStatus(status: 'online' | 'away' | 'offline', capacity?: number): void {
    this.raw({ type: 'status', status, ...(capacity !== undefined ? { capacity } : {}) });
  }

  /** Active chats of `operatorId` as this console's presence list shows them. */
  loadOf(operatorId: string): number | undefined {
    return this.presence.find((p) => p.id === operatorId)?.activeChats;
  }

  override async close(): Promise<void> {
    if (this.pinger) clearInterval(this.pinger);
    this.pinger = null;
    await super.close();
  }
}

/** Closes every client, ignoring errors (teardown). */
export async function closeAll(...clients: (Peer | null | undefined)[]): Promise<void> {
  await Promise.allSettled(clients.filter((c): c is Peer => !!c).map((c) => c.close()));
}
