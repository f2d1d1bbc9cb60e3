-- Issue #12: the operator's console language (null = follow the browser) and their answer to "do you answer
-- chats?" (null = not asked yet); the offline inbox's shared status of offline messages and missed chats.
ALTER TABLE "operators" ADD COLUMN "locale" text;--> statement-breakpoint
ALTER TABLE "operators" ADD COLUMN "answers_chats" boolean;--> statement-breakpoint
CREATE TABLE "inbox_states" (
	"conversation_id" text PRIMARY KEY NOT NULL,
	"site_id" text NOT NULL,
	"status" text NOT NULL,
	"changed_at" bigint NOT NULL,
	"changed_by" text
);
--> statement-breakpoint
ALTER TABLE "inbox_states" ADD CONSTRAINT "inbox_states_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbox_states" ADD CONSTRAINT "inbox_states_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbox_states" ADD CONSTRAINT "inbox_states_changed_by_operators_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."operators"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inbox_states_site_status_idx" ON "inbox_states" USING btree ("site_id","status");--> statement-breakpoint
CREATE INDEX "conversations_inbox_idx" ON "conversations" USING btree ("site_id","created_at") WHERE "conversations"."status" in ('offline', 'missed');--> statement-breakpoint
-- Before this migration the console listed only the last 20 offline messages and no missed chat: missed
-- chats and offline messages older than 30 days start closed, so an old installation's inbox does not open
-- with years of history in it (they stay in History).
INSERT INTO "inbox_states" ("conversation_id", "site_id", "status", "changed_at", "changed_by")
SELECT "id", "site_id", 'closed', (extract(epoch from now()) * 1000)::bigint, NULL FROM "conversations"
WHERE "status" = 'missed'
   OR ("status" = 'offline' AND "created_at" < (extract(epoch from now()) * 1000)::bigint - 2592000000);
