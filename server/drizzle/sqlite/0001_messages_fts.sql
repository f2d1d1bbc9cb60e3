-- Full-text index over message text for transcript search. External content: the text lives once, in
-- messages; the triggers keep the index in the same transaction as every write to messages.
-- unicode61 folds case beyond ASCII (Cyrillic too) and remove_diacritics 2 lets "cafe" find "café".
CREATE VIRTUAL TABLE `messages_fts` USING fts5(
	text,
	content = 'messages',
	content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `messages_fts_ai` AFTER INSERT ON `messages` BEGIN
	INSERT INTO `messages_fts` (rowid, text) VALUES (new.id, new.text);
END;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_ad` AFTER DELETE ON `messages` BEGIN
	INSERT INTO `messages_fts` (`messages_fts`, rowid, text) VALUES ('delete', old.id, old.text);
END;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_au` AFTER UPDATE OF text ON `messages` BEGIN
	INSERT INTO `messages_fts` (`messages_fts`, rowid, text) VALUES ('delete', old.id, old.text);
	INSERT INTO `messages_fts` (rowid, text) VALUES (new.id, new.text);
END;
--> statement-breakpoint
-- Rows written before this migration (none on a fresh install) enter the index too.
INSERT INTO `messages_fts` (`messages_fts`) VALUES ('rebuild');
