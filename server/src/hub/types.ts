/**
 * Fan-out between the connections of one node and, with RedisHub, between nodes. Payloads are plain
 * JSON-able objects; each node delivers to its own local subscribers. Topics are built by `topics`.
 */
export interface Hub {
  readonly nodeId: string;
  publish(topic: string, payload: unknown): Promise<void>;
  /** Returns an unsubscribe function. Handlers run for messages published by any node, this one included. */
  subscribe(topic: string, handler: (payload: unknown) => void): () => void;
  /** Resolves when every subscription made so far is active across nodes (immediate for MemoryHub). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export const topics = {
  conversation: (id: string) => `conv:${id}`,
  visitor: (id: string) => `visitor:${id}`,
  operator: (id: string) => `op:${id}`,
  siteOperators: (siteId: string) => `site-ops:${siteId}`,
} as const;
