CREATE TABLE `credential_statuses` (
	`credential_id` text PRIMARY KEY NOT NULL,
	`list_id` text NOT NULL,
	`status_index` integer NOT NULL,
	`revoked_at` text,
	`reason` text,
	`reason_public` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`credential_id`) REFERENCES `credentials`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`list_id`) REFERENCES `status_lists`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `credential_statuses_list_index` ON `credential_statuses` (`list_id`,`status_index`);--> statement-breakpoint
CREATE INDEX `credential_statuses_list_revoked` ON `credential_statuses` (`list_id`,`revoked_at`);--> statement-breakpoint
CREATE TABLE `status_lists` (
	`id` text PRIMARY KEY NOT NULL,
	`purpose` text NOT NULL,
	`size` integer NOT NULL,
	`created_at` text NOT NULL,
	`signed_credential` text
);
