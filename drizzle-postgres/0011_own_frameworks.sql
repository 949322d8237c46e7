CREATE TABLE "frameworks" (
	"slug" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"version" integer NOT NULL,
	"definition" jsonb NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL,
	"archived_at" text
);
--> statement-breakpoint
ALTER TABLE "frameworks" ADD CONSTRAINT "frameworks_org_id_providers_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "frameworks_org" ON "frameworks" USING btree ("org_id");