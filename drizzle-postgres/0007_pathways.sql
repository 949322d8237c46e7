CREATE TABLE "pathway_completions" (
	"id" text PRIMARY KEY NOT NULL,
	"pathway" text NOT NULL,
	"org_id" text NOT NULL,
	"learner_key" text NOT NULL,
	"state" text NOT NULL,
	"components" jsonb NOT NULL,
	"award" jsonb,
	"credential_id" text,
	"created_at" text NOT NULL,
	"decided_at" text,
	"decided_by" text
);
--> statement-breakpoint
CREATE TABLE "pathways" (
	"slug" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"version" integer NOT NULL,
	"definition" jsonb NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL,
	"archived_at" text
);
--> statement-breakpoint
ALTER TABLE "pathway_completions" ADD CONSTRAINT "pathway_completions_pathway_pathways_slug_fk" FOREIGN KEY ("pathway") REFERENCES "public"."pathways"("slug") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pathway_completions" ADD CONSTRAINT "pathway_completions_org_id_providers_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pathways" ADD CONSTRAINT "pathways_org_id_providers_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "pathway_completions_learner" ON "pathway_completions" USING btree ("pathway","learner_key");--> statement-breakpoint
CREATE INDEX "pathway_completions_org_state" ON "pathway_completions" USING btree ("org_id","state","created_at");--> statement-breakpoint
CREATE INDEX "pathways_org" ON "pathways" USING btree ("org_id");