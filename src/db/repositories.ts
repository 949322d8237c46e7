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
