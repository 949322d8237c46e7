CREATE TABLE `endorsements` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`subject_kind` text NOT NULL,
	`subject` text NOT NULL,
	`document` text NOT NULL,
	`created_at` text NOT NULL,
	`withdrawn_at` text,
	FOREIGN KEY (`org_id`) REFERENCES `providers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `endorsements_subject` ON `endorsements` (`subject_kind`,`subject`);--> statement-breakpoint
CREATE INDEX `endorsements_org` ON `endorsements` (`org_id`);