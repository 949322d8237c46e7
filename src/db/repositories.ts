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
}

/**
 * How both backends store a VC-JWT not signed yet: an empty string in the NOT NULL column (SQLite
 * cannot drop NOT NULL without rebuilding the table, which on millions of rows would hold start-up).
 */
export const UNSIGNED_JWT = '';
export const storedJwt = (jwt: string | null): string => jwt ?? UNSIGNED_JWT;
export const withJwt = <T extends { jwt: string }>(row: T): Omit<T, 'jwt'> & { jwt: string | null } => ({ ...row, jwt: row.jwt === UNSIGNED_JWT ? null : row.jwt });

export type StoredDocument = Pick<CredentialRecord, 'id' | 'orgId' | 'document' | 'jwt'>;
export type CredentialSummaryRow = Pick<CredentialRecord, 'id' | 'badgeClass' | 'language' | 'issuedAt' | 'validUntil'>;

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
  /** Keeps a VC-JWT signed after issuance; one already kept stays (signing again gives the same bytes). */
  saveJwt(id: string, jwt: string): Promise<void>;
  /**
   * A provider's credentials, newest first: after a keyset position (`after`, the last row of the
   * previous page; it costs the same at any depth) or at an offset; counted only when asked.
   */
  list(orgId: string, query: CredentialListQuery): Promise<{ total?: number; items: CredentialSummaryRow[] }>;
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

export interface StatusRepository {
  /** An organisation's lists of a purpose with the number of entries handed out in each, oldest first. */
  listsInUse(orgId: string, purpose: string): Promise<Array<{ id: string; used: number }>>;
  createList(list: Omit<StatusListRecord, 'signedCredential' | 'orgId'> & { orgId: string }): Promise<void>;
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
  /** The credential's issuer and status entry, for revoking it. */
  credentialEntry(credentialId: string): Promise<({ orgId: string; listId: string | null } & StatusEntryState) | undefined>;
  /** Sets the revocation and marks the list's signed credential stale, together. */
  revoke(credentialId: string, listId: string, state: StatusEntryState): Promise<void>;
  entryAt(listId: string, index: number): Promise<StatusEntryState | undefined>;
  entryOf(credentialId: string): Promise<StatusEntryState | undefined>;
  revokedIndexes(listId: string): Promise<number[]>;
  /** Stores a signed list unless it changed since `revokedCount` entries were read as revoked. */
  saveSignedList(listId: string, signed: string, revokedCount: number): Promise<void>;
}

export interface Repositories {
  organisations: OrganisationRepository;
  credentials: CredentialRepository;
  idempotency: IdempotencyRepository;
  status: StatusRepository;
}

/** The repositories, and a transaction over them: every call made through `tx` commits together or not at all. */
/** What one issuance stores: all of it or nothing. */
export interface IssuedRecords {
  credentials: CredentialRecord[];
  /** One status entry per credential, counted into its list's usage. */
  entries: Array<{ credentialId: string; listId: string; statusIndex: number }>;
  /** The Idempotency-Key's record, when the request gave one. */
  idempotency?: IdempotencyRecord;
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
