import type BetterSqlite3 from 'better-sqlite3';

const BATCH = 5_000;
/**
 * Visitor rows are a few short strings each, but every one is several statements and its trigrams (~65 µs
 * at 100k): a batch this size keeps a turn of the event loop near the message batch's (after an upgrade,
 * every stored conversation is queued once).
 */
const VISITOR_BATCH = 500;

/**
 * The deferred transcript-search indexer (migrations 0005, 0007). Writers only store rows; this adds them
 * to the search indexes in batches after their commit, on the same connection, each batch in its own short
 * transaction together with its bookkeeping, so a crash loses nothing (the next start catches up). A search
 * first catches up what is still pending, so results are always current.
 *
 * Two queues: messages above the `indexed_to` cursor go into messages_fts; conversations whose visitor
 * identity changed (queued by the triggers of 0007) get their visitor_search row rewritten.
 */
export class SqliteSearchIndexer {
  private readonly st;
  private scheduled = false;

  constructor(private readonly client: BetterSqlite3.Database) {
    this.st = {
      cursor: client
        .prepare<[], number>("select indexed_to from search_index_state where name = 'messages_fts'")
        .pluck(),
      newest: client.prepare<[], number>('select coalesce(max(id), 0) from messages').pluck(),
      index: client.prepare<[number, number]>(
        'insert into messages_fts (rowid, text) select id, text from messages where id > ? order by id limit ?',
      ),
      lastOf: client
        .prepare<[number, number], number>(
          'select coalesce(max(id), 0) from (select id from messages where id > ? order by id limit ?)',
        )
        .pluck(),
      setCursor: client.prepare<[number]>(
        "update search_index_state set indexed_to = ? where name = 'messages_fts'",
      ),
      visitorsPending: client
        .prepare<[], number>('select exists (select 1 from visitor_search_pending)')
        .pluck(),
      visitorBatch: client
        .prepare<[number], string>('select conversation_id from visitor_search_pending limit ?')
        .pluck(),
      visitorRow: client
        .prepare<[string], number>('select id from visitor_search_rows where conversation_id = ?')
        .pluck(),
      dropVisitor: client.prepare<[number]>('delete from visitor_search where rowid = ?'),
      dropVisitorRow: client.prepare<[number]>('delete from visitor_search_rows where id = ?'),
      addVisitorRow: client.prepare<[string]>('insert into visitor_search_rows (conversation_id) values (?)'),
      // Lowered with the same function as the history filter (casefold: JavaScript's toLowerCase), so
      // the case-sensitive trigram index holds exactly what the filter compares.
      addVisitor: client.prepare<[number, string]>(
        `insert into visitor_search (rowid, conversation_name, conversation_email, visitor_name, visitor_email,
           visitor_id)
         select ?, casefold(c.visitor_name), casefold(c.visitor_email), casefold(v.name), casefold(v.email),
           casefold(c.visitor_id)
         from conversations c left join visitors v on v.id = c.visitor_id where c.id = ?`,
      ),
      unqueue: client.prepare<[string]>('delete from visitor_search_pending where conversation_id = ?'),
    };
  }

  /** Rows stored but not yet searchable. */
  pending(): boolean {
    return (this.st.newest.get() ?? 0) > (this.st.cursor.get() ?? 0) || this.st.visitorsPending.get() === 1;
  }

  /** Indexes up to `limit` pending messages and VISITOR_BATCH queued conversations; returns how many. */
  step(limit = BATCH): number {
    return this.indexMessages(limit) + this.indexVisitors(VISITOR_BATCH);
  }

  private indexMessages(limit: number): number {
    return this.client
      .transaction(() => {
        const from = this.st.cursor.get() ?? 0;
        const to = this.st.lastOf.get(from, limit) ?? 0;
        if (to <= from) return 0;
        const { changes } = this.st.index.run(from, limit);
        this.st.setCursor.run(to);
        return changes;
      })
      .immediate();
  }

  /** Each queued conversation's row is rewritten from the current rows, or dropped with the conversation. */
  private indexVisitors(limit: number): number {
    if (this.st.visitorsPending.get() !== 1) return 0;
    return this.client
      .transaction(() => {
        const ids = this.st.visitorBatch.all(limit);
        for (const id of ids) {
          const row = this.st.visitorRow.get(id);
          if (row !== undefined) {
            this.st.dropVisitor.run(row);
            this.st.dropVisitorRow.run(row);
          }
          const { lastInsertRowid } = this.st.addVisitorRow.run(id);
          if (this.st.addVisitor.run(Number(lastInsertRowid), id).changes === 0)
            this.st.dropVisitorRow.run(Number(lastInsertRowid));
          this.st.unqueue.run(id);
        }
        return ids.length;
      })
      .immediate();
  }

  catchUp(): void {
    while (this.pending() && this.step() > 0) {}
  }

  /** After a commit: index on the next turn of the event loop, a batch per turn until caught up. */
  schedule(onError: (err: unknown) => void): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.client.open) return;
      try {
        if (this.step() > 0 && this.pending()) this.schedule(onError);
      } catch (err) {
        onError(err);
      }
    });
  }
}
