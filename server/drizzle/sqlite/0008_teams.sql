-- Issue #12.8: teams (departments). A site's teams live with the site (ordered list of {id, name}); an
-- operator's memberships are ids in that list; a conversation remembers the team whose queue routes it.
ALTER TABLE `sites` ADD `teams` text DEFAULT '[]' NOT NULL;
--> statement-breakpoint
ALTER TABLE `operators` ADD `team_ids` text DEFAULT '[]' NOT NULL;
--> statement-breakpoint
ALTER TABLE `conversations` ADD `team_id` text;
