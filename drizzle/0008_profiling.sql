CREATE TABLE `profile_counts` (
	`questionnaire` text NOT NULL,
	`metric` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`questionnaire`, `metric`)
);
--> statement-breakpoint
CREATE TABLE `profile_results` (
	`id` text PRIMARY KEY NOT NULL,
	`questionnaire` text NOT NULL,
	`answers` text NOT NULL,
	`key_hash` text NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `profile_results_expires` ON `profile_results` (`expires_at`);--> statement-breakpoint
CREATE TABLE `questionnaires` (
	`slug` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`version` integer NOT NULL,
	`definition` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`archived_at` text,
	FOREIGN KEY (`org_id`) REFERENCES `providers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `questionnaires_org` ON `questionnaires` (`org_id`);