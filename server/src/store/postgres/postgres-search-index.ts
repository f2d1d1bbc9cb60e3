import type postgres from 'postgres';
import { DIACRITICS } from '../transcripts.js';

const BATCH = 2_000;
const VISITOR_BATCH = 5_000;
/** Searches catch up first, so the delay never shows in results; a crash leaves rows for the next start. */
const INDEX_DELAY_MS = 200;

/**
 * The deferred transcript-search indexer on PostgreSQL (migrations 0004, 0006). Writers store messages with
 * text_search null; this fills it in batches after the commit (the tsvector and its GIN entries cost a
 * stored message about as much as the rest of its write). A partial index finds the rows still null,
 * so nothing needs a cursor: a crash leaves them null and the next start (or search) indexes them, and
 * several nodes share the work through FOR UPDATE SKIP LOCKED without indexing a row twice.
 */
export class PostgresSearchIndexer {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly client: postgres.Sql) {}

  /** Indexes up to `limit` pending messages in one statement; returns how many. */
  async step(limit = BATCH): Promise<number> {
    const result = await this.client`
      update messages m
      set text_search = to_tsvector('simple'::regconfig, translate(lower(m.text), ${DIACRITICS.from}, ${DIACRITICS.to}))
      from (select conversation_id, seq from messages where text_search is null limit ${limit}
            for update skip locked) p
      where m.conversation_id = p.conversation_id and m.seq = p.seq`;
    return result.count;
  }

  /**
   * Rewrites up to `limit` queued conversations' visitor_search rows (migration 0006) from the current
   * rows, in one statement; returns how many. Taking a row off the queue and writing it commit together.
   */
  async stepVisitors(limit = VISITOR_BATCH): Promise<number> {
    const [row] = await this.client<{ n: number }[]>`
      with batch as (
        delete from visitor_search_pending where conversation_id in (
          select conversation_id from visitor_search_pending limit ${limit} for update skip locked)
        returning conversation_id),
      written as (
        insert into visitor_search (conversation_id, site_id, ident)
        select c.id, c.site_id, concat_ws(${'\n'}, lower(c.visitor_name), lower(c.visitor_email), lower(v.name),
            lower(v.email), lower(c.visitor_id))
          from batch b join conversations c on c.id = b.conversation_id
          left join visitors v on v.id = c.visitor_id
        on conflict (conversation_id) do update set site_id = excluded.site_id, ident = excluded.ident)
      -- A deleted conversation's row went with it (foreign key): taking it off the queue is all there is.
      select count(*)::int as n from batch`;
    return row?.n ?? 0;
  }

  /** Indexes everything pending (rows another node is indexing right now are that node's). */
  async catchUp(): Promise<void> {
    while ((await this.step()) === BATCH) {}
    while ((await this.stepVisitors()) > 0) {}
  }

  /**
   * After a commit: index a moment later, one run at a time; a commit during a run asks for one more. The
   * delay gathers the commits of a busy moment into one statement instead of one per commit (each also
   * competes with the live writes for the table: it doubled the p95 of a fenced assignment write).
   */
  schedule(onError: (err: unknown) => void): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = new Promise<void>((resolve) => setTimeout(resolve, INDEX_DELAY_MS).unref())
      .then(() => this.catchUp())
      .catch(onError)
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.schedule(onError);
        }
      });
  }

  /** Waits for a scheduled run (closing the store). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }
}
