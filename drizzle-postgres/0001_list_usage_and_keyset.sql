DROP INDEX "credentials_provider_issued";--> statement-breakpoint
DROP INDEX "credentials_provider_class";--> statement-breakpoint
ALTER TABLE "status_lists" ADD COLUMN "used" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "credentials_provider_issued" ON "credentials" USING btree ("provider_id","issued_at","id");--> statement-breakpoint
CREATE INDEX "credentials_provider_class" ON "credentials" USING btree ("provider_id","badge_class","issued_at","id");--> statement-breakpoint
-- Lists created before the counter: count their entries once.
UPDATE "status_lists" SET "used" = (SELECT count(*) FROM "credential_statuses" WHERE "credential_statuses"."list_id" = "status_lists"."id");