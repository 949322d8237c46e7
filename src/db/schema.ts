import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** Training providers: the organisations that award badges through the API. */
export const providers = sqliteTable('providers', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: text('created_at').notNull(),
});

/**
 * API keys, stored as SHA-256 hashes (the keys are 256-bit random strings, so a fast hash is enough;
 * the key itself is shown once, at creation). `badgeClasses` is `["*"]` or a list of slugs.
 */
export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    providerId: text('provider_id').notNull().references(() => providers.id),
    keyHash: text('key_hash').notNull(),
    keyPrefix: text('key_prefix').notNull(),
    badgeClasses: text('badge_classes', { mode: 'json' }).$type<string[]>().notNull(),
    createdAt: text('created_at').notNull(),
    revokedAt: text('revoked_at'),
  },
  (t) => [uniqueIndex('api_keys_key_hash').on(t.keyHash)],
);

/** Issued credentials, stored byte-exact as they are served. */
export const credentials = sqliteTable(
  'credentials',
  {
    id: text('id').primaryKey(),
    providerId: text('provider_id').notNull().references(() => providers.id),
    badgeClass: text('badge_class').notNull(),
    badgeClassVersion: text('badge_class_version').notNull(),
    language: text('language').notNull(),
    issuedAt: text('issued_at').notNull(),
    validUntil: text('valid_until'),
    /** The signed credential JSON (Data Integrity proof), exactly as served. */
    document: text('document').notNull(),
    /** The VC-JWT (compact JWS) of the same credential. */
    jwt: text('jwt').notNull(),
  },
  // Listing newest first by keyset (issued_at, id), with or without a badge class: an index walk at any depth.
  (t) => [index('credentials_provider_issued').on(t.providerId, t.issuedAt, t.id), index('credentials_provider_class').on(t.providerId, t.badgeClass, t.issuedAt, t.id)],
);

/**
 * Idempotency records: one per (provider, Idempotency-Key). The same key with the same request
 * returns the credentials it created; with another request it is refused.
 */
export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    providerId: text('provider_id').notNull().references(() => providers.id),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    credentialIds: text('credential_ids', { mode: 'json' }).$type<string[]>().notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.providerId, t.key] })],
);

/**
 * Bitstring status lists (W3C Bitstring Status List v1.0) for revocation. The signed list credential
 * is kept until a bit changes, then signed again on the next request.
 */
export const statusLists = sqliteTable('status_lists', {
  id: text('id').primaryKey(),
  purpose: text('purpose').notNull(),
  size: integer('size').notNull(),
  /** Entries handed out, kept with every insert, so finding a list with room never counts rows. */
  used: integer('used').notNull().default(0),
  createdAt: text('created_at').notNull(),
  /** The signed BitstringStatusListCredential, or null when it must be signed again. */
  signedCredential: text('signed_credential'),
});

/** Each credential's place in a status list, and its revocation. */
export const credentialStatuses = sqliteTable(
  'credential_statuses',
  {
    credentialId: text('credential_id').primaryKey().references(() => credentials.id),
    listId: text('list_id').notNull().references(() => statusLists.id),
    statusIndex: integer('status_index').notNull(),
    revokedAt: text('revoked_at'),
    reason: text('reason'),
    reasonPublic: integer('reason_public', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [uniqueIndex('credential_statuses_list_index').on(t.listId, t.statusIndex), index('credential_statuses_list_revoked').on(t.listId, t.revokedAt)],
);
