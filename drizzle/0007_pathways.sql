CREATE TABLE `pathway_completions` (
	`id` text PRIMARY KEY NOT NULL,
	`pathway` text NOT NULL,
	`org_id` text NOT NULL,
	`learner_key` text NOT NULL,
	`state` text NOT NULL,
	`components` text NOT NULL,
	`award` text,
	`credential_id` text,
	`created_at` text NOT NULL,
	`decided_at` text,
	`decided_by` text,
	FOREIGN KEY (`pathway`) REFERENCES `pathways`(`slug`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`org_id`) REFERENCES `providers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pathway_completions_learner` ON `pathway_completions` (`pathway`,`learner_key`);--> statement-breakpoint
CREATE INDEX `pathway_completions_org_state` ON `pathway_completions` (`org_id`,`state`,`created_at`);--> statement-breakpoint
CREATE TABLE `pathways` (
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
CREATE INDEX `pathways_org` ON `pathways` (`org_id`);