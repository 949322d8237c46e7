/**
 * What the domains need from storage, as async interfaces: domain code depends on these and never on
 * SQL or a driver. Each backend (`sqlite/`, later `postgres/`) implements them, and one contract test
 * suite (`test/db/contract.test.ts`) holds every implementation to the same behaviour.
 */

/** A stored API key: only its hash is kept. */
export interface ApiKeyRecord {
  id: string;
  orgId: string;
  keyHash: string;
  keyPrefix: string;
  /** Slugs this key may award, or `['*']` for all. */
  badgeClasses: string[];
  createdAt: string;
}

/** An organisation (a training provider, certification body or consortium partner): an issuer. */
export interface OrganisationRecord {
  id: string;
  /** Names the organisation in its did:web (`did:web:<host>:orgs:<slug>`) and its addresses. */
  slug: string;
  /** The name shown where no language's name is given. */
  name: string;
  /** The issuer Profile's parts (organisations/profile.ts), as stored JSON. */
  profile: Record<string, unknown>;
  /** The instance's own issuer: its DID is the host's own did:web (or its did:key). */
  isInstance: boolean;
  createdAt: string;
}

/** An organisation's signing key; the private key only as a JWE under the key-encryption key. */
export interface OrganisationKeyRecord {
  id: string;
  orgId: string;
  type: 'Ed25519' | 'RSA';
  /** Ed25519: its publicKeyMultibase; RSA: its RFC 7638 thumbprint. Unique. */
  name: string;
  publicJwk: Record<string, unknown>;
  privateJwe: string;
  createdAt: string;
  /** Set when a newer key took over: it signs nothing more, and stays published. */
  retiredAt: string | null;
}

export interface OrganisationWithKeys {
  id: string;
  slug: string;
  name: string;
  keys: Array<{ id: string; prefix: string; badgeClasses: string[]; revoked: boolean }>;
}

/** The key a hash belongs to, with its organisation. */
export interface KeyMatch {
  keyId: string;
  badgeClasses: string[];
  revoked: boolean;
  org: { id: string; name: string };
}

export interface OrganisationRepository {
  /** The organisation, its signing keys and its first API key (when given): together or not at all. */
  insertOrganisation(org: OrganisationRecord, keys: OrganisationKeyRecord[], firstApiKey?: ApiKeyRecord): Promise<void>;
  byId(id: string): Promise<OrganisationRecord | undefined>;
  bySlug(slug: string): Promise<OrganisationRecord | undefined>;
  /** The instance's own organisation, once it exists. */
  instance(): Promise<OrganisationRecord | undefined>;
  list(): Promise<OrganisationRecord[]>;
  updateProfile(id: string, name: string, profile: Record<string, unknown>): Promise<void>;
  /** The organisation's signing keys, oldest first, retired ones included. */
  signingKeys(orgId: string): Promise<OrganisationKeyRecord[]>;
  /** A signing key by its name (an RSA thumbprint or an Ed25519 multibase), with its organisation's id. */
  signingKeyNamed(name: string): Promise<OrganisationKeyRecord | undefined>;
  /** Adds new signing keys and retires the ones named, together. */
  rotateSigningKeys(orgId: string, added: OrganisationKeyRecord[], retired: string[], at: string): Promise<void>;
  insertKey(key: ApiKeyRecord): Promise<void>;
  /** An organisation's API keys (never the keys themselves), newest first. */
  apiKeysOf(orgId: string): Promise<OrganisationWithKeys['keys']>;
  /** Revokes one of the organisation's API keys: true when it was active. */
  revokeApiKey(orgId: string, keyId: string, at: string): Promise<boolean>;
  exists(orgId: string): Promise<boolean>;
  listWithKeys(): Promise<OrganisationWithKeys[]>;
  findKeyByHash(keyHash: string): Promise<KeyMatch | undefined>;
}

/** An issued credential, stored byte-exact as it is served. */
export interface CredentialRecord {
  id: string;
  orgId: string;
  badgeClass: string;
  badgeClassVersion: string;
  language: string;
  issuedAt: string;
  validUntil: string | null;
  /** The signed credential JSON (Data Integrity proof). */
  document: string;
  /** The VC-JWT of the same credential; null until it is first asked for. */
  jwt: string | null;
  /** The learner's name as awarded (also in the document), for finding awards. */
  recipientName?: string | null;
  /** The learner's key in the organisation, a keyed hash of their address (recipients/identity.ts), for finding their awards. */
  learnerKey?: string | null;
  /** The credential it renews (credentials/renewal), if it is a renewal. */
  renews?: string | null;
}

/**
 * How both backends store a VC-JWT not signed yet: an empty string in the NOT NULL column (SQLite
 * cannot drop NOT NULL without rebuilding the table, which on millions of rows would hold start-up).
 */
export const UNSIGNED_JWT = '';
export const storedJwt = (jwt: string | null): string => jwt ?? UNSIGNED_JWT;
export const withJwt = <T extends { jwt: string }>(row: T): Omit<T, 'jwt'> & { jwt: string | null } => ({ ...row, jwt: row.jwt === UNSIGNED_JWT ? null : row.jwt });
/**
 * What an erased credential's NOT NULL `document` holds: nothing (its `erased_at` says why). Its
 * `jwt` is emptied too; `saveJwt` never fills the VC-JWT of an erased credential again.
 */
export const ERASED_DOCUMENT = '';
/** What erasure writes over a credential's row, the same on both backends. */
export const erasedColumns = (at: string) => ({ document: ERASED_DOCUMENT, jwt: '', recipientName: null, learnerKey: null, erasedAt: at });

/** A stored credential as it is served; its badge class, for the usage counts (read with it, never parsed from it). */
export type StoredDocument = Pick<CredentialRecord, 'id' | 'orgId' | 'badgeClass' | 'document' | 'jwt'>;
export type CredentialSummaryRow = Pick<CredentialRecord, 'id' | 'badgeClass' | 'language' | 'issuedAt' | 'validUntil'>;

/**
 * What the console finds awards by. States, the first that applies: `revoked`, `suspended`, `expired`
 * once validUntil passed, `active`.
 */
export interface AwardSearch {
  learnerKey?: string;
  /** Part of the learner's name, in any case. */
  name?: string;
  badgeClass?: string;
  state?: 'active' | 'suspended' | 'revoked' | 'expired';
  /** Awarded from/to (date-times). */
  from?: string;
  to?: string;
  now: string;
  limit: number;
  after?: { issuedAt: string; id: string };
}

export interface AwardRow {
  id: string;
  badgeClass: string;
  language: string;
  issuedAt: string;
  validUntil: string | null;
  recipientName: string | null;
  revokedAt: string | null;
  reason: string | null;
  suspendedAt: string | null;
  suspensionReason: string | null;
  /** The credential that corrected this one (re-issue). */
  replacedBy: string | null;
  /** Its renewal, which supersedes it. */
  renewedBy: string | null;
  /** When it was erased on request; its name is gone then. */
  erasedAt: string | null;
}

/**
 * What a credential is now, beside its document: its status entry, its replacement and its erasure.
 * One row read by its key, on every view: SQLite reads it each time; PostgreSQL keeps it while the
 * database tells the instance of every change (postgres/state-cache.ts), so a change made by any
 * instance shows within milliseconds, and one made by this instance at once.
 */
export interface CredentialState extends StatusEntryState {
  id: string;
  orgId: string;
  badgeClass: string;
  /** Its status list, or null for a credential issued without an entry. */
  listId: string | null;
  replacedBy: string | null;
  /** The renewal that supersedes it; it stays valid until its own date. */
  renewedBy: string | null;
  /** The credential it renews. */
  renews: string | null;
  erasedAt: string | null;
  /** The learner's lookup key, which a re-issue that names no learner carries over. */
  learnerKey: string | null;
  /** While it is suspended: since when. */
  suspendedAt: string | null;
  /** When the learner first took it (a download, or "add to LinkedIn"). */
  claimedAt: string | null;
}

export interface CredentialListQuery {
  badgeClass?: string;
  limit: number;
  after?: { issuedAt: string; id: string };
  offset?: number;
  withTotal?: boolean;
}

export interface CredentialRepository {
  insert(rows: CredentialRecord[]): Promise<void>;
  get(id: string): Promise<StoredDocument | undefined>;
  getMany(ids: string[]): Promise<StoredDocument[]>;
  /** Keeps a VC-JWT signed after issuance; one already kept stays (signing again gives the same bytes), and an erased credential gets none. */
  saveJwt(id: string, jwt: string): Promise<void>;
  /**
   * The credential's state now (see `CredentialState`). `lock`, in a transaction, reads the database
   * and holds its row until the transaction ends (PostgreSQL; SQLite's transactions run one at a time), as revoking does.
   */
  stateOf(id: string, options?: { lock?: boolean }): Promise<CredentialState | undefined>;
  /** Links a credential to the one that corrects it, unless it was already replaced or erased: true when this call linked it. */
  markReplaced(id: string, replacedBy: string): Promise<boolean>;
  /** Links a credential to its renewal, unless it was already renewed, replaced or erased: true when this call linked it. */
  markRenewed(id: string, renewedBy: string): Promise<boolean>;
  /**
   * Erases a credential (GDPR Art. 17): its document and VC-JWT emptied, the learner's name and lookup
   * key cleared, `erasedAt` set. One already erased stays as it was: true when this call erased it.
   */
  erase(id: string, at: string): Promise<boolean>;
  /** An organisation's awards that match, newest first, with their state. */
  search(orgId: string, query: AwardSearch): Promise<AwardRow[]>;
  /** How many credentials an organisation awarded, per badge class, and how many of them their learners took. */
  countByBadgeClass(orgId: string): Promise<Array<{ badgeClass: string; awarded: number; claimed: number }>>;
  /** Notes when the learner first took the credential; later calls, and an erased credential, change nothing. */
  markClaimed(id: string, at: string): Promise<void>;
  /**
   * A provider's credentials, newest first: after a keyset position (`after`, the last row of the
   * previous page; it costs the same at any depth) or at an offset; counted only when asked.
   */
  list(orgId: string, query: CredentialListQuery): Promise<{ total?: number; items: CredentialSummaryRow[] }>;
  /** Credentials still holding a learner's key from before keys were per organisation, a batch at a time. */
  legacyLearnerKeys(limit: number): Promise<Array<{ id: string; orgId: string; key: string }>>;
  /** Stores their organisations' keys, emptying the old ones, together. */
  setLearnerKeys(rows: Array<{ id: string; learnerKey: string }>): Promise<void>;
}

export interface IdempotencyRecord {
  orgId: string;
  key: string;
  requestHash: string;
  credentialIds: string[];
  createdAt: string;
}

export interface IdempotencyRepository {
  find(orgId: string, key: string): Promise<IdempotencyRecord | undefined>;
  /** Which of these keys the organisation has used, with the credentials each gave. */
  findMany(orgId: string, keys: string[]): Promise<Array<Pick<IdempotencyRecord, 'key' | 'credentialIds'>>>;
  insert(record: IdempotencyRecord): Promise<void>;
}

export interface StatusListRecord {
  id: string;
  /** The organisation whose key signs the list (null only for lists not yet adopted by the instance). */
  orgId: string | null;
  purpose: string;
  size: number;
  createdAt: string;
  /** The signed list credential, or null when it must be signed again. */
  signedCredential: string | null;
}

export interface StatusEntryState {
  revokedAt: string | null;
  reason: string | null;
  reasonPublic: boolean;
}

/** A credential's revocation and, while it is suspended, when it was suspended. */
export interface StatusEntryWithSuspension extends StatusEntryState {
  suspendedAt: string | null;
}

/**
 * A suspension: the credential's bit in the suspension list that runs parallel to its revocation list
 * (same organisation, same size, the same index as its revocation entry). Reinstating deletes it.
 */
export interface SuspensionRecord {
  credentialId: string;
  /** The suspension list (a `status_lists` row of purpose `suspension`). */
  listId: string;
  statusIndex: number;
  suspendedAt: string;
  /** Kept for the organisation; never published. */
  reason: string | null;
}

export interface StatusRepository {
  /** An organisation's lists of a purpose with the number of entries handed out in each, oldest first. */
  listsInUse(orgId: string, purpose: string): Promise<Array<{ id: string; used: number }>>;
  createList(list: Omit<StatusListRecord, 'signedCredential' | 'orgId'> & { orgId: string }): Promise<void>;
  /** Creates the list unless one with its id exists (another instance may have made it meanwhile). */
  ensureList(list: Omit<StatusListRecord, 'signedCredential' | 'orgId'> & { orgId: string }): Promise<void>;
  /** Gives the lists made before organisations to the instance's organisation. */
  adoptLists(orgId: string): Promise<void>;
  getList(listId: string): Promise<StatusListRecord | undefined>;
  /** Which of `indexes` are taken in the list: one query however many are asked. */
  takenIndexes(listId: string, indexes: number[]): Promise<number[]>;
  /**
   * The organisation's oldest list of a purpose with fewer than `below` entries, and which of
   * `indexes` it has taken: what allocating a status index usually needs, in one query.
   */
  listWithRoom(orgId: string, purpose: string, below: number, indexes: number[]): Promise<{ id: string; used: number; taken: number[] } | undefined>;
  insertEntries(rows: Array<{ credentialId: string; listId: string; statusIndex: number }>): Promise<void>;
  /** The credential's issuer and status entry, for revoking or suspending it (PostgreSQL locks the credential until the transaction ends). */
  credentialEntry(credentialId: string): Promise<({ orgId: string; listId: string | null; statusIndex: number | null } & StatusEntryState) | undefined>;
  /** Sets the revocation and marks the list's signed credential stale, together. */
  revoke(credentialId: string, listId: string, state: StatusEntryState): Promise<void>;
  entryAt(listId: string, index: number): Promise<StatusEntryState | undefined>;
  entryOf(credentialId: string): Promise<StatusEntryWithSuspension | undefined>;
  revokedIndexes(listId: string): Promise<number[]>;
  /** Stores a signed list unless it changed since `revokedCount` entries were read as revoked. */
  saveSignedList(listId: string, signed: string, revokedCount: number): Promise<void>;
  /** The credential's suspension, while it is suspended. */
  suspensionOf(credentialId: string): Promise<SuspensionRecord | undefined>;
  /** The suspension at an index of a suspension list, if that bit is set. */
  suspensionAt(listId: string, index: number): Promise<Pick<SuspensionRecord, 'suspendedAt'> | undefined>;
  /** Sets the suspension (replacing one already there) and marks the list's signed credential stale, together. */
  suspend(record: SuspensionRecord): Promise<void>;
  /** Ends the credential's suspension and marks the list's signed credential stale, together. */
  reinstate(credentialId: string, listId: string): Promise<void>;
  /** The set bits of a suspension list, ascending. */
  suspendedIndexes(listId: string): Promise<number[]>;
  /**
   * Stores a signed suspension list unless its bits changed since `suspended` was read. Bits are set
   * and cleared, so the indexes themselves are compared, not their count.
   */
  saveSignedSuspensions(listId: string, signed: string, suspended: number[]): Promise<void>;
}

/** A person's role in an organisation. */
export type Role = 'owner' | 'issuer' | 'viewer';

export interface UserRecord {
  id: string;
  /** Lower-cased. */
  email: string;
  name: string;
  /** argon2id PHC string; null until the person sets a password. */
  passwordHash: string | null;
  language: string;
  createdAt: string;
  disabledAt: string | null;
}

export interface MembershipRecord {
  userId: string;
  orgId: string;
  role: Role;
  createdAt: string;
}

export interface SessionRecord {
  /** SHA-256 of the cookie's token. */
  id: string;
  userId: string;
  orgId: string | null;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

export interface OneTimeTokenRecord {
  /** SHA-256 of the token. */
  id: string;
  purpose: 'invitation' | 'password_reset' | 'first_owner';
  email: string | null;
  userId: string | null;
  orgId: string | null;
  role: Role | null;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

export interface AuditRecord {
  id: string;
  orgId: string | null;
  /** `user:<id>`, `api-key:<id>`, `cli` or `system`. */
  actor: string;
  action: string;
  subject: string | null;
  /** Never a learner's name or e-mail address. */
  details: Record<string, unknown> | null;
  at: string;
}

export interface AccountRepository {
  userByEmail(email: string): Promise<UserRecord | undefined>;
  userById(id: string): Promise<UserRecord | undefined>;
  insertUser(user: UserRecord): Promise<void>;
  updateUser(id: string, patch: Partial<Pick<UserRecord, 'name' | 'passwordHash' | 'language' | 'disabledAt'>>): Promise<void>;
  /** The organisations a person belongs to, with their role in each, by name. */
  membershipsOf(userId: string): Promise<Array<MembershipRecord & { orgName: string; orgSlug: string }>>;
  /** An organisation's people, by name. */
  membersOf(orgId: string): Promise<Array<MembershipRecord & { email: string; name: string; disabledAt: string | null }>>;
  /** Adds the person to the organisation, or changes their role there. */
  setMembership(membership: MembershipRecord): Promise<void>;
  removeMembership(userId: string, orgId: string): Promise<void>;
  insertToken(token: OneTimeTokenRecord): Promise<void>;
  tokenById(id: string): Promise<OneTimeTokenRecord | undefined>;
  /** Marks the token used, unless it already was or has expired: true when this call used it. */
  useToken(id: string, at: string): Promise<boolean>;
  /** Invitations not yet used nor expired. */
  pendingInvitations(orgId: string, now: string): Promise<OneTimeTokenRecord[]>;
  insertSession(session: SessionRecord): Promise<void>;
  sessionById(id: string): Promise<SessionRecord | undefined>;
  touchSession(id: string, lastSeenAt: string, expiresAt: string): Promise<void>;
  setSessionOrg(id: string, orgId: string): Promise<void>;
  deleteSession(id: string): Promise<void>;
  deleteSessionsOf(userId: string): Promise<void>;
  insertAudit(record: AuditRecord): Promise<void>;
  /** An organisation's audit log, newest first, before a position (keyset on (at, id)). */
  auditOf(orgId: string, query: { limit: number; before?: { at: string; id: string } }): Promise<AuditRecord[]>;
}

/** A badge class as stored: its owner, its current version's definition and image, its state. */
export interface BadgeClassRecord {
  slug: string;
  orgId: string;
  version: number;
  /** The badge class (badge-classes/schema.ts) of the current version, as JSON. */
  definition: Record<string, unknown>;
  image: { type: string; data: Buffer } | null;
  archivedAt: string | null;
  /** Every organisation of the instance may award it. */
  shared: boolean;
  createdAt: string;
  updatedAt: string;
  /** Other organisations allowed to award it. */
  awarders: string[];
}

export interface BadgeClassVersionRecord {
  slug: string;
  version: number;
  definition: Record<string, unknown>;
  image: { type: string; data: Buffer } | null;
  createdAt: string;
  createdBy: string | null;
}

export interface BadgeClassRepository {
  /** Every badge class with its current version: the catalog is small (hundreds), read whole. */
  listCurrent(): Promise<BadgeClassRecord[]>;
  /** The latest change of any badge class, to notice another instance's changes cheaply. */
  lastChange(): Promise<string | null>;
  count(): Promise<number>;
  /** A new badge class with its first version; a taken slug is a `conflict`. */
  insert(record: Omit<BadgeClassRecord, 'awarders'>, createdBy: string | null): Promise<void>;
  /** A new version becomes current; refused (`conflict`) when `expectedVersion` is no longer current. */
  addVersion(version: BadgeClassVersionRecord, expectedVersion: number): Promise<void>;
  setArchived(slug: string, archivedAt: string | null, at: string): Promise<void>;
  setAwarders(slug: string, orgIds: string[], at: string): Promise<void>;
  setShared(slug: string, shared: boolean, at: string): Promise<void>;
  versions(slug: string): Promise<Array<Pick<BadgeClassVersionRecord, 'version' | 'createdAt' | 'createdBy'>>>;
  getVersion(slug: string, version: number): Promise<BadgeClassVersionRecord | undefined>;
}

/** What an e-mail in the outbox is: an award to a learner, or a console message. */
export type OutboxKind = 'award' | 'invitation' | 'password_reset' | 'expiry_reminder' | 'expiry_notice';
export type OutboxState = 'queued' | 'sent' | 'failed';

/**
 * A message put in the outbox, due at `nextAttemptAt`. Times are `Date.toISOString()` text, so they
 * compare as strings on both backends.
 */
export interface OutboxRecord {
  id: string;
  orgId: string | null;
  kind: OutboxKind;
  /** The credential an award message announces. */
  credentialId: string | null;
  /** The address; kept only until the message is sent or given up. */
  recipient: string;
  /** The message's language (the award's). */
  language: string;
  /** What the message needs beyond stored records (a one-time link); removed with the recipient. */
  payload: Record<string, unknown> | null;
  createdAt: string;
  nextAttemptAt: string;
}

/** A message a sender has claimed: nobody else sends it until `lockedUntil`. */
export interface ClaimedMessage extends OutboxRecord {
  /** Attempts made before this one. */
  attempts: number;
  lockedUntil: string;
}

/** Where the award message of a credential stands (the latest, should there be several). */
export interface DeliveryState {
  credentialId: string;
  state: OutboxState;
  attempts: number;
  /** Why the last attempt failed: a code and the server's reply, never an address. */
  lastError: string | null;
  /** When a queued message is tried next. */
  nextAttemptAt: string;
  sentAt: string | null;
}

export type DeliveryCounts = Record<OutboxState, number>;

export interface OutboxRepository {
  insert(rows: OutboxRecord[]): Promise<void>;
  /**
   * Takes up to `limit` queued messages due at `now` that no sender holds (never locked, or its lock
   * ran out), oldest due first, locking each until `lockedUntil` in the same statement: two senders
   * never take the same message.
   */
  claim(now: string, lockedUntil: string, limit: number): Promise<ClaimedMessage[]>;
  /**
   * Gives back messages a claim (`lockedUntil`) took and did not try, for any sender to take at once;
   * one whose lock ran out and was claimed again stays with its new claimer.
   */
  release(ids: string[], lockedUntil: string): Promise<void>;
  /** Sent: the address and payload are removed. Applies only to a message still queued. */
  markSent(id: string, at: string, messageId: string): Promise<void>;
  /** A failed attempt that may succeed later: counted, and tried again at `nextAttemptAt`. */
  retryAt(id: string, nextAttemptAt: string, lastError: string): Promise<void>;
  /** Given up: counted, the address and payload removed. */
  markFailed(id: string, lastError: string): Promise<void>;
  /**
   * Deletes a credential's award messages still queued, their addresses with them (the credential was
   * erased); sent and given-up ones hold no address and stay. How many were deleted.
   */
  dropQueued(credentialId: string): Promise<number>;
  /** The award messages of these credentials, one per credential that has one. */
  deliveryOf(credentialIds: string[]): Promise<DeliveryState[]>;
  /**
   * An organisation's award messages per state, in all and per badge class (read through its
   * credentials, so it costs what listing them does, however large the outbox).
   */
  countsOf(orgId: string): Promise<DeliveryCounts & { byBadgeClass: Array<{ badgeClass: string } & DeliveryCounts> }>;
}

/** A spreadsheet issuance: `preview` until someone confirms it, then `queued`, `running`, `done` (or `cancelled`). */
export type IssuanceJobState = 'preview' | 'queued' | 'running' | 'done' | 'cancelled';
/** A row: `invalid` (never issued), `pending`, `issued`, `failed` (could not be issued when its turn came). */
export type IssuanceJobRowState = 'invalid' | 'pending' | 'issued' | 'failed';

export interface IssuanceJobRecord {
  id: string;
  orgId: string;
  /** `user:<id>` or `api-key:<id>`. */
  createdBy: string;
  badgeClass: string;
  fileName: string;
  state: IssuanceJobState;
  sendEmail: boolean;
  /** Rows in the sheet, rows that can be issued, and how those went. */
  total: number;
  valid: number;
  issued: number;
  failed: number;
  createdAt: string;
  confirmedAt: string | null;
  finishedAt: string | null;
}

/** What is wrong with a row: a stable code, the column, the code's parameters; never the cell's text. */
export interface RowProblemRecord {
  column: string;
  code: string;
  params?: Record<string, string | number>;
}

export interface IssuanceJobRowRecord {
  jobId: string;
  /** As the spreadsheet numbers it: the header is row 1. */
  rowNumber: number;
  /** The checked award, learner's address included, until the row is issued; then null. */
  award: Record<string, unknown> | null;
  /** The row's Idempotency-Key: the same row is issued once however often the sheet is uploaded. */
  rowKey: string | null;
  state: IssuanceJobRowState;
  errors: RowProblemRecord[] | null;
  credentialId: string | null;
}

export interface IssuanceJobRepository {
  /** The job with all its rows: together or not at all. */
  insert(job: IssuanceJobRecord, rows: IssuanceJobRowRecord[]): Promise<void>;
  get(orgId: string, id: string): Promise<IssuanceJobRecord | undefined>;
  /** An organisation's jobs, newest first. */
  list(orgId: string, limit: number): Promise<IssuanceJobRecord[]>;
  /** Rows in order, after a row number, of some states (all when none given). */
  rows(jobId: string, query: { states?: IssuanceJobRowState[]; afterRow?: number; limit: number }): Promise<IssuanceJobRowRecord[]>;
  /** preview → queued; false when the job is not (or no longer) a preview. */
  confirm(orgId: string, id: string, at: string): Promise<boolean>;
  /** A preview, queued or running job → cancelled (its pending rows stay unissued); false otherwise. */
  cancel(orgId: string, id: string, at: string): Promise<boolean>;
  /**
   * Takes one queued or running job that no runner holds (never locked, or its lock ran out), oldest
   * confirmed first, marking it running and locked until `lockedUntil` in the same statement: two
   * runners never take the same job.
   */
  claim(now: string, lockedUntil: string): Promise<IssuanceJobRecord | undefined>;
  /** Extends this runner's lock (`heldUntil`): false when the job is no longer its own or no longer running. */
  renew(id: string, heldUntil: string, lockedUntil: string): Promise<boolean>;
  /**
   * A pending row's outcome, counted into its job in the same write. An issued row keeps its
   * credential and forgets the award (the learner's address and name). A row no longer pending is left.
   */
  markRow(jobId: string, rowNumber: number, outcome: { state: 'issued'; credentialId: string } | { state: 'failed'; errors: RowProblemRecord[] }): Promise<void>;
  /** running → done, its lock released; the awards of any row not issued are forgotten. */
  finish(id: string, at: string): Promise<void>;
  /** Previews never confirmed, made before `before`, removed with their rows: how many. */
  deleteStalePreviews(before: string): Promise<number>;
}

/**
 * What is counted per badge class besides the stored rows (src/usage): events, never who. `views` of
 * the public page, `downloads` (images, JSON, VC-JWT, certificate, LinkedIn), `verifications` by our verifier.
 */
export const USAGE_METRICS = ['views', 'downloads', 'verifications'] as const;
export type UsageMetric = (typeof USAGE_METRICS)[number];

export interface UsageIncrement {
  orgId: string;
  badgeClass: string;
  metric: UsageMetric;
  count: number;
}

export interface UsageRepository {
  /**
   * Adds each increment to its stored count: an upsert that adds (`count = count + excluded.count`),
   * so instances sharing a database add up rather than overwrite each other. One increment per key.
   */
  add(increments: UsageIncrement[]): Promise<void>;
  /** An organisation's counts, per badge class and metric. */
  countsOf(orgId: string): Promise<Array<Omit<UsageIncrement, 'orgId'>>>;
}

/** Increments in the same key order on every instance: two upserts that overlap lock their rows in one order. */
export const byUsageKey = (a: UsageIncrement, b: UsageIncrement): number =>
  a.orgId < b.orgId ? -1 : a.orgId > b.orgId ? 1 : a.badgeClass < b.badgeClass ? -1 : a.badgeClass > b.badgeClass ? 1 : a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0;

/**
 * A definition an organisation keeps whole (a learning pathway, a questionnaire): its owner, its
 * definition as JSON, its state. There are few, so they are read whole.
 */
export interface DefinitionRecord {
  slug: string;
  orgId: string;
  /** Counts the changes: an update names the version it changes. */
  version: number;
  definition: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
}

export interface DefinitionRepository {
  list(): Promise<DefinitionRecord[]>;
  /** The latest change of any of them, to notice another instance's changes cheaply. */
  lastChange(): Promise<string | null>;
  /** A taken slug is a `conflict`. */
  insert(record: DefinitionRecord): Promise<void>;
  /** Replaces the definition; a `conflict` when `record.version - 1` is no longer the stored version. */
  update(record: Omit<DefinitionRecord, 'createdAt' | 'orgId' | 'archivedAt'>): Promise<void>;
  setArchived(slug: string, archivedAt: string | null, at: string): Promise<void>;
}

/** `pending` (awaiting a coordinator), `awarding` (its capstone being issued), `awarded`, `declined`. */
export type CompletionState = 'pending' | 'awarding' | 'awarded' | 'declined';

/** A learner's completion of a pathway: one per pathway and learner key. */
export interface PathwayCompletionRecord {
  id: string;
  pathway: string;
  orgId: string;
  learnerKey: string;
  state: CompletionState;
  /** The credentials that completed it. */
  components: string[];
  /** The capstone's award (the learner's address in it) while it waits to be issued; then null. */
  award: Record<string, unknown> | null;
  /** The capstone credential, once issued. */
  credentialId: string | null;
  createdAt: string;
  decidedAt: string | null;
  /** Who approved or declined it (`user:<id>`, `api-key:<id>`). */
  decidedBy: string | null;
}

export interface PathwayRepository extends DefinitionRepository {
  /** A learner's completion of a pathway. */
  completionOf(pathway: string, learnerKey: string): Promise<PathwayCompletionRecord | undefined>;
  completionById(orgId: string, id: string): Promise<PathwayCompletionRecord | undefined>;
  /** Records a completion unless the learner has one for the pathway: true when this call recorded it. */
  insertCompletion(record: PathwayCompletionRecord): Promise<boolean>;
  /** Changes a completion that is in one of `from`: true when it was (two coordinators approving at once: one wins). */
  updateCompletion(id: string, from: CompletionState[], patch: Partial<Pick<PathwayCompletionRecord, 'state' | 'award' | 'credentialId' | 'decidedAt' | 'decidedBy'>>): Promise<boolean>;
  /** An organisation's completions, newest first, of a state (all when none given). */
  completions(orgId: string, query: { state?: CompletionState; pathway?: string; limit: number }): Promise<PathwayCompletionRecord[]>;
  /** Forgets a learner's completions that are not awarded (their awards hold an address), for erasure: how many. */
  dropOpenCompletions(orgId: string, learnerKey: string): Promise<number>;
}

/** A self-assessment's result the learner chose to keep: the answers only, per competence and question (0–3, null unanswered). */
export interface ProfileResultRecord {
  id: string;
  questionnaire: string;
  answers: Array<Array<number | null>>;
  /** SHA-256 of the key that deletes it, which only the learner was given. */
  keyHash: string;
  createdAt: string;
  expiresAt: string;
}

export interface ProfilingRepository {
  insertResult(record: ProfileResultRecord): Promise<void>;
  /** A result not yet expired at `now`. */
  result(id: string, now: string): Promise<ProfileResultRecord | undefined>;
  /** Deletes a result if the key's hash is its own: true when it did. */
  deleteResult(id: string, keyHash: string): Promise<boolean>;
  /** Results expired before `now`, deleted: how many. */
  deleteExpired(now: string): Promise<number>;
  /** Adds to anonymous counts (an upsert that adds, so instances add up). */
  addCounts(questionnaire: string, increments: Array<{ metric: string; count: number }>): Promise<void>;
  countsOf(questionnaire: string): Promise<Array<{ metric: string; count: number }>>;
}

/** An EndorsementCredential an organisation issued, stored as it is served. */
export interface EndorsementRecord {
  id: string;
  /** The endorsing organisation. */
  orgId: string;
  subjectKind: 'badge_class' | 'organisation';
  /** The badge class's slug, or the organisation's id. */
  subject: string;
  document: string;
  createdAt: string;
  withdrawnAt: string | null;
}

export interface EndorsementRepository {
  insert(record: EndorsementRecord): Promise<void>;
  get(id: string): Promise<EndorsementRecord | undefined>;
  /** Endorsements not withdrawn, of a subject or by an organisation, oldest first. */
  active(query: { subjectKind: EndorsementRecord['subjectKind']; subject: string } | { orgId: string }): Promise<EndorsementRecord[]>;
  /** Withdraws one of the organisation's endorsements: true when it was in force. */
  withdraw(orgId: string, id: string, at: string): Promise<boolean>;
}

/** What remains to be said before a credential expires (renewal/reminders.ts). */
export interface ExpiryReminderRecord {
  credentialId: string;
  orgId: string;
  validUntil: string;
  /** The reminders' due times not yet reached, earliest first (ISO 8601 with milliseconds). */
  due: string[];
  /** The learner's address, encrypted (renewal/contacts.ts), or null. */
  address: string | null;
  /** When the row, and the address, go, whatever remains. */
  keepUntil: string;
}

/** A reminder due, with what its messages say of the credential. */
export interface DueReminder extends ExpiryReminderRecord {
  badgeClass: string;
  language: string;
  recipientName: string | null;
}

export interface ExpiryReminderRepository {
  insert(rows: ExpiryReminderRecord[]): Promise<void>;
  get(credentialId: string): Promise<ExpiryReminderRecord | undefined>;
  /** Reminders with a due time at or before `at`, the earliest first. */
  due(at: string, limit: number): Promise<DueReminder[]>;
  /**
   * Leaves only `remaining` of a reminder's due times, if its first is still `from` (another instance
   * that sent it first changed it): true when this call did.
   */
  advance(credentialId: string, from: string, remaining: string[]): Promise<boolean>;
  /** Forgets a credential's reminders and address (erasure, revocation, renewal). */
  drop(credentialId: string): Promise<void>;
  /** Deletes the rows kept past their `keepUntil`; how many. */
  purge(at: string): Promise<number>;
}

export interface Repositories {
  reminders: ExpiryReminderRepository;
  jobs: IssuanceJobRepository;
  pathways: PathwayRepository;
  /** Skills self-assessments (profiling/schema.ts). */
  questionnaires: DefinitionRepository;
  /** Competence frameworks organisations define (frameworks/store.ts). */
  frameworks: DefinitionRepository;
  profiling: ProfilingRepository;
  endorsements: EndorsementRepository;
  organisations: OrganisationRepository;
  accounts: AccountRepository;
  badgeClasses: BadgeClassRepository;
  credentials: CredentialRepository;
  idempotency: IdempotencyRepository;
  status: StatusRepository;
  outbox: OutboxRepository;
  usage: UsageRepository;
}

/** The repositories, and a transaction over them: every call made through `tx` commits together or not at all. */
/** What one issuance stores: all of it or nothing. */
export interface IssuedRecords {
  credentials: CredentialRecord[];
  /** One status entry per credential, counted into its list's usage. */
  entries: Array<{ credentialId: string; listId: string; statusIndex: number }>;
  /** The Idempotency-Key's record, when the request gave one. */
  idempotency?: IdempotencyRecord;
  /** The learners' award messages: queued with the credentials, so none is lost and none is made for a credential not stored. */
  outbox?: OutboxRecord[];
  /** Who awarded them, for the activity log: written with them, so no award goes unrecorded. */
  audit?: AuditRecord;
  /** The reminders of those that expire. */
  reminders?: ExpiryReminderRecord[];
}

export interface Storage extends Repositories {
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>;
  /**
   * Stores an issuance atomically. A taken status index or Idempotency-Key fails the whole with a
   * `conflict`. PostgreSQL does it in one statement (one round trip, no BEGIN/COMMIT).
   */
  insertIssued(records: IssuedRecords): Promise<void>;
  /** Resolves when the database answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Entries per list, for the lists' usage counters. */
export function countByList(rows: Array<{ listId: string }>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { listId } of rows) counts.set(listId, (counts.get(listId) ?? 0) + 1);
  return counts;
}
