/**
 * Bulk loading of the search benchmark's history (search-data.ts) into a freshly migrated store, the way
 * an import would: SQLite with prepared statements inside one transaction per batch, PostgreSQL with COPY.
 * Sites, operators and everything else go through the `Store` interface; only the million rows bypass it.
 */
import type { connectPostgres } from '../../server/src/store/postgres/postgres-store.js';
import type { connectSqlite } from '../../server/src/store/sqlite/sqlite-store.js';
import type { Store } from '../../server/src/store/types.js';
import type { GenBatch, GenConversation } from './search-data.js';
import { benchSite } from './store-write.js';

type SqliteClient = Awaited<ReturnType<typeof connectSqlite>>['client'];
type PostgresClient = ReturnType<typeof connectPostgres>;

export async function seedSite(
  store: Store,
  operators: number,
): Promise<{ siteId: string; operatorIds: string[] }> {
  const site = await store.createSite({
    ...benchSite(`bench-search-${Date.now()}`),
    timezone: 'Europe/Prague',
    lang: 'cs',
  });
  const operatorIds: string[] = [];
  for (let i = 0; i < operators; i++) {
    const op = await store.createOperator({
      email: `op${i}@bench.local`,
      name: `Operátor ${i}`,
      role: 'operator',
      passwordHash: 'x',
      capacity: 3,
      siteIds: [site.id],
    });
    operatorIds.push(op.id);
  }
  return { siteId: site.id, operatorIds };
}

export function sqliteLoader(client: SqliteClient, siteId: string): (batch: GenBatch) => void {
  const visitor = client.prepare(
    `insert into visitors (id, site_id, token_hash, name, email, verified, attributes, created_at, last_seen_at)
     values (?, ?, 'x', ?, ?, 0, '{}', ?, ?)`,
  );
  const conversation = client.prepare(
    `insert into conversations (${CONVERSATION_COLUMNS.join(', ')})
     values (${CONVERSATION_COLUMNS.map(() => '?').join(', ')})`,
  );
  const tag = client.prepare(
    'insert into conversation_tags (conversation_id, site_id, tag) values (?, ?, ?)',
  );
  const message = client.prepare(
    `insert into messages (conversation_id, seq, prev_public, author, operator_id, text, at)
     values (?, ?, ?, ?, ?, ?, ?)`,
  );
  return client.transaction((batch: GenBatch) => {
    for (const c of batch.conversations) {
      visitor.run(c.visitorId, siteId, c.visitorName, c.visitorEmail, c.createdAt, c.endedAt);
      conversation.run(...conversationValues(c, siteId));
      for (const t of c.tags) tag.run(c.id, siteId, t);
    }
    for (const m of batch.messages) {
      message.run(m.conversationId, m.seq, m.seq - 1, m.author, m.operatorId, m.text, m.at);
    }
  });
}

const CONVERSATION_COLUMNS = [
  'id',
  'site_id',
  'visitor_id',
  'status',
  'operator_id',
  'created_at',
  'enqueued_at',
  'assigned_at',
  'ended_at',
  'last_seq',
  'last_public_seq',
  'rating',
  'visitor_name',
  'visitor_email',
  'tags',
];

/** A conversations row in CONVERSATION_COLUMNS order, for both loaders. */
function conversationValues(c: GenConversation, siteId: string): (string | number | null)[] {
  return [
    c.id,
    siteId,
    c.visitorId,
    c.status,
    c.operatorId,
    c.createdAt,
    c.createdAt,
    c.operatorId ? c.createdAt + 5_000 : null,
    c.endedAt,
    c.lastSeq,
    c.lastSeq,
    c.rating,
    c.visitorName,
    c.visitorEmail,
    JSON.stringify(c.tags),
  ];
}

/** COPY's text format: backslash, tab, newline and carriage return are escaped; null is \N. */
function copyField(v: string | number | null): string {
  if (v === null) return '\\N';
  return String(v).replace(
    /[\\\t\n\r]/g,
    (ch) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[ch] ?? ch,
  );
}

async function copyRows(
  sql: PostgresClient,
  table: string,
  columns: string[],
  rows: (string | number | null)[][],
): Promise<void> {
  if (rows.length === 0) return;
  const stream = await sql.unsafe(`copy ${table} (${columns.join(', ')}) from stdin`).writable();
  const text = rows.map((r) => r.map(copyField).join('\t')).join('\n');
  await new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    stream.on('finish', resolve);
    stream.end(`${text}\n`);
  });
}

export function postgresLoader(sql: PostgresClient, siteId: string): (batch: GenBatch) => Promise<void> {
  return async (batch) => {
    const cs = batch.conversations;
    await copyRows(
      sql,
      'visitors',
      [
        'id',
        'site_id',
        'token_hash',
        'name',
        'email',
        'verified',
        'attributes',
        'created_at',
        'last_seen_at',
      ],
      cs.map((c) => [
        c.visitorId,
        siteId,
        'x',
        c.visitorName,
        c.visitorEmail,
        'f',
        '{}',
        c.createdAt,
        c.endedAt,
      ]),
    );
    await copyRows(
      sql,
      'conversations',
      CONVERSATION_COLUMNS,
      cs.map((c) => conversationValues(c, siteId)),
    );
    await copyRows(
      sql,
      'conversation_tags',
      ['conversation_id', 'site_id', 'tag'],
      cs.flatMap((c) => c.tags.map((t) => [c.id, siteId, t])),
    );
    await copyRows(
      sql,
      'messages',
      ['conversation_id', 'seq', 'prev_public', 'author', 'operator_id', 'text', 'at'],
      batch.messages.map((m) => [m.conversationId, m.seq, m.seq - 1, m.author, m.operatorId, m.text, m.at]),
    );
  };
}
