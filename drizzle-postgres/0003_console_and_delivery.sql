CREATE TABLE "audit_log" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"subject" text,
	"details" jsonb,
	"at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "badge_class_awarders" (
	"slug" text NOT NULL,
	"org_id" text NOT NULL,
	"created_at" text NOT NULL,
	CONSTRAINT "badge_class_awarders_slug_org_id_pk" PRIMARY KEY("slug","org_id")
);
--> statement-breakpoint
CREATE TABLE "badge_class_versions" (
	"slug" text NOT NULL,
	"version" integer NOT NULL,
	"definition" jsonb NOT NULL,
	"image" "bytea",
	"image_type" text,
	"created_at" text NOT NULL,
	"created_by" text,
	CONSTRAINT "badge_class_versions_slug_version_pk" PRIMARY KEY("slug","version")
);
--> statement-breakpoint
CREATE TABLE "badge_classes" (
	"slug" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"current_version" integer NOT NULL,
	"shared" boolean DEFAULT false NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL,
	"archived_at" text
);
--> statement-breakpoint
CREATE TABLE "credential_suspensions" (
	"credential_id" text PRIMARY KEY NOT NULL,
	"list_id" text NOT NULL,
	"status_index" integer NOT NULL,
	"suspended_at" text,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "issuance_job_rows" (
	"job_id" text NOT NULL,
	"row_number" integer NOT NULL,
	"award" jsonb,
	"row_key" text,
	"state" text NOT NULL,
	"errors" jsonb,
	"credential_id" text,
	CONSTRAINT "issuance_job_rows_job_id_row_number_pk" PRIMARY KEY("job_id","row_number")
);
--> statement-breakpoint
CREATE TABLE "issuance_jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"created_by" text NOT NULL,
	"badge_class" text NOT NULL,
	"file_name" text NOT NULL,
	"state" text NOT NULL,
	"send_email" boolean DEFAULT true NOT NULL,
	"total" integer NOT NULL,
	"valid" integer NOT NULL,
	"issued" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"created_at" text NOT NULL,
	"confirmed_at" text,
	"finished_at" text,
	"locked_until" text
);
--> statement-breakpoint
CREATE TABLE "memberships" (
	"user_id" text NOT NULL,
	"org_id" text NOT NULL,
	"role" text NOT NULL,
	"created_at" text NOT NULL,
	CONSTRAINT "memberships_user_id_org_id_pk" PRIMARY KEY("user_id","org_id")
);
--> statement-breakpoint
CREATE TABLE "one_time_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"purpose" text NOT NULL,
	"email" text,
	"user_id" text,
	"org_id" text,
	"role" text,
	"created_by" text,
	"created_at" text NOT NULL,
	"expires_at" text NOT NULL,
	"used_at" text
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text,
	"kind" text NOT NULL,
	"credential_id" text,
	"recipient" text,
	"language" text NOT NULL,
	"payload" jsonb,
	"state" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" text NOT NULL,
	"locked_until" text,
	"last_error" text,
	"message_id" text,
	"created_at" text NOT NULL,
	"sent_at" text
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"org_id" text,
	"created_at" text NOT NULL,
	"last_seen_at" text NOT NULL,
	"expires_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "usage_counts" (
	"org_id" text NOT NULL,
	"badge_class" text NOT NULL,
	"metric" text NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "usage_counts_org_id_badge_class_metric_pk" PRIMARY KEY("org_id","badge_class","metric")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"password_hash" text,
	"language" text DEFAULT 'en' NOT NULL,
	"created_at" text NOT NULL,
	"disabled_at" text
);
--> statement-breakpoint
ALTER TABLE "credentials" ADD COLUMN "recipient_name" text;--> statement-breakpoint
ALTER TABLE "credentials" ADD COLUMN "recipient_key" text;--> statement-breakpoint
ALTER TABLE "credentials" ADD COLUMN "replaced_by" text;--> statement-breakpoint
ALTER TABLE "credentials" ADD COLUMN "erased_at" text;--> statement-breakpoint
ALTER TABLE "badge_class_awarders" ADD CONSTRAINT "badge_class_awarders_slug_badge_classes_slug_fk" FOREIGN KEY ("slug") REFERENCES "public"."badge_classes"("slug") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_class_awarders" ADD CONSTRAINT "badge_class_awarders_org_id_providers_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_class_versions" ADD CONSTRAINT "badge_class_versions_slug_badge_classes_slug_fk" FOREIGN KEY ("slug") REFERENCES "public"."badge_classes"("slug") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_classes" ADD CONSTRAINT "badge_classes_org_id_providers_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credential_suspensions" ADD CONSTRAINT "credential_suspensions_credential_id_credentials_id_fk" FOREIGN KEY ("credential_id") REFERENCES "public"."credentials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credential_suspensions" ADD CONSTRAINT "credential_suspensions_list_id_status_lists_id_fk" FOREIGN KEY ("list_id") REFERENCES "public"."status_lists"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issuance_job_rows" ADD CONSTRAINT "issuance_job_rows_job_id_issuance_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."issuance_jobs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issuance_jobs" ADD CONSTRAINT "issuance_jobs_org_id_providers_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_org_id_providers_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "one_time_tokens" ADD CONSTRAINT "one_time_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "one_time_tokens" ADD CONSTRAINT "one_time_tokens_org_id_providers_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_org_id_providers_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_org_id_providers_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_org_at" ON "audit_log" USING btree ("org_id","at");--> statement-breakpoint
CREATE INDEX "badge_class_awarders_org" ON "badge_class_awarders" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "badge_classes_org" ON "badge_classes" USING btree ("org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "credential_suspensions_list_index" ON "credential_suspensions" USING btree ("list_id","status_index");--> statement-breakpoint
CREATE INDEX "issuance_jobs_org" ON "issuance_jobs" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "issuance_jobs_state" ON "issuance_jobs" USING btree ("state");--> statement-breakpoint
CREATE INDEX "memberships_org" ON "memberships" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "one_time_tokens_org" ON "one_time_tokens" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "outbox_due" ON "outbox" USING btree ("state","next_attempt_at");--> statement-breakpoint
CREATE INDEX "outbox_credential" ON "outbox" USING btree ("credential_id");--> statement-breakpoint
CREATE INDEX "sessions_user" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email" ON "users" USING btree ("email");--> statement-breakpoint
CREATE INDEX "credentials_provider_recipient" ON "credentials" USING btree ("provider_id","recipient_key");