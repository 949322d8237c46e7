CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`provider_id` text NOT NULL,
	`key_hash` text NOT NULL,
	`key_prefix` text NOT NULL,
	`badge_classes` text NOT NULL,
	`created_at` text NOT NULL,
	`revoked_at` text,
	FOREIGN KEY (`provider_id`) REFERENCES `providers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_key_hash` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE TABLE `credentials` (
	`id` text PRIMARY KEY NOT NULL,
	`provider_id` text NOT NULL,
	`badge_class` text NOT NULL,
	`badge_class_version` text NOT NULL,
	`language` text NOT NULL,
	`issued_at` text NOT NULL,
	`valid_until` text,
	`document` text NOT NULL,
	`jwt` text NOT NULL,
	FOREIGN KEY (`provider_id`) REFERENCES `providers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `credentials_provider_issued` ON `credentials` (`provider_id`,`issued_at`);--> statement-breakpoint
CREATE INDEX `credentials_provider_class` ON `credentials` (`provider_id`,`badge_class`);--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`provider_id` text NOT NULL,
	`key` text NOT NULL,
	`request_hash` text NOT NULL,
	`credential_ids` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`provider_id`, `key`),
	FOREIGN KEY (`provider_id`) REFERENCES `providers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `providers` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` text NOT NULL
);
