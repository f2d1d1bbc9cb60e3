-- Transcript search without diacritics and case on PostgreSQL: the vector is built from the folded text
-- (translate with a fixed map of Latin and Cyrillic letters, see store/transcripts.ts DIACRITICS).
ALTER TABLE "messages" drop column "text_search";--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "text_search" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, translate(lower("text"), 'àáâãäåçèéêëìíîïñòóôõöùúûüýÿāăąćĉċčďēĕėęěĝğġģĥĩīĭįĵķĺļľńņňōŏőŕŗřśŝşšţťũūŭůűųŵŷźżžёй', 'aaaaaaceeeeiiiinooooouuuuyyaaaccccdeeeeegggghiiiijklllnnnooorrrssssttuuuuuuwyzzzеи'))) STORED NOT NULL;--> statement-breakpoint
-- Dropping the column dropped its index; the index is rebuilt over the folded vectors.
CREATE INDEX "messages_text_search_idx" ON "messages" USING gin ("text_search");
