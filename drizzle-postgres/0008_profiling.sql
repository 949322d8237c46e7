CREATE TABLE "profile_counts" (
	"questionnaire" text NOT NULL,
	"metric" text NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "profile_counts_questionnaire_metric_pk" PRIMARY KEY("questionnaire","metric")
);
--> statement-breakpoint
CREATE TABLE "profile_results" (
	"id" text PRIMARY KEY NOT NULL,
	"questionnaire" text NOT NULL,
	"answers" jsonb NOT NULL,
	"key_hash" text NOT NULL,
	"created_at" text NOT NULL,
	"expires_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "questionnaires" (
	"slug" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"version" integer NOT NULL,
	"definition" jsonb NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL,
	"archived_at" text
);
--> statement-breakpoint
ALTER TABLE "questionnaires" ADD CONSTRAINT "questionnaires_org_id_providers_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "profile_results_expires" ON "profile_results" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "questionnaires_org" ON "questionnaires" USING btree ("org_id");