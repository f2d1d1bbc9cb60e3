CREATE TABLE `conversations` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`visitor_id` text NOT NULL,
	`status` text NOT NULL,
	`operator_id` text,
	`created_at` integer NOT NULL,
	`enqueued_at` integer,
	`assigned_at` integer,
	`ended_at` integer,
	`last_seq` integer DEFAULT 0 NOT NULL,
	`rating` text,
	`rating_comment` text,
	`visitor_name` text,
	`visitor_email` text,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`visitor_id`) REFERENCES `visitors`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`operator_id`) REFERENCES `operators`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `conversations_site_created_idx` ON `conversations` (`site_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `conversations_visitor_idx` ON `conversations` (`visitor_id`);--> statement-breakpoint
CREATE INDEX `conversations_operator_created_idx` ON `conversations` (`operator_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `conversations_open_idx` ON `conversations` (`status`) WHERE "conversations"."status" in ('queued', 'active');--> statement-breakpoint
CREATE TABLE `events` (
	`id` integer PRIMARY KEY NOT NULL,
	`site_id` text,
	`conversation_id` text,
	`operator_id` text,
	`type` text NOT NULL,
	`at` integer NOT NULL,
	`data` text,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`operator_id`) REFERENCES `operators`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `events_site_at_idx` ON `events` (`site_id`,`at`);--> statement-breakpoint
CREATE INDEX `events_conversation_idx` ON `events` (`conversation_id`);--> statement-breakpoint
CREATE TABLE `messages` (
	`id` integer PRIMARY KEY NOT NULL,
	`conversation_id` text NOT NULL,
	`seq` integer NOT NULL,
	`client_id` text,
	`author` text NOT NULL,
	`operator_id` text,
	`author_name` text,
	`text` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`operator_id`) REFERENCES `operators`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messages_conversation_seq_uq` ON `messages` (`conversation_id`,`seq`);--> statement-breakpoint
CREATE UNIQUE INDEX `messages_conversation_client_uq` ON `messages` (`conversation_id`,`client_id`) WHERE "messages"."client_id" is not null;--> statement-breakpoint
CREATE TABLE `operator_sites` (
	`operator_id` text NOT NULL,
	`site_id` text NOT NULL,
	PRIMARY KEY(`operator_id`, `site_id`),
	FOREIGN KEY (`operator_id`) REFERENCES `operators`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `operator_sites_site_idx` ON `operator_sites` (`site_id`);--> statement-breakpoint
CREATE TABLE `operators` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`password_hash` text NOT NULL,
	`capacity` integer NOT NULL,
	`status` text NOT NULL,
	`active` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `operators_email_lower_uq` ON `operators` (lower("email"));--> statement-breakpoint
CREATE TABLE `sessions` (
	`token` text PRIMARY KEY NOT NULL,
	`operator_id` text NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`operator_id`) REFERENCES `operators`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_operator_idx` ON `sessions` (`operator_id`);--> statement-breakpoint
CREATE TABLE `sites` (
	`id` text PRIMARY KEY NOT NULL,
	`key` text NOT NULL,
	`name` text NOT NULL,
	`allowed_origins` text NOT NULL,
	`timezone` text NOT NULL,
	`color` text NOT NULL,
	`position` text NOT NULL,
	`launcher_text` text NOT NULL,
	`greeting` text NOT NULL,
	`business_hours` text,
	`alert_after_seconds` integer NOT NULL,
	`sla_seconds` integer NOT NULL,
	`identity_secret` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sites_key_unique` ON `sites` (`key`);--> statement-breakpoint
CREATE TABLE `visitors` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`name` text,
	`email` text,
	`lang` text,
	`user_agent` text,
	`created_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `visitors_site_idx` ON `visitors` (`site_id`);