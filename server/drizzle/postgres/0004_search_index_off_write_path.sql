-- Transcript search indexing leaves the write path: the stored tsvector (a generated column) and its GIN
-- entries were computed inside every append. The column keeps its values and becomes a plain nullable one
-- that the deferred indexer (store/postgres/postgres-search-index.ts) fills after the commit; the partial
-- index is its queue, so rows left null by a crash are found and indexed on the next start or search.
ALTER TABLE "messages" ALTER COLUMN "text_search" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ALTER COLUMN "text_search" DROP EXPRESSION;--> statement-breakpoint
CREATE INDEX "messages_unindexed_idx" ON "messages" USING btree ("conversation_id","seq") WHERE "messages"."text_search" is null;