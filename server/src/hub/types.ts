/**
 * Fan-out between the connections of one node and, with RedisHub, between nodes. Payloads are plain
 * JSON-able objects; each node delivers to its own local subscribers. Topics are built by `topics`.
 * Delivery is at-most-once and unordered across nodes: nothing that must not be lost depends on it
 * (clients detect gaps from `prev` and fetch from the store; a node catches up after a resubscribe).
 */
export interface Hub {
  readonly nodeId: string;
  publish(topic: string, payload: unknown): Promise<void>;
  /** Returns an unsubscribe function. Handlers run for messages published by any node, this one included. */
  subscribe(topic: string, handler: (payload: unknown) => void): () => void;
  /** Resolves when every subscription made so far is active across nodes (immediate for MemoryHub). */
  ready(): Promise<void>;
  /**
   * Called after the subscriber connection came back (messages may have been missed meanwhile), so the
   * node can catch its local conversations up from the store. Never called by MemoryHub.
   */
  onResubscribed(handler: () => void): () => void;
  close(): Promise<void>;
}

export const topics = {
  /** Frames for every tab of one visitor (public messages, assignment, queue position, typing). */
  visitor: (id: string) => `visitor:${id}`,
  /** Frames for the operators handling one conversation (all messages incl. notes, visitor typing, pages). */
  conversation: (id: string) => `conv:${id}`,
  /** Frames for every console of one operator. */
  operator: (id: string) => `op:${id}`,
  /** Frames for every console serving a site (offline messages, settings changed). */
  siteOperators: (siteId: string) => `site-ops:${siteId}`,
  /** Frames for every visitor socket of a site (operator availability). */
  siteVisitors: (siteId: string) => `site-visitors:${siteId}`,
  /** Node-to-node: the queue of a routing scope changed (payload: QueueBroadcast). */
  scopeQueue: (scope: string) => `queue:${scope}`,
  /** Node-to-node: operator presence deltas (payload: PresenceDelta). */
  presence: () => 'presence',
  /** Node-to-node: directory changes, session revocations, finished chats (payload: ControlMessage). */
  control: () => 'control',
} as const;
