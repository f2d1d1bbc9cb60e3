-- Cluster primitives: routing fence, the visitor's prev-chain that skips notes, one open conversation per
-- visitor, per-language widget texts.
ALTER TABLE `conversations` ADD `last_public_seq` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `conversations` ADD `routing_rev` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `messages` ADD `prev_public` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sites` ADD `texts` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
-- Existing rows get exactly what the writer would have stored: the latest non-note seq before each message.
UPDATE `messages` SET `prev_public` = coalesce(p.prev, 0) FROM (
	SELECT `id`, max(CASE WHEN `author` <> 'note' THEN `seq` END) OVER (
		PARTITION BY `conversation_id` ORDER BY `seq` ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
	) AS prev FROM `messages`
) AS p WHERE `messages`.`id` = p.`id`;--> statement-breakpoint
UPDATE `conversations` SET `last_public_seq` = coalesce((
	SELECT max(`seq`) FROM `messages` m WHERE m.`conversation_id` = `conversations`.`id` AND m.`author` <> 'note'
), 0);--> statement-breakpoint
-- The unique index below would refuse a database where a visitor has two open conversations (only a race
-- before this migration could make one): all but the newest are ended.
UPDATE `conversations` SET `status` = 'ended', `ended_at` = coalesce(`ended_at`, `created_at`)
WHERE `status` IN ('queued', 'active') AND EXISTS (
	SELECT 1 FROM `conversations` n WHERE n.`visitor_id` = `conversations`.`visitor_id`
		AND n.`status` IN ('queued', 'active')
		AND (n.`created_at` > `conversations`.`created_at`
			OR (n.`created_at` = `conversations`.`created_at` AND n.`id` > `conversations`.`id`))
);--> statement-breakpoint
CREATE UNIQUE INDEX `conversations_visitor_open_uq` ON `conversations` (`visitor_id`) WHERE "conversations"."status" in ('queued', 'active');
