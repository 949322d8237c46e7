CREATE TABLE "endorsements" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"subject_kind" text NOT NULL,
	"subject" text NOT NULL,
	"document" text NOT NULL,
	"created_at" text NOT NULL,
	"withdrawn_at" text
);
--> statement-breakpoint
ALTER TABLE "endorsements" ADD CONSTRAINT "endorsements_org_id_providers_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "endorsements_subject" ON "endorsements" USING btree ("subject_kind","subject");--> statement-breakpoint
CREATE INDEX "endorsements_org" ON "endorsements" USING btree ("org_id");