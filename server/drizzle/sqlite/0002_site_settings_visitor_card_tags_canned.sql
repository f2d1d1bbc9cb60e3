CREATE TABLE `canned` (
	`id` text PRIMARY KEY NOT NULL,
	`shortcut` text NOT NULL,
	`text` text NOT NULL,
	`operator_id` text,
	`site_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`operator_id`) REFERENCES `operators`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `canned_operator_idx` ON `canned` (`operator_id`);--> statement-breakpoint
CREATE INDEX `canned_site_idx` ON `canned` (`site_id`);--> statement-breakpoint
CREATE TABLE `conversation_tags` (
	`conversation_id` text NOT NULL,
	`site_id` text NOT NULL,
	`tag` text NOT NULL,
	PRIMARY KEY(`conversation_id`, `tag`),
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `conversation_tags_site_tag_idx` ON `conversation_tags` (`site_id`,`tag`);--> statement-breakpoint
CREATE TABLE `page_views` (
	`id` integer PRIMARY KEY NOT NULL,
	`visitor_id` text NOT NULL,
	`url` text NOT NULL,
	`title` text,
	`referrer` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`visitor_id`) REFERENCES `visitors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `page_views_visitor_at_idx` ON `page_views` (`visitor_id`,`at`);--> statement-breakpoint
ALTER TABLE `conversations` ADD `tags` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `sites` ADD `lang` text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE `sites` ADD `amber_after_seconds` integer DEFAULT 60 NOT NULL;--> statement-breakpoint
ALTER TABLE `sites` ADD `ring_timeout_seconds` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sites` ADD `auto_away_minutes` integer DEFAULT 10 NOT NULL;--> statement-breakpoint
ALTER TABLE `sites` ADD `typing_preview` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `sites` ADD `prechat` text DEFAULT '{"enabled":false,"requireEmail":false,"topics":[]}' NOT NULL;--> statement-breakpoint
ALTER TABLE `visitors` ADD `user_id` text;--> statement-breakpoint
ALTER TABLE `visitors` ADD `verified` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `visitors` ADD `timezone` text;--> statement-breakpoint
ALTER TABLE `visitors` ADD `attributes` text DEFAULT '{}' NOT NULL;