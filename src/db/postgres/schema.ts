import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * The PostgreSQL tables: the same as the SQLite ones (`../schema.ts`), column for column, so both
 * backends store the same values (date-times as the ISO text the service writes). The uniqueness the
 * service relies on when several instances share the database is the database's own: API-key hashes,
 * one entry per (status list, index), one idempotency record per (provider, key).
 */
export const organisations = pgTable(
  'providers',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    createdAt: text('created_at').notNull(),
    slug: text('slug').notNull(),
    profile: jsonb('profile').$type<Record<string, unknown>>().notNull().default({}),
    isInstance: boolean('is_instance').notNull().default(false),
  },
  (t) => [uniqueIndex('providers_slug').on(t.slug)],
);

export const organisationKeys = pgTable(
  'organisation_keys',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull().references(() => organisations.id),
    type: text('type').notNull(),
    name: text('name').notNull(),
    publicJwk: jsonb('public_jwk').$type<Record<string, unknown>>().notNull(),
    privateJwe: text('private_jwe').notNull(),
    createdAt: text('created_at').notNull(),
    retiredAt: text('retired_at'),
  },
  (t) => [index('organisation_keys_org').on(t.orgId), uniqueIndex('organisation_keys_name').on(t.name)],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    orgId: text('provider_id').notNull().references(() => organisations.id),
    keyHash: text('key_hash').notNull(),
    keyPrefix: text('key_prefix').notNull(),
    badgeClasses: jsonb('badge_classes').$type<string[]>().notNull(),
    createdAt: text('created_at').notNull(),
    revokedAt: text('revoked_at'),
  },
  (t) => [uniqueIndex('api_keys_key_hash').on(t.keyHash)],
);

export const credentials = pgTable(
  'credentials',
  {
    id: text('id').primaryKey(),
    orgId: text('provider_id').notNull().references(() => organisations.id),
    badgeClass: text('badge_class').notNull(),
    badgeClassVersion: text('badge_class_version').notNull(),
    language: text('language').notNull(),
    issuedAt: text('issued_at').notNull(),
    validUntil: text('valid_until'),
    document: text('document').notNull(),
    jwt: text('jwt').notNull(),
  },
  // Listing newest first by keyset (issued_at, id), with or without a badge class: an index walk at any depth.
  (t) => [index('credentials_provider_issued').on(t.orgId, t.issuedAt, t.id), index('credentials_provider_class').on(t.orgId, t.badgeClass, t.issuedAt, t.id)],
);

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    orgId: text('provider_id').notNull().references(() => organisations.id),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    credentialIds: jsonb('credential_ids').$type<string[]>().notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.key] })],
);

export const statusLists = pgTable('status_lists', {
  id: text('id').primaryKey(),
  orgId: text('org_id').references(() => organisations.id),
  purpose: text('purpose').notNull(),
  size: integer('size').notNull(),
  /** Entries handed out, kept with every insert, so finding a list with room never counts rows. */
  used: integer('used').notNull().default(0),
  createdAt: text('created_at').notNull(),
  signedCredential: text('signed_credential'),
});

export const credentialStatuses = pgTable(
  'credential_statuses',
  {
    credentialId: text('credential_id').primaryKey().references(() => credentials.id),
    listId: text('list_id').notNull().references(() => statusLists.id),
    statusIndex: integer('status_index').notNull(),
    revokedAt: text('revoked_at'),
    reason: text('reason'),
    reasonPublic: boolean('reason_public').notNull().default(false),
  },
  (t) => [uniqueIndex('credential_statuses_list_index').on(t.listId, t.statusIndex), index('credential_statuses_list_revoked').on(t.listId, t.revokedAt)],
);
