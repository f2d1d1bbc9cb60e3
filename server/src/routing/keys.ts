/**
 * Every Redis key of the routing state, built in one place. All keys share the hash tag `{r}` so each Lua
 * script touches one slot and stays atomic on Redis Cluster; `prefix` keeps installations (and tests) apart.
 * The scripts derive the same names from the root (lua/common.lua `K`); this helper serves the reads.
 */
export function routingKeys(prefix: string) {
  const root = `${prefix}{r}:`;
  return {
    /** Passed as KEYS[1] to every script: routes it to the slot and roots every name. */
    root,
    /** Present while the state is complete; its value changes with each rebuild. */
    epoch: `${root}epoch`,
    rebuild: `${root}rebuild`,
    /** Fencing revision counter. */
    rev: `${root}rev`,
    /** Sorted set: node id → lease expiry (ms). */
    nodes: `${root}nodes`,
    /** Hash: socket id → {o: operator, n: node}. */
    sockets: `${root}sock`,
    /** Set of the node's socket ids. */
    nodeSockets: (node: string) => `${root}nsock:${node}`,
    /** Set of the node's unconfirmed claims (conversation ids). */
    pending: (node: string) => `${root}pend:${node}`,
    /** Sorted set: `g:<operator>` / `r:<conversation>` → deadline (ms). */
    timers: `${root}timers`,
    /** Set of every operator id. */
    operators: `${root}ops`,
    /** Hash: the operator's definition, effective status, load, idle-since, connections, grace. */
    operator: (id: string) => `${root}op:${id}`,
    /** Set of the conversation ids the operator holds. */
    operatorChats: (id: string) => `${root}opchats:${id}`,
    /** Hash: scope, status, operator, enqueue time, rev, ring deadline, pending + node. */
    chat: (id: string) => `${root}chat:${id}`,
    /** Sorted set: conversation → enqueue time (position = rank + 1). */
    queue: (scope: string) => `${root}q:${scope}`,
    /** Sorted set: operators who can take a chat now, best first (most free, idle longest, id). */
    available: (scope: string) => `${root}avail:${scope}`,
    /** Set of the operators serving the scope. */
    scopeOperators: (scope: string) => `${root}sops:${scope}`,
    /** Hash: online count, routable capacity, ring timeout of the scope. */
    scope: (scope: string) => `${root}sc:${scope}`,
  };
}

export type RoutingKeys = ReturnType<typeof routingKeys>;
