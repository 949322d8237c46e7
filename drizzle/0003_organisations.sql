CREATE TABLE `organisation_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`type` text NOT NULL,
	`name` text NOT NULL,
	`public_jwk` text NOT NULL,
	`private_jwe` text NOT NULL,
	`created_at` text NOT NULL,
	`retired_at` text,
	FOREIGN KEY (`org_id`) REFERENCES `providers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `organisation_keys_org` ON `organisation_keys` (`org_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `organisation_keys_name` ON `organisation_keys` (`name`);--> statement-breakpoint
-- SQLite adds a NOT NULL column only with a default; providers from before organisations get a slug from their id.
ALTER TABLE `providers` ADD `slug` text DEFAULT '' NOT NULL;--> statement-breakpoint
UPDATE `providers` SET `slug` = 'org-' || substr(replace(`id`, '-', ''), 1, 12);--> statement-breakpoint
ALTER TABLE `providers` ADD `profile` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `providers` ADD `is_instance` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `providers_slug` ON `providers` (`slug`);--> statement-breakpoint
ALTER TABLE `status_lists` ADD `org_id` text REFERENCES providers(id);