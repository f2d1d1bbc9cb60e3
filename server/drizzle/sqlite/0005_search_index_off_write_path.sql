-- Transcript search indexing leaves the write path: the insert trigger cost about 60 % of a stored
-- message. A deferred indexer (store/sqlite/sqlite-search-index.ts) adds new messages to messages_fts in
-- batches right after each commit and on start (so nothing is missing after a crash); `indexed_to` is
-- the id of the last message indexed and commits together with the index rows. Messages at or below it
-- are in the index; deletes and edits of those keep it exact, newer ones are the indexer's.
DROP TRIGGER `messages_fts_ai`;
--> statement-breakpoint
CREATE TABLE `search_index_state` (
	`name` text PRIMARY KEY NOT NULL,
	`indexed_to` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `search_index_state` (`name`, `indexed_to`) VALUES ('messages_fts', (SELECT coalesce(max(`id`), 0) FROM `messages`));
--> statement-breakpoint
DROP TRIGGER `messages_fts_ad`;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_ad` AFTER DELETE ON `messages`
WHEN old.id <= (SELECT `indexed_to` FROM `search_index_state` WHERE `name` = 'messages_fts') BEGIN
	INSERT INTO `messages_fts` (`messages_fts`, rowid, text) VALUES ('delete', old.id, old.text);
END;
--> statement-breakpoint
DROP TRIGGER `messages_fts_au`;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_au` AFTER UPDATE OF text ON `messages`
WHEN old.id <= (SELECT `indexed_to` FROM `search_index_state` WHERE `name` = 'messages_fts') BEGIN
	INSERT INTO `messages_fts` (`messages_fts`, rowid, text) VALUES ('delete', old.id, old.text);
	INSERT INTO `messages_fts` (rowid, text) VALUES (new.id, new.text);
END;
