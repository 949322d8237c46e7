CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`subject` text,
	`details` text,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_org_at` ON `audit_log` (`org_id`,`at`);--> statement-breakpoint
CREATE TABLE `badge_class_awarders` (
	`slug` text NOT NULL,
	`org_id` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`slug`, `org_id`),
	FOREIGN KEY (`slug`) REFERENCES `badge_classes`(`slug`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`org_id`) REFERENCES `providers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `badge_class_awarders_org` ON `badge_class_awarders` (`org_id`);--> statement-breakpoint
CREATE TABLE `badge_class_versions` (
	`slug` text NOT NULL,
	`version` integer NOT NULL,
	`definition` text NOT NULL,
	`image` blob,
	`image_type` text,
	`created_at` text NOT NULL,
	`created_by` text,
	PRIMARY KEY(`slug`, `version`),
	FOREIGN KEY (`slug`) REFERENCES `badge_classes`(`slug`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `badge_classes` (
	`slug` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`current_version` integer NOT NULL,
	`shared` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`archived_at` text,
	FOREIGN KEY (`org_id`) REFERENCES `providers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `badge_classes_org` ON `badge_classes` (`org_id`);--> statement-breakpoint
CREATE TABLE `credential_suspensions` (
	`credential_id` text PRIMARY KEY NOT NULL,
	`list_id` text NOT NULL,
	`status_index` integer NOT NULL,
	`suspended_at` text,
	`reason` text,
	FOREIGN KEY (`credential_id`) REFERENCES `credentials`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`list_id`) REFERENCES `status_lists`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `credential_suspensions_list_index` ON `credential_suspensions` (`list_id`,`status_index`);--> statement-breakpoint
CREATE TABLE `issuance_job_rows` (
	`job_id` text NOT NULL,
	`row_number` integer NOT NULL,
	`award` text,
	`row_key` text,
	`state` text NOT NULL,
	`errors` text,
	`credential_id` text,
	PRIMARY KEY(`job_id`, `row_number`),
	FOREIGN KEY (`job_id`) REFERENCES `issuance_jobs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `issuance_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`created_by` text NOT NULL,
	`badge_class` text NOT NULL,
	`file_name` text NOT NULL,
	`state` text NOT NULL,
	`send_email` integer DEFAULT true NOT NULL,
	`total` integer NOT NULL,
	`valid` integer NOT NULL,
	`issued` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	`confirmed_at` text,
	`finished_at` text,
	`locked_until` text,
	FOREIGN KEY (`org_id`) REFERENCES `providers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `issuance_jobs_org` ON `issuance_jobs` (`org_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `issuance_jobs_state` ON `issuance_jobs` (`state`);--> statement-breakpoint
CREATE TABLE `memberships` (
	`user_id` text NOT NULL,
	`org_id` text NOT NULL,
	`role` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`user_id`, `org_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`org_id`) REFERENCES `providers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `memberships_org` ON `memberships` (`org_id`);--> statement-breakpoint
CREATE TABLE `one_time_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`purpose` text NOT NULL,
	`email` text,
	`user_id` text,
	`org_id` text,
	`role` text,
	`created_by` text,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`used_at` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`org_id`) REFERENCES `providers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `one_time_tokens_org` ON `one_time_tokens` (`org_id`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text,
	`kind` text NOT NULL,
	`credential_id` text,
	`recipient` text,
	`language` text NOT NULL,
	`payload` text,
	`state` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text NOT NULL,
	`locked_until` text,
	`last_error` text,
	`message_id` text,
	`created_at` text NOT NULL,
	`sent_at` text,
	FOREIGN KEY (`org_id`) REFERENCES `providers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `outbox_due` ON `outbox` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_credential` ON `outbox` (`credential_id`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`org_id` text,
	`created_at` text NOT NULL,
	`last_seen_at` text NOT NULL,
	`expires_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`org_id`) REFERENCES `providers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sessions_user` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `usage_counts` (
	`org_id` text NOT NULL,
	`badge_class` text NOT NULL,
	`metric` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`org_id`, `badge_class`, `metric`)
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`password_hash` text,
	`language` text DEFAULT 'en' NOT NULL,
	`created_at` text NOT NULL,
	`disabled_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email` ON `users` (`email`);--> statement-breakpoint
ALTER TABLE `credentials` ADD `recipient_name` text;--> statement-breakpoint
ALTER TABLE `credentials` ADD `recipient_key` text;--> statement-breakpoint
ALTER TABLE `credentials` ADD `replaced_by` text;--> statement-breakpoint
ALTER TABLE `credentials` ADD `erased_at` text;--> statement-breakpoint
CREATE INDEX `credentials_provider_recipient` ON `credentials` (`provider_id`,`recipient_key`);