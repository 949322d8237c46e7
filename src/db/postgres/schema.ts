import { sql } from 'drizzle-orm';
import { boolean, customType, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

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
    recipientName: text('recipient_name'),
    /** Before per-organisation learner keys: an instance-wide HMAC of the address. Re-keyed into `learner_key` at start-up and emptied. */
    legacyRecipientKey: text('recipient_key'),
    /** The learner's key in this organisation (recipients/identity.ts `learnerKey`): their awards are found, and pathway progress computed, by it, without storing the address. */
    learnerKey: text('learner_key'),
    replacedBy: text('replaced_by'),
    renewedBy: text('renewed_by'),
    renews: text('renews'),
    erasedAt: text('erased_at'),
    /** When the learner first took the badge (downloaded it, or added it to LinkedIn): a time, nothing more. */
    claimedAt: text('claimed_at'),
  },
  // Listing newest first by keyset (issued_at, id), with or without a badge class: an index walk at any depth.
  (t) => [
    index('credentials_provider_issued').on(t.orgId, t.issuedAt, t.id),
    index('credentials_provider_class').on(t.orgId, t.badgeClass, t.issuedAt, t.id),
    index('credentials_provider_learner').on(t.orgId, t.learnerKey),
    // Empty once the start-up has re-keyed them (recipients/rekey.ts): finding none costs nothing.
    index('credentials_legacy_recipient').on(t.id).where(sql`recipient_key is not null`),
  ],
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

export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash'),
    language: text('language').notNull().default('en'),
    createdAt: text('created_at').notNull(),
    disabledAt: text('disabled_at'),
  },
  (t) => [uniqueIndex('users_email').on(t.email)],
);

export const memberships = pgTable(
  'memberships',
  {
    userId: text('user_id').notNull().references(() => users.id),
    orgId: text('org_id').notNull().references(() => organisations.id),
    role: text('role').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.orgId] }), index('memberships_org').on(t.orgId)],
);

export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull().references(() => users.id),
    orgId: text('org_id').references(() => organisations.id),
    createdAt: text('created_at').notNull(),
    lastSeenAt: text('last_seen_at').notNull(),
    expiresAt: text('expires_at').notNull(),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

export const oneTimeTokens = pgTable(
  'one_time_tokens',
  {
    id: text('id').primaryKey(),
    purpose: text('purpose').notNull(),
    email: text('email'),
    userId: text('user_id').references(() => users.id),
    orgId: text('org_id').references(() => organisations.id),
    role: text('role'),
    createdBy: text('created_by'),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    usedAt: text('used_at'),
  },
  (t) => [index('one_time_tokens_org').on(t.orgId)],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id'),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    subject: text('subject'),
    details: jsonb('details').$type<Record<string, unknown>>(),
    at: text('at').notNull(),
  },
  (t) => [index('audit_log_org_at').on(t.orgId, t.at)],
);

export const outbox = pgTable(
  'outbox',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').references(() => organisations.id),
    kind: text('kind').notNull(),
    credentialId: text('credential_id'),
    recipient: text('recipient'),
    language: text('language').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>(),
    state: text('state').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: text('next_attempt_at').notNull(),
    lockedUntil: text('locked_until'),
    lastError: text('last_error'),
    messageId: text('message_id'),
    createdAt: text('created_at').notNull(),
    sentAt: text('sent_at'),
  },
  (t) => [index('outbox_due').on(t.state, t.nextAttemptAt), index('outbox_credential').on(t.credentialId)],
);

export const badgeClasses = pgTable(
  'badge_classes',
  {
    slug: text('slug').primaryKey(),
    orgId: text('org_id').notNull().references(() => organisations.id),
    currentVersion: integer('current_version').notNull(),
    shared: boolean('shared').notNull().default(false),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    archivedAt: text('archived_at'),
  },
  (t) => [index('badge_classes_org').on(t.orgId)],
);

export const badgeClassVersions = pgTable(
  'badge_class_versions',
  {
    slug: text('slug').notNull().references(() => badgeClasses.slug),
    version: integer('version').notNull(),
    definition: jsonb('definition').$type<Record<string, unknown>>().notNull(),
    image: bytea('image'),
    imageType: text('image_type'),
    createdAt: text('created_at').notNull(),
    createdBy: text('created_by'),
  },
  (t) => [primaryKey({ columns: [t.slug, t.version] })],
);

export const badgeClassAwarders = pgTable(
  'badge_class_awarders',
  {
    slug: text('slug').notNull().references(() => badgeClasses.slug),
    orgId: text('org_id').notNull().references(() => organisations.id),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.slug, t.orgId] }), index('badge_class_awarders_org').on(t.orgId)],
);

export const issuanceJobs = pgTable(
  'issuance_jobs',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull().references(() => organisations.id),
    createdBy: text('created_by').notNull(),
    badgeClass: text('badge_class').notNull(),
    fileName: text('file_name').notNull(),
    state: text('state').notNull(),
    sendEmail: boolean('send_email').notNull().default(true),
    total: integer('total').notNull(),
    valid: integer('valid').notNull(),
    issued: integer('issued').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    createdAt: text('created_at').notNull(),
    confirmedAt: text('confirmed_at'),
    finishedAt: text('finished_at'),
    lockedUntil: text('locked_until'),
  },
  (t) => [index('issuance_jobs_org').on(t.orgId, t.createdAt), index('issuance_jobs_state').on(t.state)],
);

export const issuanceJobRows = pgTable(
  'issuance_job_rows',
  {
    jobId: text('job_id').notNull().references(() => issuanceJobs.id),
    rowNumber: integer('row_number').notNull(),
    award: jsonb('award').$type<Record<string, unknown>>(),
    rowKey: text('row_key'),
    state: text('state').notNull(),
    errors: jsonb('errors').$type<Array<{ column: string; code: string; params?: Record<string, string | number> }>>(),
    credentialId: text('credential_id'),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.rowNumber] })],
);

export const credentialSuspensions = pgTable(
  'credential_suspensions',
  {
    credentialId: text('credential_id').primaryKey().references(() => credentials.id),
    listId: text('list_id').notNull().references(() => statusLists.id),
    statusIndex: integer('status_index').notNull(),
    suspendedAt: text('suspended_at'),
    reason: text('reason'),
  },
  (t) => [uniqueIndex('credential_suspensions_list_index').on(t.listId, t.statusIndex)],
);

export const usageCounts = pgTable(
  'usage_counts',
  {
    orgId: text('org_id').notNull(),
    badgeClass: text('badge_class').notNull(),
    metric: text('metric').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.badgeClass, t.metric] })],
);

/** A table of definitions an organisation keeps whole (DefinitionRecord). */
export const definitionTable = <N extends string>(name: N) =>
  pgTable(
    name,
    {
      slug: text('slug').primaryKey(),
      orgId: text('org_id').notNull().references(() => organisations.id),
      version: integer('version').notNull(),
      definition: jsonb('definition').$type<Record<string, unknown>>().notNull(),
      createdAt: text('created_at').notNull(),
      updatedAt: text('updated_at').notNull(),
      archivedAt: text('archived_at'),
    },
    (t) => [index(`${name}_org`).on(t.orgId)],
  );
export type DefinitionTable = ReturnType<typeof definitionTable<string>>;

export const pathways = definitionTable('pathways');

export const pathwayCompletions = pgTable(
  'pathway_completions',
  {
    id: text('id').primaryKey(),
    pathway: text('pathway').notNull().references(() => pathways.slug),
    orgId: text('org_id').notNull().references(() => organisations.id),
    learnerKey: text('learner_key').notNull(),
    state: text('state').notNull(),
    components: jsonb('components').$type<string[]>().notNull(),
    award: jsonb('award').$type<Record<string, unknown>>(),
    credentialId: text('credential_id'),
    createdAt: text('created_at').notNull(),
    decidedAt: text('decided_at'),
    decidedBy: text('decided_by'),
  },
  (t) => [uniqueIndex('pathway_completions_learner').on(t.pathway, t.learnerKey), index('pathway_completions_org_state').on(t.orgId, t.state, t.createdAt)],
);

export const expiryReminders = pgTable(
  'expiry_reminders',
  {
    credentialId: text('credential_id')
      .primaryKey()
      .references(() => credentials.id),
    orgId: text('org_id').notNull().references(() => organisations.id),
    validUntil: text('valid_until').notNull(),
    due: jsonb('due').$type<string[]>().notNull(),
    nextDueAt: text('next_due_at'),
    address: text('address'),
    keepUntil: text('keep_until').notNull(),
  },
  (t) => [index('expiry_reminders_due').on(t.nextDueAt).where(sql`next_due_at is not null`), index('expiry_reminders_kept').on(t.keepUntil)],
);

export const questionnaires = definitionTable('questionnaires');

export const frameworks = definitionTable('frameworks');

export const profileResults = pgTable(
  'profile_results',
  {
    id: text('id').primaryKey(),
    questionnaire: text('questionnaire').notNull(),
    answers: jsonb('answers').$type<Array<Array<number | null>>>().notNull(),
    keyHash: text('key_hash').notNull(),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
  },
  (t) => [index('profile_results_expires').on(t.expiresAt)],
);

export const profileCounts = pgTable(
  'profile_counts',
  {
    questionnaire: text('questionnaire').notNull(),
    metric: text('metric').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.questionnaire, t.metric] })],
);

export const endorsements = pgTable(
  'endorsements',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull().references(() => organisations.id),
    subjectKind: text('subject_kind').notNull(),
    subject: text('subject').notNull(),
    document: text('document').notNull(),
    createdAt: text('created_at').notNull(),
    withdrawnAt: text('withdrawn_at'),
  },
  (t) => [index('endorsements_subject').on(t.subjectKind, t.subject), index('endorsements_org').on(t.orgId)],
);
