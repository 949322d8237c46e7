CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"provider_id" text NOT NULL,
	"key_hash" text NOT NULL,
	"key_prefix" text NOT NULL,
	"badge_classes" jsonb NOT NULL,
	"created_at" text NOT NULL,
	"revoked_at" text
);
--> statement-breakpoint
CREATE TABLE "credential_statuses" (
	"credential_id" text PRIMARY KEY NOT NULL,
	"list_id" text NOT NULL,
	"status_index" integer NOT NULL,
	"revoked_at" text,
	"reason" text,
	"reason_public" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credentials" (
	"id" text PRIMARY KEY NOT NULL,
	"provider_id" text NOT NULL,
	"badge_class" text NOT NULL,
	"badge_class_version" text NOT NULL,
	"language" text NOT NULL,
	"issued_at" text NOT NULL,
	"valid_until" text,
	"document" text NOT NULL,
	"jwt" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"provider_id" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"credential_ids" jsonb NOT NULL,
	"created_at" text NOT NULL,
	CONSTRAINT "idempotency_keys_provider_id_key_pk" PRIMARY KEY("provider_id","key")
);
--> statement-breakpoint
CREATE TABLE "providers" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "status_lists" (
	"id" text PRIMARY KEY NOT NULL,
	"purpose" text NOT NULL,
	"size" integer NOT NULL,
	"created_at" text NOT NULL,
	"signed_credential" text
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credential_statuses" ADD CONSTRAINT "credential_statuses_credential_id_credentials_id_fk" FOREIGN KEY ("credential_id") REFERENCES "public"."credentials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credential_statuses" ADD CONSTRAINT "credential_statuses_list_id_status_lists_id_fk" FOREIGN KEY ("list_id") REFERENCES "public"."status_lists"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credentials" ADD CONSTRAINT "credentials_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_key_hash" ON "api_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "credential_statuses_list_index" ON "credential_statuses" USING btree ("list_id","status_index");--> statement-breakpoint
CREATE INDEX "credential_statuses_list_revoked" ON "credential_statuses" USING btree ("list_id","revoked_at");--> statement-breakpoint
CREATE INDEX "credentials_provider_issued" ON "credentials" USING btree ("provider_id","issued_at");--> statement-breakpoint
CREATE INDEX "credentials_provider_class" ON "credentials" USING btree ("provider_id","badge_class");