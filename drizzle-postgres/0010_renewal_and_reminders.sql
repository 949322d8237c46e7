CREATE TABLE "expiry_reminders" (
	"credential_id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"valid_until" text NOT NULL,
	"due" jsonb NOT NULL,
	"next_due_at" text,
	"address" text,
	"keep_until" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "credentials" ADD COLUMN "renewed_by" text;--> statement-breakpoint
ALTER TABLE "credentials" ADD COLUMN "renews" text;--> statement-breakpoint
ALTER TABLE "expiry_reminders" ADD CONSTRAINT "expiry_reminders_credential_id_credentials_id_fk" FOREIGN KEY ("credential_id") REFERENCES "public"."credentials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expiry_reminders" ADD CONSTRAINT "expiry_reminders_org_id_providers_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "expiry_reminders_due" ON "expiry_reminders" USING btree ("next_due_at") WHERE next_due_at is not null;--> statement-breakpoint
CREATE INDEX "expiry_reminders_kept" ON "expiry_reminders" USING btree ("keep_until");