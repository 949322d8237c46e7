import { sql } from 'drizzle-orm';
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

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
    /** The learner's name as awarded, for finding awards in the console (also in the document). */
    recipientName: text('recipient_name'),
    /** Before per-organisation learner keys: an instance-wide HMAC of the address. Re-keyed into `learner_key` at start-up and emptied. */
    legacyRecipientKey: text('recipient_key'),
    /** The learner's key in this organisation (recipients/identity.ts `learnerKey`): their awards are found, and pathway progress computed, by it, without storing the address. */
    learnerKey: text('learner_key'),
    /** The credential that corrects this one (re-issue); this one is then revoked. */
    replacedBy: text('replaced_by'),
    /** The renewal that follows this one (credentials/renewal): this one stays valid until its own date, superseded, never revoked. */
    renewedBy: text('renewed_by'),
    /** The credential this one renews. */
    renews: text('renews'),
    /** Erased on request (GDPR Art. 17): the document and personal data are gone, the status entry stays. */
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

/**
 * People who sign in to the console. The e-mail is kept lower-cased; the password only as an argon2id
 * hash (null until an invitation is accepted).
 */
export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash'),
    /** The console's language for this person. */
    language: text('language').notNull().default('en'),
    createdAt: text('created_at').notNull(),
    disabledAt: text('disabled_at'),
  },
  (t) => [uniqueIndex('users_email').on(t.email)],
);

/** A person's role in an organisation: `owner` (people, keys, settings), `issuer` (award, revoke) or `viewer`. */
export const memberships = sqliteTable(
  'memberships',
  {
    userId: text('user_id').notNull().references(() => users.id),
    orgId: text('org_id').notNull().references(() => organisations.id),
    role: text('role').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.orgId] }), index('memberships_org').on(t.orgId)],
);

/** Console sessions: only the SHA-256 of the cookie's token is stored. */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull().references(() => users.id),
    /** The organisation the person is working in. */
    orgId: text('org_id').references(() => organisations.id),
    createdAt: text('created_at').notNull(),
    lastSeenAt: text('last_seen_at').notNull(),
    expiresAt: text('expires_at').notNull(),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

/**
 * One-time links (invitations, password resets, the first owner's link): only the SHA-256 of the
 * token is stored; a link is used once, before it expires.
 */
export const oneTimeTokens = sqliteTable(
  'one_time_tokens',
  {
    id: text('id').primaryKey(),
    /** `invitation`, `password_reset` or `first_owner`. */
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

/**
 * Who awarded, revoked and changed what. `actor` is `user:<id>`, `api-key:<id>`, `cli` or `system`;
 * `details` never holds a learner's name or e-mail address.
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id'),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    subject: text('subject'),
    details: text('details', { mode: 'json' }).$type<Record<string, unknown>>(),
    at: text('at').notNull(),
  },
  (t) => [index('audit_log_org_at').on(t.orgId, t.at)],
);

/**
 * E-mail waiting to be sent, sent or given up: a durable outbox, so no message is lost across
 * restarts. The recipient's address is removed once the message is sent or given up.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').references(() => organisations.id),
    /** `award`, `invitation` or `password_reset`. */
    kind: text('kind').notNull(),
    credentialId: text('credential_id'),
    recipient: text('recipient'),
    language: text('language').notNull(),
    /** What the message needs beyond stored records (a one-time link, a name); removed with the recipient. */
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>(),
    /** `queued`, `sent` or `failed`. */
    state: text('state').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: text('next_attempt_at').notNull(),
    /** Taken by a sender until then; another instance leaves it alone meanwhile. */
    lockedUntil: text('locked_until'),
    lastError: text('last_error'),
    messageId: text('message_id'),
    createdAt: text('created_at').notNull(),
    sentAt: text('sent_at'),
  },
  (t) => [index('outbox_due').on(t.state, t.nextAttemptAt), index('outbox_credential').on(t.credentialId)],
);

/**
 * Badge classes as organisations define them: the owner, the current version, archiving. Each change
 * makes a new version (`badge_class_versions`); awarded credentials keep theirs.
 */
export const badgeClasses = sqliteTable(
  'badge_classes',
  {
    slug: text('slug').primaryKey(),
    orgId: text('org_id').notNull().references(() => organisations.id),
    currentVersion: integer('current_version').notNull(),
    /** Every organisation of the instance may award it (the starter catalog, a consortium's shared badges). */
    shared: integer('shared', { mode: 'boolean' }).notNull().default(false),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    archivedAt: text('archived_at'),
  },
  (t) => [index('badge_classes_org').on(t.orgId)],
);

export const badgeClassVersions = sqliteTable(
  'badge_class_versions',
  {
    slug: text('slug').notNull().references(() => badgeClasses.slug),
    version: integer('version').notNull(),
    /** The badge class (badge-classes/schema.ts) as JSON. */
    definition: text('definition', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    /** An uploaded image (PNG or SVG), or null for the built-in design drawn in each language. */
    image: blob('image', { mode: 'buffer' }),
    imageType: text('image_type'),
    createdAt: text('created_at').notNull(),
    createdBy: text('created_by'),
  },
  (t) => [primaryKey({ columns: [t.slug, t.version] })],
);

/** Organisations other than the owner that may award a badge class (consortium partners). */
export const badgeClassAwarders = sqliteTable(
  'badge_class_awarders',
  {
    slug: text('slug').notNull().references(() => badgeClasses.slug),
    orgId: text('org_id').notNull().references(() => organisations.id),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.slug, t.orgId] }), index('badge_class_awarders_org').on(t.orgId)],
);

/**
 * Issuance from a spreadsheet: the job, and each row validated before anything is signed. Rows are
 * issued with an Idempotency-Key made from their content, so the same row uploaded again is not
 * issued twice, and a job interrupted by a restart picks up where it stopped.
 */
export const issuanceJobs = sqliteTable(
  'issuance_jobs',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull().references(() => organisations.id),
    createdBy: text('created_by').notNull(),
    badgeClass: text('badge_class').notNull(),
    fileName: text('file_name').notNull(),
    /** `preview`, `queued`, `running`, `done`, `cancelled`. */
    state: text('state').notNull(),
    sendEmail: integer('send_email', { mode: 'boolean' }).notNull().default(true),
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

export const issuanceJobRows = sqliteTable(
  'issuance_job_rows',
  {
    jobId: text('job_id').notNull().references(() => issuanceJobs.id),
    rowNumber: integer('row_number').notNull(),
    /** The validated award (with the learner's e-mail), or null when the row is invalid. */
    award: text('award', { mode: 'json' }).$type<Record<string, unknown>>(),
    /** The row's Idempotency-Key. */
    rowKey: text('row_key'),
    /** `invalid`, `pending`, `issued`, `failed`. */
    state: text('state').notNull(),
    errors: text('errors', { mode: 'json' }).$type<Array<{ column: string; code: string; params?: Record<string, string | number> }>>(),
    credentialId: text('credential_id'),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.rowNumber] })],
);

/** Suspension (Bitstring Status List `statusPurpose: suspension`): a second entry per credential, set and cleared. */
export const credentialSuspensions = sqliteTable(
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

/** Counts per badge class (awarded, delivered, claimed, viewed, verified): numbers only, nobody tracked. */
export const usageCounts = sqliteTable(
  'usage_counts',
  {
    orgId: text('org_id').notNull(),
    badgeClass: text('badge_class').notNull(),
    metric: text('metric').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.badgeClass, t.metric] })],
);

/**
 * A table of definitions an organisation keeps whole (DefinitionRecord): one row each, its definition
 * replaced whole with every change (`version` guards against two people changing it at once).
 */
export const definitionTable = <N extends string>(name: N) =>
  sqliteTable(
    name,
    {
      slug: text('slug').primaryKey(),
      orgId: text('org_id').notNull().references(() => organisations.id),
      version: integer('version').notNull(),
      definition: text('definition', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
      createdAt: text('created_at').notNull(),
      updatedAt: text('updated_at').notNull(),
      archivedAt: text('archived_at'),
    },
    (t) => [index(`${name}_org`).on(t.orgId)],
  );
export type DefinitionTable = ReturnType<typeof definitionTable<string>>;

/** Learning pathways (pathways/schema.ts): an organisation's steps of badge classes leading to a capstone badge. */
export const pathways = definitionTable('pathways');

/**
 * A learner's completion of a pathway: one per pathway and learner key. `pending` awaits a
 * coordinator's approval and holds the capstone's award (the learner's address) until it is decided;
 * `awarding` while its capstone is issued; `awarded` with the capstone; or `declined`.
 */
export const pathwayCompletions = sqliteTable(
  'pathway_completions',
  {
    id: text('id').primaryKey(),
    pathway: text('pathway').notNull().references(() => pathways.slug),
    orgId: text('org_id').notNull().references(() => organisations.id),
    learnerKey: text('learner_key').notNull(),
    state: text('state').notNull(),
    /** The credentials that completed it (ids). */
    components: text('components', { mode: 'json' }).$type<string[]>().notNull(),
    award: text('award', { mode: 'json' }).$type<Record<string, unknown>>(),
    credentialId: text('credential_id'),
    createdAt: text('created_at').notNull(),
    decidedAt: text('decided_at'),
    decidedBy: text('decided_by'),
  },
  (t) => [uniqueIndex('pathway_completions_learner').on(t.pathway, t.learnerKey), index('pathway_completions_org_state').on(t.orgId, t.state, t.createdAt)],
);

/**
 * What remains to be said before a credential expires (renewal/reminders.ts): the times its reminders
 * fall due, and the learner's address, encrypted under a secret of the instance, kept only for this
 * (and for the renewal's own award message) until `keep_until`, and deleted with the credential's
 * erasure, revocation or renewal.
 */
export const expiryReminders = sqliteTable(
  'expiry_reminders',
  {
    credentialId: text('credential_id')
      .primaryKey()
      .references(() => credentials.id),
    orgId: text('org_id').notNull().references(() => organisations.id),
    validUntil: text('valid_until').notNull(),
    /** The reminders' due times not yet reached, earliest first (ISO 8601 with milliseconds). */
    due: text('due', { mode: 'json' }).$type<string[]>().notNull(),
    /** The first of `due`, or null once every reminder was sent. */
    nextDueAt: text('next_due_at'),
    /** The learner's address (JWE, `dir` + A256GCM), or null when the badge went to an identifier only. */
    address: text('address'),
    keepUntil: text('keep_until').notNull(),
  },
  (t) => [index('expiry_reminders_due').on(t.nextDueAt).where(sql`next_due_at is not null`), index('expiry_reminders_kept').on(t.keepUntil)],
);

/** Skills self-assessments (profiling/schema.ts), each owned by an organisation. */
export const questionnaires = definitionTable('questionnaires');

/** Competence frameworks organisations define (frameworks/store.ts); the bundled ones are files. */
export const frameworks = definitionTable('frameworks');

/**
 * A self-assessment's result the learner chose to keep, to share its link: the answers only (nothing
 * that names the learner), until the learner deletes it (with the key only they were given) or it expires.
 */
export const profileResults = sqliteTable(
  'profile_results',
  {
    id: text('id').primaryKey(),
    questionnaire: text('questionnaire').notNull(),
    answers: text('answers', { mode: 'json' }).$type<Array<Array<number | null>>>().notNull(),
    /** SHA-256 of the key that deletes it. */
    keyHash: text('key_hash').notNull(),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
  },
  (t) => [index('profile_results_expires').on(t.expiresAt)],
);

/** Anonymous counts of self-assessments, per questionnaire and metric: numbers, never answers of anyone. */
export const profileCounts = sqliteTable(
  'profile_counts',
  {
    questionnaire: text('questionnaire').notNull(),
    metric: text('metric').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.questionnaire, t.metric] })],
);

/**
 * EndorsementCredentials an organisation issued (OB 3.0 §B.1.7): of another organisation's badge class
 * or of an organisation, signed as they are served. A withdrawn one is no longer served nor embedded.
 */
export const endorsements = sqliteTable(
  'endorsements',
  {
    id: text('id').primaryKey(),
    /** The endorsing organisation: the credential's issuer. */
    orgId: text('org_id').notNull().references(() => organisations.id),
    /** `badge_class` (subject: its slug) or `organisation` (subject: its id). */
    subjectKind: text('subject_kind').notNull(),
    subject: text('subject').notNull(),
    document: text('document').notNull(),
    createdAt: text('created_at').notNull(),
    withdrawnAt: text('withdrawn_at'),
  },
  (t) => [index('endorsements_subject').on(t.subjectKind, t.subject), index('endorsements_org').on(t.orgId)],
);
