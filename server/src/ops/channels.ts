import dc from 'node:diagnostics_channel';

/**
 * Instrumentation events, published by the live path on `node:diagnostics_channel` and consumed by the
 * metrics module. The relay, store and hub never import prom-client: publishing to a channel nobody
 * listens to costs one boolean check (`hasSubscribers`), so guard payload construction with it:
 *
 *   if (channels.relayAck.hasSubscribers) channels.relayAck.publish({ ms: now() - receivedAt });
 *
 * Channels are process-wide: several apps in one process (tests) share them.
 */
export interface Channel<T> {
  readonly name: string;
  readonly hasSubscribers: boolean;
  publish(payload: T): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: (payload: T) => void): () => void;
}

function define<T>(name: string): Channel<T> {
  const ch = dc.channel(name);
  return {
    name,
    get hasSubscribers() {
      return ch.hasSubscribers;
    },
    publish: (payload) => ch.publish(payload),
    subscribe(listener) {
      // Node rethrows a subscriber's exception as an uncaught one: a metrics bug must never take the
      // publishing code (and with it the process) down, so a listener's failure is dropped here.
      const fn = (message: unknown) => {
        try {
          listener(message as T);
        } catch {}
      };
      dc.subscribe(name, fn);
      return () => dc.unsubscribe(name, fn);
    },
  };
}

/** A message was stored and published (one per message, after the durable write). */
export interface RelayMessageEvent {
  author: 'visitor' | 'operator' | 'note' | 'system';
}
/** A client's `send` was acknowledged: ms from the frame's arrival to the ack being written to the socket. */
export interface RelayAckEvent {
  ms: number;
}
/** A conversation got an operator (routing, pick or transfer). */
export interface RelayAssignedEvent {
  /**
   * ms from dispatching the routing event to the assignment being stored (assignment latency; the routing
   * state's confirm runs beside the announcement, see Router.assigned).
   */
  ms: number;
  /** Of `ms`: the routing decision (the claim: memory, or a Lua script in Redis). */
  decideMs: number;
  /** Of `ms`: the fenced store write (group commit included). */
  storeMs: number;
  /** The visitor's enqueue → this assignment (0 for transfers). */
  waitMs: number;
  via: 'route' | 'pick' | 'transfer';
}
/** One group commit: how many writes it carried and how long the transaction took. */
export interface StoreBatchEvent {
  size: number;
  ms: number;
}
/** One payload published to / received from the hub (MemoryHub or Redis pub/sub). */
export interface HubEvent {
  /** Topic family, e.g. `conv`, `visitor`, `op`, `site-ops` (never the full topic: ids are unbounded). */
  kind: string;
}
/** An error answered to a client: a typed error frame or close on a socket, or an HTTP error. */
export interface TransportErrorEvent {
  code: string;
  via: 'ws' | 'http';
}
/** Rows/messages written but not yet published to other nodes (cluster outbox); reported when it changes. */
export interface OutboxBacklogEvent {
  size: number;
}

export const channels = {
  relayMessage: define<RelayMessageEvent>('beseda:relay:message'),
  relayAck: define<RelayAckEvent>('beseda:relay:ack'),
  relayAssigned: define<RelayAssignedEvent>('beseda:relay:assigned'),
  storeBatch: define<StoreBatchEvent>('beseda:store:batch'),
  hubPublish: define<HubEvent>('beseda:hub:publish'),
  hubReceive: define<HubEvent>('beseda:hub:receive'),
  transportError: define<TransportErrorEvent>('beseda:transport:error'),
  outboxBacklog: define<OutboxBacklogEvent>('beseda:outbox:backlog'),
} as const;
