import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { and, asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { notFound, StoreError, translateError } from '../errors.js';
import { EventListeners } from '../listeners.js';
import { CONVERSATION_FIELDS, OPERATOR_FIELDS, pickPatch, SITE_FIELDS, VISITOR_FIELDS } from '../patch.js';
import { conversationRow, profileFields, siteRow, visitorRow } from '../rows.js';
import { OPEN_STATUSES } from '../transcripts.js';
import type {
  AppendResult,
  CannedRecord,
  ChatEventRecord,
  Conversation,
  ConversationPatch,
  EventsListener,
  InboxQuery,
  InboxRows,
  InboxState,
  NewConversation,
  NewMessage,
  NewOperator,
  NewSite,
  NewVisitor,
  Operator,
  OperatorPatch,
  PageViewRecord,
  Session,
  Site,
  Store,
  UnitOfWork,
  UnitResult,
  Visitor,
  VisitorPatch,
} from '../types.js';
import { assertSchemaName, migratePostgres } from './migrate.js';
import { listPostgresTags, postgresCanned, replaceConversationTags } from './postgres-canned-tags.js';
import { postgresInbox } from './postgres-inbox.js';
import { PostgresSearchIndexer } from './postgres-search-index.js';
import { searchPostgresTranscripts } from './postgres-transcripts.js';
import { createPostgresWriter } from './postgres-writes.js';
import {
  conversationColumns,
  conversations,
  eventColumns,
  events,
  messages,
  operatorSites,
  operators,
  pageViews,
  sessions,
  sites,
  visitors,
} from './schema.js';

const MIGRATIONS = fileURLToPath(new URL('../../../drizzle/postgres', import.meta.url));

/**
 * `schema` (default public) is where the tables live: the connection's search_path points there, so
 * several installations, or test runs, can share one database.
 */
export async function openPostgresStore(opts: {
  url: string;
  schema?: string;
  maxConnections?: number;
}): Promise<Store> {
  const schema = opts.schema ?? 'public';
  const client = connectPostgres(opts.url, schema, opts.maxConnections ?? 10);
  try {
    await migratePostgres(client, schema, MIGRATIONS);
  } catch (err) {
    await client.end({ timeout: 5 });
    throw err;
  }
  return new PostgresStore(client, drizzle({ client }), { url: opts.url, schema });
}

/** A connection pool whose search_path is `schema`: the store's own, or one for tools and benchmarks. */
export function connectPostgres(url: string, schema: string, max: number): postgres.Sql {
  assertSchemaName(schema);
  // Migrations report "already exists, skipping" notices; they are not worth a log line each.
  return postgres(url, { max, connection: { search_path: schema }, onnotice: () => {} });
}

/** Where a PostgreSQL store keeps its tables, for components with their own connection (metrics). */
export function postgresLocationOf(store: Store): { url: string; schema: string } | null {
  return store instanceof PostgresStore ? store.location : null;
}

type OperatorRow = Omit<Operator, 'siteIds'>;

const messageColumns = {
  conversationId: messages.conversationId,
  seq: messages.seq,
  clientId: messages.clientId,
  author: messages.author,
  operatorId: messages.operatorId,
  authorName: messages.authorName,
  text: messages.text,
  at: messages.at,
};
type Tx = Parameters<Parameters<PostgresJsDatabase['transaction']>[0]>[0];

class PostgresStore implements Store {
  readonly kind = 'postgres';
  private readonly writer;
  private readonly cannedStore;
  private readonly inbox;
  private readonly listeners = new EventListeners();
  private closing: Promise<void> | null = null;
  private readonly indexer: PostgresSearchIndexer;

  constructor(
    private readonly client: postgres.Sql,
    private readonly db: PostgresJsDatabase,
    readonly location: { url: string; schema: string },
  ) {
    this.writer = createPostgresWriter(client, (events) => this.listeners.emit(events));
    this.cannedStore = postgresCanned(db);
    this.inbox = postgresInbox(db);
    this.indexer = new PostgresSearchIndexer(client);
    // Messages a crash left unindexed become searchable again (a search would catch up anyway).
    this.indexLater();
  }

  private indexLater(): void {
    if (this.closing) return;
    this.indexer.schedule((err) =>
      process.emitWarning(err instanceof Error ? err : new Error(String(err)), 'BesedaSearchIndexError'),
    );
  }

  async ping(): Promise<void> {
    await this.client`select 1`;
  }

  onEvents(listener: EventsListener): () => void {
    return this.listeners.add(listener);
  }

  /** Runs a query, reporting constraint violations as StoreErrors. */
  private async run<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw translateError(err);
    }
  }

  async createSite(site: NewSite): Promise<Site> {
    const row: Site = siteRow(site);
    const [created] = await this.run(() => this.db.insert(sites).values(row).returning());
    if (!created) throw new Error('INSERT returned no row');
    return created;
  }

  async getSite(id: string): Promise<Site | null> {
    const [row] = await this.db.select().from(sites).where(eq(sites.id, id));
    return row ?? null;
  }

  async getSiteByKey(key: string): Promise<Site | null> {
    const [row] = await this.db.select().from(sites).where(eq(sites.key, key));
    return row ?? null;
  }

  async listSites(): Promise<Site[]> {
    return this.db.select().from(sites).orderBy(asc(sites.createdAt), asc(sites.id));
  }

  async updateSite(id: string, patch: Partial<Omit<Site, 'id' | 'createdAt'>>): Promise<Site> {
    const set = pickPatch(patch, SITE_FIELDS);
    const [row] = await this.run(() =>
      Object.keys(set).length === 0
        ? this.db.select().from(sites).where(eq(sites.id, id))
        : this.db.update(sites).set(set).where(eq(sites.id, id)).returning(),
    );
    if (!row) throw notFound('Site', id);
    return row;
  }

  async createOperator(op: NewOperator): Promise<Operator> {
    const row: OperatorRow = {
      id: op.id ?? randomUUID(),
      email: op.email,
      name: op.name,
      role: op.role,
      passwordHash: op.passwordHash,
      capacity: op.capacity,
      status: 'offline',
      active: true,
      createdAt: Date.now(),
      locale: op.locale ?? null,
      answersChats: op.answersChats ?? null,
      teamIds: [...new Set(op.teamIds ?? [])],
    };
    await this.run(() =>
      this.db.transaction(async (tx) => {
        await tx.insert(operators).values(row);
        await replaceOperatorSites(tx, row.id, op.siteIds);
      }),
    );
    return { ...row, siteIds: [...new Set(op.siteIds)].sort() };
  }

  private async withSiteIds(rows: OperatorRow[]): Promise<Operator[]> {
    if (rows.length === 0) return [];
    const links = await this.db
      .select()
      .from(operatorSites)
      .where(
        inArray(
          operatorSites.operatorId,
          rows.map((r) => r.id),
        ),
      )
      .orderBy(asc(operatorSites.siteId));
    return rows.map((r) => ({
      ...r,
      siteIds: links.filter((l) => l.operatorId === r.id).map((l) => l.siteId),
    }));
  }

  async getOperator(id: string): Promise<Operator | null> {
    const rows = await this.db.select().from(operators).where(eq(operators.id, id));
    return (await this.withSiteIds(rows))[0] ?? null;
  }

  async getOperatorByEmail(email: string): Promise<Operator | null> {
    // Same expression as the unique index, so the lookup uses it.
    const rows = await this.db
      .select()
      .from(operators)
      .where(sql`lower(${operators.email}) = lower(${email})`);
    return (await this.withSiteIds(rows))[0] ?? null;
  }

  async listOperators(siteId?: string): Promise<Operator[]> {
    const order = [asc(operators.createdAt), asc(operators.id)];
    const rows =
      siteId === undefined
        ? await this.db
            .select()
            .from(operators)
            .orderBy(...order)
        : (
            await this.db
              .select({ op: operators })
              .from(operators)
              .innerJoin(operatorSites, eq(operatorSites.operatorId, operators.id))
              .where(eq(operatorSites.siteId, siteId))
              .orderBy(...order)
          ).map((r) => r.op);
    return this.withSiteIds(rows);
  }

  async updateOperator(id: string, patch: OperatorPatch): Promise<Operator> {
    const set = { ...pickPatch(patch, OPERATOR_FIELDS), ...profileFields(patch) };
    const found = await this.run(() =>
      this.db.transaction(async (tx) => {
        const [exists] =
          Object.keys(set).length === 0
            ? await tx.select({ id: operators.id }).from(operators).where(eq(operators.id, id)).for('update')
            : await tx.update(operators).set(set).where(eq(operators.id, id)).returning({ id: operators.id });
        if (exists && patch.siteIds !== undefined) await replaceOperatorSites(tx, id, patch.siteIds);
        return exists !== undefined;
      }),
    );
    const op = found ? await this.getOperator(id) : null;
    if (!op) throw notFound('Operator', id);
    return op;
  }

  async createSession(session: Session): Promise<void> {
    await this.run(() => this.db.insert(sessions).values(session));
  }

  async getSession(token: string): Promise<Session | null> {
    // Expiry is the caller's decision: it owns the clock.
    const [row] = await this.db.select().from(sessions).where(eq(sessions.token, token));
    return row ?? null;
  }

  async deleteSession(token: string): Promise<void> {
    await this.db.delete(sessions).where(eq(sessions.token, token));
  }

  async createVisitor(v: NewVisitor): Promise<Visitor> {
    const row = visitorRow(v);
    await this.run(() => this.db.insert(visitors).values(row));
    return row;
  }

  async ensureVisitor(v: NewVisitor & { id: string }): Promise<{ visitor: Visitor; created: boolean }> {
    const row = visitorRow(v);
    const inserted = await this.run(() =>
      this.db
        .insert(visitors)
        .values(row)
        .onConflictDoNothing({ target: visitors.id })
        .returning({ id: visitors.id }),
    );
    if (inserted.length === 1) return { visitor: row, created: true };
    const visitor = await this.getVisitor(v.id);
    if (!visitor) throw notFound('Visitor', v.id);
    return { visitor, created: false };
  }

  async getVisitor(id: string): Promise<Visitor | null> {
    const [row] = await this.db.select().from(visitors).where(eq(visitors.id, id));
    return row ?? null;
  }

  async updateVisitor(id: string, patch: VisitorPatch): Promise<void> {
    const set = pickPatch(patch, VISITOR_FIELDS);
    const [row] =
      Object.keys(set).length === 0
        ? await this.db.select({ id: visitors.id }).from(visitors).where(eq(visitors.id, id))
        : await this.db.update(visitors).set(set).where(eq(visitors.id, id)).returning({ id: visitors.id });
    if (!row) throw notFound('Visitor', id);
  }

  async createConversation(c: NewConversation): Promise<Conversation> {
    const row = conversationRow(c);
    await this.run(() => this.db.insert(conversations).values(row));
    return row;
  }

  async openConversation(c: NewConversation): Promise<{ conversation: Conversation; created: boolean }> {
    // Insert-first: the partial unique index decides between racing nodes, and the loser reads the
    // winner's. A conversation that ends between the two steps lets the next attempt insert.
    for (let attempt = 0; attempt < 3; attempt++) {
      const row = conversationRow(c);
      const [inserted] = await this.run(() =>
        this.db
          .insert(conversations)
          .values(row)
          .onConflictDoNothing({
            target: conversations.visitorId,
            where: sql`${conversations.status} in ('queued', 'active')`,
          })
          .returning({ id: conversations.id }),
      );
      if (inserted) return { conversation: row, created: true };
      const open = await this.findOpenConversation(c.visitorId);
      if (open) return { conversation: open, created: false };
    }
    throw new StoreError('conflict', 'The visitor’s open conversation keeps changing');
  }

  async getConversation(id: string): Promise<Conversation | null> {
    const [row] = await this.db
      .select(conversationColumns)
      .from(conversations)
      .where(eq(conversations.id, id));
    return row ?? null;
  }

  async updateConversation(id: string, patch: ConversationPatch): Promise<Conversation> {
    const set = pickPatch(patch, CONVERSATION_FIELDS);
    if (set.tags) set.tags = [...new Set(set.tags)];
    const row = await this.run(() =>
      this.db.transaction(async (tx) => {
        const [updated] =
          Object.keys(set).length === 0
            ? await tx.select(conversationColumns).from(conversations).where(eq(conversations.id, id))
            : await tx
                .update(conversations)
                .set(set)
                .where(eq(conversations.id, id))
                .returning(conversationColumns);
        if (updated && set.tags) await replaceConversationTags(tx, updated);
        return updated;
      }),
    );
    if (!row) throw notFound('Conversation', id);
    return row;
  }

  async findOpenConversation(visitorId: string): Promise<Conversation | null> {
    const [row] = await this.db
      .select(conversationColumns)
      .from(conversations)
      .where(and(eq(conversations.visitorId, visitorId), inArray(conversations.status, [...OPEN_STATUSES])))
      .orderBy(desc(conversations.createdAt))
      .limit(1);
    return row ?? null;
  }

  async listVisitorConversations(visitorId: string, limit: number): Promise<Conversation[]> {
    return this.db
      .select(conversationColumns)
      .from(conversations)
      .where(eq(conversations.visitorId, visitorId))
      .orderBy(desc(conversations.createdAt), desc(conversations.id))
      .limit(limit);
  }

  async listOpenConversations(): Promise<Conversation[]> {
    return this.db
      .select(conversationColumns)
      .from(conversations)
      .where(inArray(conversations.status, [...OPEN_STATUSES]))
      .orderBy(asc(conversations.createdAt), asc(conversations.id));
  }

  async appendMessage(m: NewMessage): Promise<AppendResult> {
    const written = await this.writer.push({ kind: 'message', m });
    if (!written || !('message' in written)) throw new Error('Message write returned no message');
    this.indexLater();
    return written;
  }

  async commit(unit: UnitOfWork): Promise<UnitResult> {
    const written = await this.writer.push({ kind: 'unit', unit });
    if (!written || !('applied' in written)) throw new Error('Unit of work returned no result');
    if (unit.messages && unit.messages.length > 0) this.indexLater();
    return written;
  }

  async listMessages(conversationId: string, afterSeq: number, limit?: number) {
    const q = this.db
      .select(messageColumns)
      .from(messages)
      .where(and(eq(messages.conversationId, conversationId), gt(messages.seq, afterSeq)))
      .orderBy(asc(messages.seq));
    return limit === undefined ? q : q.limit(limit);
  }

  async appendEvent(e: ChatEventRecord): Promise<void> {
    await this.writer.push({ kind: 'event', e });
  }

  async listEvents(conversationId: string): Promise<ChatEventRecord[]> {
    return this.db
      .select(eventColumns)
      .from(events)
      .where(eq(events.conversationId, conversationId))
      .orderBy(asc(events.at), asc(events.id));
  }

  async appendPageView(p: PageViewRecord): Promise<void> {
    await this.writer.push({ kind: 'page_view', p });
  }

  async listPageViews(visitorId: string, limit: number): Promise<PageViewRecord[]> {
    return this.db
      .select({
        visitorId: pageViews.visitorId,
        url: pageViews.url,
        title: pageViews.title,
        referrer: pageViews.referrer,
        at: pageViews.at,
      })
      .from(pageViews)
      .where(eq(pageViews.visitorId, visitorId))
      .orderBy(desc(pageViews.at), desc(pageViews.id))
      .limit(limit);
  }

  listInbox(query: InboxQuery): Promise<InboxRows> {
    return this.inbox.list(query);
  }

  getInboxState(conversationId: string): Promise<InboxState | null> {
    return this.inbox.get(conversationId);
  }

  setInboxStatus(conversationId: string, change: Parameters<Store['setInboxStatus']>[1]) {
    return this.inbox.set(conversationId, change);
  }

  listCanned(operatorId: string, siteIds: string[]): Promise<CannedRecord[]> {
    return this.cannedStore.list(operatorId, siteIds);
  }

  getCanned(id: string): Promise<CannedRecord | null> {
    return this.cannedStore.get(id);
  }

  createCanned(c: Omit<CannedRecord, 'id'>): Promise<CannedRecord> {
    return this.cannedStore.create(c);
  }

  updateCanned(id: string, patch: Parameters<Store['updateCanned']>[1]): Promise<CannedRecord> {
    return this.cannedStore.update(id, patch);
  }

  deleteCanned(id: string): Promise<void> {
    return this.cannedStore.delete(id);
  }

  listTags(siteIds: string[], prefix: string, limit: number): Promise<string[]> {
    return listPostgresTags(this.db, siteIds, prefix, limit);
  }

  async searchTranscripts(query: Parameters<Store['searchTranscripts']>[0]) {
    // Messages the deferred indexer has not reached yet are indexed first: results are always current.
    await this.indexer.catchUp();
    return searchPostgresTranscripts(this.db, query);
  }

  close(): Promise<void> {
    this.closing ??= this.writer
      .close()
      .then(() => this.indexer.idle())
      .then(() => this.client.end({ timeout: 5 }));
    return this.closing;
  }
}

async function replaceOperatorSites(tx: Tx, operatorId: string, siteIds: string[]): Promise<void> {
  await tx.delete(operatorSites).where(eq(operatorSites.operatorId, operatorId));
  const unique = [...new Set(siteIds)];
  if (unique.length > 0)
    await tx.insert(operatorSites).values(unique.map((siteId) => ({ operatorId, siteId })));
}
