/**
 * What the domains need from storage, as async interfaces: domain code depends on these and never on
 * SQL or a driver. Each backend (`sqlite/`, later `postgres/`) implements them, and one contract test
 * suite (`test/db/contract.test.ts`) holds every implementation to the same behaviour.
 */

/** A stored API key: only its hash is kept. */
export interface ApiKeyRecord {
  id: string;
  providerId: string;
  keyHash: string;
  keyPrefix: string;
  /** Slugs this key may award, or `['*']` for all. */
  badgeClasses: string[];
  createdAt: string;
}

export interface ProviderRecord {
  id: string;
  name: string;
  createdAt: string;
}

export interface ProviderWithKeys {
  id: string;
  name: string;
  keys: Array<{ id: string; prefix: string; badgeClasses: string[]; revoked: boolean }>;
}

/** The key a hash belongs to, with its provider. */
export interface KeyMatch {
  keyId: string;
  badgeClasses: string[];
  revoked: boolean;
  provider: { id: string; name: string };
}

export interface ProviderRepository {
  /** The provider and its first key, together or not at all. */
  insertProvider(provider: ProviderRecord, firstKey: ApiKeyRecord): Promise<void>;
  insertKey(key: ApiKeyRecord): Promise<void>;
  exists(providerId: string): Promise<boolean>;
  listWithKeys(): Promise<ProviderWithKeys[]>;
  findKeyByHash(keyHash: string): Promise<KeyMatch | undefined>;
}

/** An issued credential, stored byte-exact as it is served. */
export interface CredentialRecord {
  id: string;
  providerId: string;
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

export type StoredDocument = Pick<CredentialRecord, 'id' | 'providerId' | 'document' | 'jwt'>;
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
  list(providerId: string, query: CredentialListQuery): Promise<{ total?: number; items: CredentialSummaryRow[] }>;
}

export interface IdempotencyRecord {
  providerId: string;
  key: string;
  requestHash: string;
  credentialIds: string[];
  createdAt: string;
}

export interface IdempotencyRepository {
  find(providerId: string, key: string): Promise<IdempotencyRecord | undefined>;
  insert(record: IdempotencyRecord): Promise<void>;
}

export interface StatusListRecord {
  id: string;
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
  /** Lists of a purpose with the number of entries handed out in each, oldest first. */
  listsInUse(purpose: string): Promise<Array<{ id: string; used: number }>>;
  createList(list: Omit<StatusListRecord, 'signedCredential'>): Promise<void>;
  getList(listId: string): Promise<StatusListRecord | undefined>;
  /** Which of `indexes` are taken in the list: one query however many are asked. */
  takenIndexes(listId: string, indexes: number[]): Promise<number[]>;
  /**
   * The oldest list of a purpose with fewer than `below` entries, and which of `indexes` it has
   * taken: what allocating a status index usually needs, in one query.
   */
  listWithRoom(purpose: string, below: number, indexes: number[]): Promise<{ id: string; used: number; taken: number[] } | undefined>;
  insertEntries(rows: Array<{ credentialId: string; listId: string; statusIndex: number }>): Promise<void>;
  /** The credential's issuer and status entry, for revoking it. */
  credentialEntry(credentialId: string): Promise<({ providerId: string; listId: string | null } & StatusEntryState) | undefined>;
  /** Sets the revocation and marks the list's signed credential stale, together. */
  revoke(credentialId: string, listId: string, state: StatusEntryState): Promise<void>;
  entryAt(listId: string, index: number): Promise<StatusEntryState | undefined>;
  entryOf(credentialId: string): Promise<StatusEntryState | undefined>;
  revokedIndexes(listId: string): Promise<number[]>;
  /** Stores a signed list unless it changed since `revokedCount` entries were read as revoked. */
  saveSignedList(listId: string, signed: string, revokedCount: number): Promise<void>;
}

export interface Repositories {
  providers: ProviderRepository;
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
