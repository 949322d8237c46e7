DROP INDEX "credentials_provider_recipient";--> statement-breakpoint
ALTER TABLE "credentials" ADD COLUMN "learner_key" text;--> statement-breakpoint
CREATE INDEX "credentials_provider_learner" ON "credentials" USING btree ("provider_id","learner_key");--> statement-breakpoint
CREATE INDEX "credentials_legacy_recipient" ON "credentials" USING btree ("id") WHERE recipient_key is not null;