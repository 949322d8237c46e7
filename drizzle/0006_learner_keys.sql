DROP INDEX `credentials_provider_recipient`;--> statement-breakpoint
ALTER TABLE `credentials` ADD `learner_key` text;--> statement-breakpoint
CREATE INDEX `credentials_provider_learner` ON `credentials` (`provider_id`,`learner_key`);--> statement-breakpoint
CREATE INDEX `credentials_legacy_recipient` ON `credentials` (`id`) WHERE recipient_key is not null;