-- Issue #12: the operator's console language (null = follow the browser) and their answer to "do you answer
-- chats?" (null = not asked yet); the offline inbox's shared status of offline messages and missed chats.
ALTER TABLE `operators` ADD `locale` text;
--> statement-breakpoint
ALTER TABLE `operators` ADD `answers_chats` integer;
--> statement-breakpoint
CREATE TABLE `inbox_states` (
	`conversation_id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`status` text NOT NULL,
	`changed_at` integer NOT NULL,
	`changed_by` text,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`changed_by`) REFERENCES `operators`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `inbox_states_site_status_idx` ON `inbox_states` (`site_id`,`status`);
--> statement-breakpoint
CREATE INDEX `conversations_inbox_idx` ON `conversations` (`site_id`,`created_at`) WHERE "conversations"."status" in ('offline', 'missed');
--> statement-breakpoint
-- Before this migration the console listed only the last 20 offline messages and no missed chat: missed
-- chats and offline messages older than 30 days start closed, so an old installation's inbox does not open
-- with years of history in it (they stay in History).
INSERT INTO `inbox_states` (`conversation_id`, `site_id`, `status`, `changed_at`, `changed_by`)
SELECT `id`, `site_id`, 'closed', CAST(strftime('%s', 'now') AS integer) * 1000, NULL FROM `conversations`
WHERE `status` = 'missed'
   OR (`status` = 'offline' AND `created_at` < CAST(strftime('%s', 'now') AS integer) * 1000 - 2592000000);
