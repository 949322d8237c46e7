CREATE TABLE "organisation_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"type" text NOT NULL,
	"name" text NOT NULL,
	"public_jwk" jsonb NOT NULL,
	"private_jwe" text NOT NULL,
	"created_at" text NOT NULL,
	"retired_at" text
);
--> statement-breakpoint
-- Providers from before organisations get a slug from their id.
ALTER TABLE "providers" ADD COLUMN "slug" text;--> statement-breakpoint
UPDATE "providers" SET "slug" = 'org-' || substr(replace("id", '-', ''), 1, 12);--> statement-breakpoint
ALTER TABLE "providers" ALTER COLUMN "slug" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "providers" ADD COLUMN "profile" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "providers" ADD COLUMN "is_instance" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "status_lists" ADD COLUMN "org_id" text;--> statement-breakpoint
ALTER TABLE "organisation_keys" ADD CONSTRAINT "organisation_keys_org_id_providers_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "organisation_keys_org" ON "organisation_keys" USING btree ("org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "organisation_keys_name" ON "organisation_keys" USING btree ("name");--> statement-breakpoint
ALTER TABLE "status_lists" ADD CONSTRAINT "status_lists_org_id_providers_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "providers_slug" ON "providers" USING btree ("slug");