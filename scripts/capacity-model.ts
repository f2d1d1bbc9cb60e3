/**
 * Capacity model behind docs/scaling.md: nodes, Redis and PostgreSQL load for 10k, 100k and 1M concurrent
 * visitors, from per-node figures measured on the 2-core session machine and per-chat operation counts read
 * from the code. Arithmetic, not a measurement: every input is at the top with where it comes from, and the
 * doc's tables are this script's output (`npx tsx scripts/capacity-model.ts`, `--markdown` for the doc).
 */

/** Measured (docs/benchmarks.md unless noted). One node = one Node.js process = at most one core. */
const MEASURED = {
  /**
   * Server CPU per delivered message, single node, closed loop: median of three runs in "Socket.IO baseline
   * and instructions per message" (15:41–15:47 UTC; "After the hot-path work" measured 116–141).
   */
  cpuPerMessageUs: 135,
  /** Cluster CPU per routed message ÷ single node, same minutes ("Results on a quieter machine", run 3). */
  clusterFactor: 2.31,
  /** RSS per idle visitor socket after hello ("Idle visitor sockets after letting go of the upgrade request"). */
  bytesPerIdleSocket: 8.8 * 1024,
  /**
   * Server CPU per visitor connect (upgrade + hello + welcome): 10,000 Beseda visitors connected in 16.2 s
   * (~620/s, same section) with the server on at most one core, so ≤ 1.6 ms each (an upper bound).
   */
  cpuPerConnectUs: 1600,
  /** Raw ws relay CPU per forwarded frame pair (in + out); an idle socket's ws ping/pong costs about one. */
  rawFramePairUs: 23,
  /**
   * Redis 7.0.15 `INFO commandstats` (usec_per_call) on the session's Redis, 2026-12-02 15:24 UTC, after an
   * hour of the project's cluster tests and benches: 5,973 EVALSHA of the routing scripts, 22,453 PUBLISH.
   * Measured on a busy 2-core machine, so if anything high.
   */
  redisScriptUs: 155,
  redisPublishUs: 5.2,
  redisSubscribeUs: 11.2,
  redisLightUs: 5,
} as const;

/** The workload the tables are for (stated, not measured); each can be overridden: `--chattingShare 0.05`. */
export const WORKLOAD = {
  /** Share of connected visitors in an open chat at any moment. */
  chattingShare: 0.1,
  /** Average chat length and messages in it (visitor + operator, typing frames not counted). */
  chatMinutes: 10,
  messagesPerChat: 20,
  /** Chats an operator holds at once. */
  chatsPerOperator: 3,
  /** Size for the busiest hour: peak rate = average × this. */
  peakFactor: 3,
  /** Page loads per connected visitor per minute (each is a socket close + open + hello). */
  pageLoadsPerMinute: 0.5,
  /** Share of page loads by visitors who chatted before (their hello writes; others are not stored). */
  storedVisitorShare: 0.1,
  /** Share of all operators who serve the busiest site (1 = one big tenant; 0.01 = many small ones). */
  biggestSiteShare: 1,
};
export type Workload = { -readonly [K in keyof typeof WORKLOAD]: number };

/** Planning limits (assumptions: what one unit is allowed to carry at peak). */
const LIMITS = {
  /** Node CPU at peak: headroom for GC, reconnect storms and a lost node's load. */
  nodeCpuUtilisation: 0.6,
  /** Sockets per node: fd limit raised to 65k; 50k × 8.8 KB = 440 MB of socket state. */
  socketsPerNode: 50_000,
  /** One Redis shard is one core; keep it at half at peak. */
  redisUtilisation: 0.5,
  /** Row writes/s one PostgreSQL primary (NVMe, tuned WAL) sustains at peak with room for vacuum. */
  postgresRowWritesPerSec: 40_000,
  /** Bytes per stored message: heap row + primary key + (conversation, client_id) index + tsvector/GIN. */
  bytesPerStoredMessage: 700,
} as const;

/**
 * Operations per chat, counted from the code at 361988f (server/src/relay/*, hub/redis-hub.ts,
 * routing/redis-routing.ts, store/postgres/postgres-writes.ts). docs/scaling.md lists where each comes from.
 */
const PER_CHAT = {
  /** EVALSHA on the routing slot: enqueue (claims in the same script), confirm, answered, leave. */
  routingScripts: 4,
  /**
   * PUBLISH not per message: the first message's `conversation` frame 1; assignment 6 (assigned,
   * conversation, the joined system message × 2 topics, chat, history); end 5 (the ended message × 2,
   * conversation, chat, handled); presence delta + `me` on each of the two load changes, 4.
   */
  publishes: 16,
  /** Queue broadcasts (enqueue and assignment each change the queue; coalesced per event-loop turn). */
  queueChanges: 2,
  /** SUBSCRIBE + UNSUBSCRIBE of the conversation topic on the operator's node. */
  subscriptions: 2,
  /**
   * PostgreSQL row writes not per message: visitor + page view + conversation insert + enqueued event;
   * assignment: conversation update + system message (3 rows, as below) + event; end: the same 5.
   */
  rowWrites: 14,
} as const;

const PER_MESSAGE = {
  /** PUBLISH: the conversation topic (operators) and the visitor's topic. */
  publishes: 2,
  /** Message insert, the conversation's last_seq update, the deferred indexer's tsvector update. */
  rowWrites: 3,
} as const;

/** Per node and second, whatever the load: lease heartbeat + sweep, 4 ticks (250 ms poll) + their re-arm read. */
const PER_NODE_SECOND = { routingScripts: 6, lightCommands: 5 } as const;

export interface Row {
  visitors: number;
  chats: number;
  operators: number;
  chatStartsPerSec: number;
  msgPerSec: number;
  nodeCores: number;
  nodes: number;
  nodesBy: 'CPU' | 'sockets';
  routingShare: number;
  pubsubShare: number;
  publishesPerSec: number;
  queueFramesPerSec: number;
  queueCores: number;
  rowWritesPerSec: number;
  postgresShare: number;
  messagesPerDay: number;
  gbPerDay: number;
  first: string;
}

export function model(visitors: number, w: Workload = WORKLOAD): Row {
  const chats = visitors * w.chattingShare;
  const operators = Math.ceil(chats / w.chatsPerOperator);
  const chatStartsAvg = chats / (w.chatMinutes * 60);
  const chatStartsPerSec = chatStartsAvg * w.peakFactor;
  const msgPerSec = chatStartsPerSec * w.messagesPerChat;
  const cpuPerMessage = MEASURED.cpuPerMessageUs * MEASURED.clusterFactor;
  // Not measured: an assignment is ~3 commits, ~12 publishes, 2 routing scripts and a history read, against
  // one commit and 2 publishes for a message. Taken as 8 messages' worth until the bench measures it.
  const cpuPerAssignment = 8 * cpuPerMessage;
  const pageLoadsPerSec = (visitors * w.pageLoadsPerMinute) / 60;
  const pageLoadCpu = pageLoadsPerSec * MEASURED.cpuPerConnectUs;
  const idleCpu = (visitors / 15) * MEASURED.rawFramePairUs; // ws ping every 15 s (HEARTBEAT_MS)
  // Every queue change reaches every console of the site (a queue_delta frame per operator socket); an upper
  // bound, since a node coalesces the changes of one event-loop turn. Half a raw frame pair per frame sent.
  const queueFramesPerSec = chatStartsPerSec * PER_CHAT.queueChanges * operators * w.biggestSiteShare;
  const queueCores = (queueFramesPerSec * (MEASURED.rawFramePairUs / 2)) / 1e6;
  const coreSeconds =
    (msgPerSec * cpuPerMessage + chatStartsPerSec * cpuPerAssignment + pageLoadCpu + idleCpu) / 1e6 +
    queueCores;
  const nodeCores = coreSeconds / LIMITS.nodeCpuUtilisation;
  const byCpu = Math.ceil(nodeCores);
  const bySockets = Math.ceil((visitors + operators) / LIMITS.socketsPerNode);
  // N+1: losing a node must not overload the rest; at least two for availability.
  const nodes = Math.max(2, Math.max(byCpu, bySockets) + 1);

  const redisBudgetUs = 1e6 * LIMITS.redisUtilisation;
  const routingUs =
    (chatStartsPerSec * PER_CHAT.routingScripts + nodes * PER_NODE_SECOND.routingScripts) *
      MEASURED.redisScriptUs +
    (chatStartsPerSec * PER_CHAT.queueChanges + nodes * PER_NODE_SECOND.lightCommands) *
      MEASURED.redisLightUs;
  const publishesPerSec =
    msgPerSec * PER_MESSAGE.publishes +
    chatStartsPerSec * (PER_CHAT.publishes + PER_CHAT.queueChanges) +
    pageLoadsPerSec * 2; // visitor topic subscribe/unsubscribe ride on the same connection
  const pubsubUs =
    publishesPerSec * MEASURED.redisPublishUs +
    (chatStartsPerSec * PER_CHAT.subscriptions + pageLoadsPerSec * 2) * MEASURED.redisSubscribeUs;

  const rowWritesPerSec =
    msgPerSec * PER_MESSAGE.rowWrites +
    chatStartsPerSec * PER_CHAT.rowWrites +
    pageLoadsPerSec * w.storedVisitorShare * 2; // lastSeen update + page view of a returning visitor
  const messagesPerDay = chatStartsAvg * 86_400 * (w.messagesPerChat + 2); // + the two system messages
  const shares: [string, number][] = [
    ['routing slot (one Redis shard)', routingUs / redisBudgetUs],
    ['Redis pub/sub', pubsubUs / redisBudgetUs],
    ['PostgreSQL row writes', rowWritesPerSec / LIMITS.postgresRowWritesPerSec],
  ];
  shares.sort((a, b) => b[1] - a[1]);
  return {
    visitors,
    chats,
    operators,
    chatStartsPerSec,
    msgPerSec,
    nodeCores,
    nodes,
    nodesBy: byCpu >= bySockets ? 'CPU' : 'sockets',
    routingShare: routingUs / redisBudgetUs,
    pubsubShare: pubsubUs / redisBudgetUs,
    publishesPerSec,
    queueFramesPerSec,
    queueCores,
    rowWritesPerSec,
    postgresShare: rowWritesPerSec / LIMITS.postgresRowWritesPerSec,
    messagesPerDay,
    gbPerDay: (messagesPerDay * LIMITS.bytesPerStoredMessage) / 1e9,
    first: `${shares[0]![0]} at ${(shares[0]![1] * 100).toFixed(0)} % of its limit`,
  };
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (n: number) => `${(n * 100).toFixed(n < 0.1 ? 1 : 0)} %`;

function table(rows: Row[]): string[][] {
  const col = (label: string, f: (r: Row) => string) => [label, ...rows.map(f)];
  return [
    col('concurrent visitors', (r) => int(r.visitors)),
    col('open chats / operators', (r) => `${int(r.chats)} / ${int(r.operators)}`),
    col('chat starts/s (peak)', (r) => int(r.chatStartsPerSec)),
    col('messages/s (peak)', (r) => int(r.msgPerSec)),
    col('node cores at 60 %', (r) => r.nodeCores.toFixed(1)),
    col(
      '… of which queue views (biggest site)',
      (r) =>
        `${(r.queueCores / LIMITS.nodeCpuUtilisation).toFixed(1)} (${int(r.queueFramesPerSec)} frames/s)`,
    ),
    col('nodes (N+1)', (r) => `${r.nodes} (by ${r.nodesBy})`),
    col('Redis routing slot (one shard)', (r) => pct(r.routingShare)),
    col(
      'Redis PUBLISH/s (pub/sub share of a shard)',
      (r) => `${int(r.publishesPerSec)} (${pct(r.pubsubShare)})`,
    ),
    col('PostgreSQL row writes/s', (r) => `${int(r.rowWritesPerSec)} (${pct(r.postgresShare)})`),
    col('messages stored/day', (r) => `${int(r.messagesPerDay)} (${int(r.gbPerDay)} GB)`),
    col('first shared limit', (r) => r.first),
  ];
}

function print(markdown: boolean, rows: Row[]): void {
  const t = table(rows);
  if (markdown) {
    const header = ['', ...rows.map((r) => `${int(r.visitors)} visitors`)];
    console.log(`| ${header.join(' | ')} |`);
    console.log(`|${header.map(() => '---').join('|')}|`);
    for (const r of t.slice(1)) console.log(`| ${r.join(' | ')} |`);
    return;
  }
  const widths = t[0]!.map((_, c) => Math.max(...t.map((r) => r[c]!.length)));
  for (const r of t) console.log(r.map((v, c) => v.padEnd(widths[c]!)).join('  '));
}

/** `--markdown`, and `--<workload key> <number>` to override a workload figure. */
function parseArgs(argv: readonly string[]): { markdown: boolean; workload: Workload } {
  const workload: Workload = { ...WORKLOAD };
  let markdown = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--markdown') {
      markdown = true;
      continue;
    }
    const key = flag.replace(/^--/, '');
    const value = Number(argv[++i]);
    if (!(key in workload) || !Number.isFinite(value) || value <= 0) {
      throw new Error(`usage: capacity-model.ts [--markdown] [--${Object.keys(WORKLOAD).join(' N | --')} N]`);
    }
    workload[key as keyof Workload] = value;
  }
  return { markdown, workload };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { markdown, workload: w } = parseArgs(process.argv.slice(2));
  console.log(
    `Workload: ${pct(w.chattingShare)} of visitors chatting, ${w.messagesPerChat} messages per ${w.chatMinutes}-minute chat, ` +
      `${w.pageLoadsPerMinute} page loads per visitor-minute, peak ${w.peakFactor}× average, ` +
      `biggest site ${pct(w.biggestSiteShare)} of operators.\n`,
  );
  print(
    markdown,
    [10_000, 100_000, 1_000_000].map((v) => model(v, w)),
  );
}
