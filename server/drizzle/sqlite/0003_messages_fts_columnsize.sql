-- Rebuilds the full-text index with columnsize=0: it skips the per-row size table that only bm25
-- ranking reads (results are ordered by time), one B-tree write less per stored message. The triggers
-- of 0001 name the table, so they keep working on the new one.
DROP TABLE `messages_fts`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `messages_fts` USING fts5(
	text,
	content = 'messages',
	content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2',
	columnsize = 0
);
--> statement-breakpoint
INSERT INTO `messages_fts` (`messages_fts`) VALUES ('rebuild');
