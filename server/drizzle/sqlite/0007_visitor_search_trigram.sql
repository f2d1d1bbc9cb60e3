-- Visitor name / e-mail substring search through a trigram index: the history filter `visitor` tested
-- every conversation of the site (four lowered columns each), 0.3–0.9 s at 100k conversations when the
-- substring is rare. One FTS5 trigram row per conversation holds what that filter reads, lowered
-- (conversation's copy of the name and e-mail, the visitor's current ones, the visitor id); a phrase
-- query over trigrams is a substring match. Kept off the hot path like the message index: the triggers
-- only queue the conversation (one small insert); the deferred indexer (store/sqlite/sqlite-search-index.ts)
-- rewrites queued rows in batches, and a search catches up first.
CREATE VIRTUAL TABLE `visitor_search` USING fts5(
	conversation_name,
	conversation_email,
	visitor_name,
	visitor_email,
	visitor_id,
	tokenize = 'trigram case_sensitive 1',
	columnsize = 0
);
--> statement-breakpoint
-- Conversation ids are text: this gives each one the integer rowid of its visitor_search row (an explicit
-- INTEGER PRIMARY KEY, so VACUUM cannot renumber it).
CREATE TABLE `visitor_search_rows` (
	`id` integer PRIMARY KEY,
	`conversation_id` text NOT NULL UNIQUE
);
--> statement-breakpoint
CREATE TABLE `visitor_search_pending` (
	`conversation_id` text PRIMARY KEY NOT NULL
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TRIGGER `visitor_search_conversation_ai` AFTER INSERT ON `conversations` BEGIN
	INSERT OR IGNORE INTO `visitor_search_pending` VALUES (new.id);
END;
--> statement-breakpoint
CREATE TRIGGER `visitor_search_conversation_au` AFTER UPDATE OF visitor_name, visitor_email, visitor_id ON `conversations` BEGIN
	INSERT OR IGNORE INTO `visitor_search_pending` VALUES (new.id);
END;
--> statement-breakpoint
CREATE TRIGGER `visitor_search_conversation_ad` AFTER DELETE ON `conversations` BEGIN
	INSERT OR IGNORE INTO `visitor_search_pending` VALUES (old.id);
END;
--> statement-breakpoint
CREATE TRIGGER `visitor_search_visitor_au` AFTER UPDATE OF name, email ON `visitors` BEGIN
	INSERT OR IGNORE INTO `visitor_search_pending` SELECT id FROM conversations WHERE visitor_id = new.id;
END;
--> statement-breakpoint
-- Conversations stored before this migration are indexed by the first indexer run after it.
INSERT INTO `visitor_search_pending` SELECT id FROM conversations;
