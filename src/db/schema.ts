import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * Organisations: the training providers, certification bodies and consortium partners that award
 * badges, each an issuer with its own did:web and keys. (The table keeps its first name, `providers`,
 * as do the `provider_id` columns that point at it.) `profile` is the issuer Profile's JSON: names
 * and descriptions per language, url, e-mail, image, address, official identifiers.
 */
export const organisations = sqliteTable(
  'providers',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    createdAt: text('created_at').notNull(),
    slug: text('slug').notNull(),
    profile: text('profile', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default({}),
    /** The instance's own issuer (did:web of the host itself), which issued before organisations existed. */
    isInstance: integer('is_instance', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [uniqueIndex('providers_slug').on(t.slug)],
);

/**
 * An organisation's signing keys. The private key is kept only encrypted, as a compact JWE under the
 * operator's key-encryption key (keys/key-encryption.ts); the public key is what DID documents list.
 * A rotated key is retired: it signs nothing more and stays published, so what it signed still verifies.
 */
export const organisationKeys = sqliteTable(
  'organisation_keys',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull().references(() => organisations.id),
    /** `Ed25519` (Data Integrity) or `RSA` (VC-JWT). */
    type: text('type').notNull(),
    /** Ed25519: the publicKeyMultibase; RSA: the RFC 7638 thumbprint, which names it in URLs and `kid`s. */
    name: text('name').notNull(),
    /** The public key as a JWK (JSON). */
    publicJwk: text('public_jwk', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    /** The private key: a compact JWE (`dir`, `A256GCM`) of its JWK. */
    privateJwe: text('private_jwe').notNull(),
    createdAt: text('created_at').notNull(),
    retiredAt: text('retired_at'),
  },
  (t) => [index('organisation_keys_org').on(t.orgId), uniqueIndex('organisation_keys_name').on(t.name)],
);

/**
 * API keys, stored as SHA-256 hashes (the keys are 256-bit random strings, so a fast hash is enough;
 * the key itself is shown once, at creation). `badgeClasses` is `["*"]` or a list of slugs.
 */
export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    orgId: text('provider_id').notNull().references(() => organisations.id),
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
    orgId: text('provider_id').notNull().references(() => organisations.id),
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
  (t) => [index('credentials_provider_issued').on(t.orgId, t.issuedAt, t.id), index('credentials_provider_class').on(t.orgId, t.badgeClass, t.issuedAt, t.id)],
);

/**
 * Idempotency records: one per (provider, Idempotency-Key). The same key with the same request
 * returns the credentials it created; with another request it is refused.
 */
export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    orgId: text('provider_id').notNull().references(() => organisations.id),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    credentialIds: text('credential_ids', { mode: 'json' }).$type<string[]>().notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.key] })],
);

/**
 * Bitstring status lists (W3C Bitstring Status List v1.0) for revocation. The signed list credential
 * is kept until a bit changes, then signed again on the next request.
 */
export const statusLists = sqliteTable('status_lists', {
  id: text('id').primaryKey(),
  /** The organisation whose key signs the list; lists made before organisations are the instance's. */
  orgId: text('org_id').references(() => organisations.id),
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

