-- Visitor name / e-mail substring search through a trigram index (pg_trgm): the history filter `visitor`
-- tested every conversation of the site (four lowered columns each), 0.7 s at 115k conversations when the
-- substring is rare. One row per conversation holds what that filter reads, lowered and joined by line
-- breaks (conversation's copy of the name and e-mail, the visitor's current ones, the visitor id); LIKE
-- '%needle%' over it narrows the conversations, and the filter's own test still decides. Kept off the hot
-- path like the message index: triggers only queue the conversation; the deferred indexer
-- (store/postgres/postgres-search-index.ts) rewrites queued rows in batches, and a search catches up first.
CREATE TABLE "visitor_search" (
	"conversation_id" text PRIMARY KEY NOT NULL REFERENCES "conversations"("id") ON DELETE CASCADE,
	"site_id" text NOT NULL,
	"ident" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "visitor_search_pending" (
	"conversation_id" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
-- pg_trgm ships with PostgreSQL and is a trusted extension (13+): a user with CREATE on the database may
-- add it. It goes into one schema for the whole database (extensions are per database) and the index
-- names its operator class there. Where it cannot be added, the table stays unindexed: the search is
-- still exact, only a rare substring is slow again (a notice says so).
DO $$
DECLARE ext_schema text;
BEGIN
	-- Two schemas migrating at once would both try to create it.
	PERFORM pg_advisory_xact_lock(hashtext('beseda:migrate:pg_trgm'));
	BEGIN
		CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
	EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
		RAISE NOTICE 'pg_trgm unavailable (%): visitor substring search stays unindexed', SQLERRM;
	END;
	SELECT n.nspname INTO ext_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
		WHERE e.extname = 'pg_trgm';
	IF ext_schema IS NOT NULL THEN
		EXECUTE format('CREATE INDEX visitor_search_ident_trgm_idx ON visitor_search USING gin (ident %I.gin_trgm_ops)', ext_schema);
	END IF;
END $$;
--> statement-breakpoint
CREATE FUNCTION visitor_search_queue_conversation() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
	INSERT INTO visitor_search_pending (conversation_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER visitor_search_conversation AFTER INSERT OR UPDATE OF visitor_name, visitor_email, visitor_id
	ON conversations FOR EACH ROW EXECUTE FUNCTION visitor_search_queue_conversation();
--> statement-breakpoint
CREATE FUNCTION visitor_search_queue_visitor() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
	INSERT INTO visitor_search_pending (conversation_id)
		SELECT id FROM conversations WHERE visitor_id = NEW.id ON CONFLICT DO NOTHING;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER visitor_search_visitor AFTER UPDATE OF name, email ON visitors FOR EACH ROW
	WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.email IS DISTINCT FROM NEW.email)
	EXECUTE FUNCTION visitor_search_queue_visitor();
--> statement-breakpoint
-- Conversations stored before this migration are indexed by the first indexer run after it.
INSERT INTO "visitor_search_pending" (conversation_id) SELECT id FROM conversations;
