-- Issue #12.8: teams (departments). A site's teams live with the site (ordered list of {id, name}); an
-- operator's memberships are ids in that list; a conversation remembers the team whose queue routes it.
ALTER TABLE "sites" ADD COLUMN "teams" jsonb DEFAULT '[]'::jsonb NOT NULL;
--> statement-breakpoint
ALTER TABLE "operators" ADD COLUMN "team_ids" jsonb DEFAULT '[]'::jsonb NOT NULL;
--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "team_id" text;
