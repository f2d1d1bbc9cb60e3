import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { and, asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { notFound, translateError } from '../errors.js';
import { EventListeners } from '../listeners.js';
import { CONVERSATION_FIELDS, OPERATOR_FIELDS, pickPatch, SITE_FIELDS, VISITOR_FIELDS } from '../patch.js';
import { conversationRow, profileFields, siteRow, visitorRow } from '../rows.js';
import { matcherFor } from '../search-match.js';
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
import { MIGRATION_BUSY_TIMEOUT_MS, migrateSqlite, whileBusy } from './migrate.js';
import {
  conversationColumns,
  conversations,
  events,
  messages,
  operatorSites,
  operators,
  pageViews,
  sessions,
  sites,
  visitors,
} from './schema.js';
import { listSqliteTags, replaceConversationTags, sqliteCanned } from './sqlite-canned-tags.js';
import { sqliteInbox } from './sqlite-inbox.js';
import { SqliteSearchIndexer } from './sqlite-search-index.js';
import { searchSqliteTranscripts } from './sqlite-transcripts.js';
import { createSqliteWriter, messageColumns } from './sqlite-writes.js';
import { WalCheckpointer } from './wal-checkpointer.js';

/** How long a write may wait for another process's lock before it is refused as busy. */
export const BUSY_TIMEOUT_MS = 25;

const MIGRATIONS = fileURLToPath(new URL('../../../drizzle/sqlite', import.meta.url));

export async function openSqliteStore(opts: { file: string }): Promise<Store> {
  const { client, db } = await connectSqlite(opts.file);
  let checkpointer: WalCheckpointer | null = null;
  if (opts.file !== ':memory:') {
    // Checkpoints move to a worker thread (wal-checkpointer.ts): none runs inside a commit any more.
    client.pragma('wal_autocheckpoint = 0');
    checkpointer = new WalCheckpointer(opts.file, (message) => warn(new Error(message)));
  }
  return new SqliteStore(client, db, checkpointer);
}

/** The connection behind a SQLite store, for components that keep tables beside it (metrics). */
export function sqliteClientOf(store: Store): Database.Database | null {
  return store instanceof SqliteStore ? store.connection : null;
}

/** An open, migrated connection: the store's own, or a second one for tests and tools. */
export async function connectSqlite(
  file: string,
): Promise<{ client: Database.Database; db: BetterSQLite3Database }> {
  if (file !== ':memory:') await mkdir(dirname(file), { recursive: true });
  const client = new Database(file);
  try {
    // Another process may be creating or migrating this file right now: wait for it while starting.
    client.pragma(`busy_timeout = ${MIGRATION_BUSY_TIMEOUT_MS}`);
    await whileBusy(() => client.pragma('journal_mode = WAL'));
    // With WAL, NORMAL loses no committed transaction on a process crash; only an OS crash can lose
    // the last ones, and it skips an fsync per commit.
    client.pragma('synchronous = NORMAL');
    client.pragma('foreign_keys = ON');
    client.function('casefold', { deterministic: true }, (s: unknown) =>
      typeof s === 'string' ? s.toLowerCase() : null,
    );
    // Transcript search tests message text with the same rules as the index (search-match.ts).
    client.function('search_match', { deterministic: true }, (text: unknown, q: unknown) =>
      typeof text === 'string' && typeof q === 'string' && matcherFor(q)?.test(text) ? 1 : 0,
    );
    await whileBusy(() => migrateSqlite(client, MIGRATIONS));
    // Once running, waiting for a lock blocks the whole event loop (every socket, every heartbeat): wait
    // briefly, then fail the batch with a retryable error (errors.ts) instead of freezing the node.
    client.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    return { client, db: drizzle({ client }) };
  } catch (err) {
    client.close();
    throw err;
  }
}

type OperatorRow = Omit<Operator, 'siteIds'>;

const warn = (err: unknown) =>
  process.emitWarning(err instanceof Error ? err : new Error(String(err)), 'BesedaSearchIndexError');

class SqliteStore implements Store {
  readonly kind = 'sqlite';
  private readonly writer;
  private readonly cannedStore;
  private readonly inbox;
  private readonly listeners = new EventListeners();
  private readonly indexer: SqliteSearchIndexer;
  readonly connection: Database.Database;

  constructor(
    private readonly client: Database.Database,
    private readonly db: BetterSQLite3Database,
    private readonly checkpointer: WalCheckpointer | null = null,
  ) {
    this.connection = client;
    this.indexer = new SqliteSearchIndexer(client);
    const indexLater = () => this.indexer.schedule((err) => warn(err));
    this.writer = createSqliteWriter(client, db, (events) => this.listeners.emit(events), indexLater);
    this.cannedStore = sqliteCanned(db);
    this.inbox = sqliteInbox(db);
    // Messages a crash left unindexed become searchable again (a search would catch up anyway).
    indexLater();
  }

  async ping(): Promise<void> {
    this.client.prepare('select 1').get();
  }

  onEvents(listener: EventsListener): () => void {
    return this.listeners.add(listener);
  }

  /** Runs a synchronous unit of work in one transaction, reporting constraint violations as StoreErrors. */
  private tx<T>(fn: () => T): T {
    try {
      return this.client.transaction(fn).immediate();
    } catch (err) {
      throw translateError(err);
    }
  }

  async createSite(site: NewSite): Promise<Site> {
    const row: Site = siteRow(site);
    return this.tx(() => this.db.insert(sites).values(row).returning().get());
  }

  async getSite(id: string): Promise<Site | null> {
    return this.db.select().from(sites).where(eq(sites.id, id)).get() ?? null;
  }

  async getSiteByKey(key: string): Promise<Site | null> {
    return this.db.select().from(sites).where(eq(sites.key, key)).get() ?? null;
  }

  async listSites(): Promise<Site[]> {
    return this.db.select().from(sites).orderBy(asc(sites.createdAt), asc(sites.id)).all();
  }

  async updateSite(id: string, patch: Partial<Omit<Site, 'id' | 'createdAt'>>): Promise<Site> {
    const set = pickPatch(patch, SITE_FIELDS);
    const row = this.tx(() =>
      Object.keys(set).length === 0
        ? this.db.select().from(sites).where(eq(sites.id, id)).get()
        : this.db.update(sites).set(set).where(eq(sites.id, id)).returning().get(),
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
    this.tx(() => {
      this.db.insert(operators).values(row).run();
      this.replaceOperatorSites(row.id, op.siteIds);
    });
    return { ...row, siteIds: [...new Set(op.siteIds)].sort() };
  }

  private replaceOperatorSites(operatorId: string, siteIds: string[]): void {
    this.db.delete(operatorSites).where(eq(operatorSites.operatorId, operatorId)).run();
    const unique = [...new Set(siteIds)];
    if (unique.length > 0) {
      this.db
        .insert(operatorSites)
        .values(unique.map((siteId) => ({ operatorId, siteId })))
        .run();
    }
  }

  private withSiteIds(rows: OperatorRow[]): Operator[] {
    if (rows.length === 0) return [];
    const links = this.db
      .select()
      .from(operatorSites)
      .where(
        inArray(
          operatorSites.operatorId,
          rows.map((r) => r.id),
        ),
      )
      .orderBy(asc(operatorSites.siteId))
      .all();
    return rows.map((r) => ({
      ...r,
      siteIds: links.filter((l) => l.operatorId === r.id).map((l) => l.siteId),
    }));
  }

  async getOperator(id: string): Promise<Operator | null> {
    const row = this.db.select().from(operators).where(eq(operators.id, id)).get();
    return row ? (this.withSiteIds([row])[0] ?? null) : null;
  }

  async getOperatorByEmail(email: string): Promise<Operator | null> {
    // Same expression as the unique index, so the lookup uses it.
    const row = this.db
      .select()
      .from(operators)
      .where(sql`lower(${operators.email}) = lower(${email})`)
      .get();
    return row ? (this.withSiteIds([row])[0] ?? null) : null;
  }

  async listOperators(siteId?: string): Promise<Operator[]> {
    const order = [asc(operators.createdAt), asc(operators.id)];
    const rows =
      siteId === undefined
        ? this.db
            .select()
            .from(operators)
            .orderBy(...order)
            .all()
        : this.db
            .select({ op: operators })
            .from(operators)
            .innerJoin(operatorSites, eq(operatorSites.operatorId, operators.id))
            .where(eq(operatorSites.siteId, siteId))
            .orderBy(...order)
            .all()
            .map((r) => r.op);
    return this.withSiteIds(rows);
  }

  async updateOperator(id: string, patch: OperatorPatch): Promise<Operator> {
    const set = { ...pickPatch(patch, OPERATOR_FIELDS), ...profileFields(patch) };
    const found = this.tx(() => {
      const exists =
        Object.keys(set).length === 0
          ? this.db.select({ id: operators.id }).from(operators).where(eq(operators.id, id)).get()
          : this.db
              .update(operators)
              .set(set)
              .where(eq(operators.id, id))
              .returning({ id: operators.id })
              .get();
      if (exists && patch.siteIds !== undefined) this.replaceOperatorSites(id, patch.siteIds);
      return exists !== undefined;
    });
    const op = found ? await this.getOperator(id) : null;
    if (!op) throw notFound('Operator', id);
    return op;
  }

  async createSession(session: Session): Promise<void> {
    this.tx(() => this.db.insert(sessions).values(session).run());
  }

  async getSession(token: string): Promise<Session | null> {
    // Expiry is the caller's decision: it owns the clock.
    return this.db.select().from(sessions).where(eq(sessions.token, token)).get() ?? null;
  }

  async deleteSession(token: string): Promise<void> {
    this.db.delete(sessions).where(eq(sessions.token, token)).run();
  }

  async createVisitor(v: NewVisitor): Promise<Visitor> {
    const row = visitorRow(v);
    return this.tx(() => this.db.insert(visitors).values(row).returning().get());
  }

  async ensureVisitor(v: NewVisitor & { id: string }): Promise<{ visitor: Visitor; created: boolean }> {
    const row = visitorRow(v);
    return this.tx(() => {
      const inserted = this.db
        .insert(visitors)
        .values(row)
        .onConflictDoNothing({ target: visitors.id })
        .run();
      const visitor = this.db.select().from(visitors).where(eq(visitors.id, v.id)).get();
      if (!visitor) throw notFound('Visitor', v.id);
      return { visitor, created: inserted.changes === 1 };
    });
  }

  async getVisitor(id: string): Promise<Visitor | null> {
    return this.db.select().from(visitors).where(eq(visitors.id, id)).get() ?? null;
  }

  async updateVisitor(id: string, patch: VisitorPatch): Promise<void> {
    const set = pickPatch(patch, VISITOR_FIELDS);
    const row =
      Object.keys(set).length === 0
        ? this.db.select({ id: visitors.id }).from(visitors).where(eq(visitors.id, id)).get()
        : this.db.update(visitors).set(set).where(eq(visitors.id, id)).returning({ id: visitors.id }).get();
    if (!row) throw notFound('Visitor', id);
  }

  async createConversation(c: NewConversation): Promise<Conversation> {
    const row = conversationRow(c);
    return this.tx(() => this.db.insert(conversations).values(row).returning(conversationColumns).get());
  }

  async openConversation(c: NewConversation): Promise<{ conversation: Conversation; created: boolean }> {
    // An IMMEDIATE transaction holds the write lock from the read on, so no other connection (process)
    // can open one in between; the unique index stays the last word all the same.
    return this.tx(() => {
      const open = this.findOpen(c.visitorId);
      if (open) return { conversation: open, created: false };
      const row = conversationRow(c);
      return {
        conversation: this.db.insert(conversations).values(row).returning(conversationColumns).get(),
        created: true,
      };
    });
  }

  async getConversation(id: string): Promise<Conversation | null> {
    return (
      this.db.select(conversationColumns).from(conversations).where(eq(conversations.id, id)).get() ?? null
    );
  }

  async updateConversation(id: string, patch: ConversationPatch): Promise<Conversation> {
    const set = pickPatch(patch, CONVERSATION_FIELDS);
    if (set.tags) set.tags = [...new Set(set.tags)];
    const row = this.tx(() => {
      const updated =
        Object.keys(set).length === 0
          ? this.db.select(conversationColumns).from(conversations).where(eq(conversations.id, id)).get()
          : this.db
              .update(conversations)
              .set(set)
              .where(eq(conversations.id, id))
              .returning(conversationColumns)
              .get();
      if (updated && set.tags) replaceConversationTags(this.db, updated);
      return updated;
    });
    if (!row) throw notFound('Conversation', id);
    return row;
  }

  async findOpenConversation(visitorId: string): Promise<Conversation | null> {
    return this.findOpen(visitorId) ?? null;
  }

  private findOpen(visitorId: string): Conversation | undefined {
    return this.db
      .select(conversationColumns)
      .from(conversations)
      .where(and(eq(conversations.visitorId, visitorId), inArray(conversations.status, [...OPEN_STATUSES])))
      .orderBy(desc(conversations.createdAt))
      .get();
  }

  async listVisitorConversations(visitorId: string, limit: number): Promise<Conversation[]> {
    return this.db
      .select(conversationColumns)
      .from(conversations)
      .where(eq(conversations.visitorId, visitorId))
      .orderBy(desc(conversations.createdAt), desc(conversations.id))
      .limit(limit)
      .all();
  }

  async listOpenConversations(): Promise<Conversation[]> {
    return this.db
      .select(conversationColumns)
      .from(conversations)
      .where(inArray(conversations.status, [...OPEN_STATUSES]))
      .orderBy(asc(conversations.createdAt), asc(conversations.id))
      .all();
  }

  async appendMessage(m: NewMessage): Promise<AppendResult> {
    const written = await this.writer.push({ kind: 'message', m });
    if (!written || !('message' in written)) throw new Error('Message write returned no message');
    return written;
  }

  async commit(unit: UnitOfWork): Promise<UnitResult> {
    const written = await this.writer.push({ kind: 'unit', unit });
    if (!written || !('applied' in written)) throw new Error('Unit of work returned no result');
    return written;
  }

  async listMessages(conversationId: string, afterSeq: number, limit?: number) {
    const q = this.db
      .select(messageColumns)
      .from(messages)
      .where(and(eq(messages.conversationId, conversationId), gt(messages.seq, afterSeq)))
      .orderBy(asc(messages.seq));
    return limit === undefined ? q.all() : q.limit(limit).all();
  }

  async appendEvent(e: ChatEventRecord): Promise<void> {
    await this.writer.push({ kind: 'event', e });
  }

  async listEvents(conversationId: string): Promise<ChatEventRecord[]> {
    return this.db
      .select()
      .from(events)
      .where(eq(events.conversationId, conversationId))
      .orderBy(asc(events.at), asc(events.id))
      .all();
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
      .limit(limit)
      .all();
  }

  async listInbox(query: InboxQuery): Promise<InboxRows> {
    return this.inbox.list(query);
  }

  async getInboxState(conversationId: string): Promise<InboxState | null> {
    return this.inbox.get(conversationId);
  }

  async setInboxStatus(conversationId: string, change: Parameters<Store['setInboxStatus']>[1]) {
    return this.inbox.set(conversationId, change);
  }

  async listCanned(operatorId: string, siteIds: string[]): Promise<CannedRecord[]> {
    return this.cannedStore.list(operatorId, siteIds);
  }

  async getCanned(id: string): Promise<CannedRecord | null> {
    return this.cannedStore.get(id);
  }

  async createCanned(c: Omit<CannedRecord, 'id'>): Promise<CannedRecord> {
    return this.cannedStore.create(c);
  }

  async updateCanned(id: string, patch: Parameters<Store['updateCanned']>[1]): Promise<CannedRecord> {
    return this.cannedStore.update(id, patch);
  }

  async deleteCanned(id: string): Promise<void> {
    this.cannedStore.delete(id);
  }

  async listTags(siteIds: string[], prefix: string, limit: number): Promise<string[]> {
    return listSqliteTags(this.db, siteIds, prefix, limit);
  }

  searchTranscripts(query: Parameters<Store['searchTranscripts']>[0]) {
    // Whatever the deferred indexer has not reached yet is indexed first: results are always current.
    this.indexer.catchUp();
    return searchSqliteTranscripts(this.db, query);
  }

  async close(): Promise<void> {
    await this.writer.close();
    if (!this.client.open) return;
    try {
      this.indexer.catchUp();
    } finally {
      await this.checkpointer?.stop();
      this.client.close();
    }
  }
}
