CREATE TABLE `expiry_reminders` (
	`credential_id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`valid_until` text NOT NULL,
	`due` text NOT NULL,
	`next_due_at` text,
	`address` text,
	`keep_until` text NOT NULL,
	FOREIGN KEY (`credential_id`) REFERENCES `credentials`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`org_id`) REFERENCES `providers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `expiry_reminders_due` ON `expiry_reminders` (`next_due_at`) WHERE next_due_at is not null;--> statement-breakpoint
CREATE INDEX `expiry_reminders_kept` ON `expiry_reminders` (`keep_until`);--> statement-breakpoint
ALTER TABLE `credentials` ADD `renewed_by` text;--> statement-breakpoint
ALTER TABLE `credentials` ADD `renews` text;