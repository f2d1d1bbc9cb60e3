import type BetterSqlite3 from 'better-sqlite3';

const BATCH = 5_000;

/**
 * The deferred transcript-search indexer (migration 0005). Writers only store messages; this adds them to
 * messages_fts in batches after their commit, on the same connection, each batch in its own short
 * transaction together with its `indexed_to` cursor, so a crash loses nothing (the next start catches up).
 * A search first catches up what is still pending, so results are always current.
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
    };
  }

  /** Messages stored but not yet searchable. */
  pending(): boolean {
    return (this.st.newest.get() ?? 0) > (this.st.cursor.get() ?? 0);
  }

  /** Indexes up to `limit` pending messages in one transaction; returns how many. */
  step(limit = BATCH): number {
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
        if (this.step() === BATCH) this.schedule(onError);
      } catch (err) {
        onError(err);
      }
    });
  }
}
