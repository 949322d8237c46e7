import { createHash, randomBytes, randomUUID as nodeRandomUUID } from 'node:crypto';
import type { ApiKeyRecord, OrganisationRepository, OrganisationWithKeys } from '../db/repositories.js';
import type { Organisation, Organisations } from './organisations.js';

/** `obk_` + 256 random bits, base64url. The prefix lets secret scanners and people recognise a key. */
const KEY_PREFIX = 'obk_';
export const ALL_BADGE_CLASSES = '*';

/** Who is calling, once the API key is checked: a key of an organisation. */
export interface Caller {
  org: { id: string; name: string };
  apiKeyId: string;
  /** Slugs this key may award, or `['*']` for all. */
  badgeClasses: string[];
}

/** The keys are 256-bit random strings, so a fast hash is enough; the key itself is shown once. */
export const hashApiKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

export function mayAward(caller: Caller, slug: string): boolean {
  return caller.badgeClasses.includes(ALL_BADGE_CLASSES) || caller.badgeClasses.includes(slug);
}

export interface ApiKeyStore {
  /** A new key for an organisation, not yet stored: the key itself (shown once) and its record. */
  mint(orgId: string, badgeClasses: string[]): { key: string; record: ApiKeyRecord };
  /** Undefined when there is no such organisation. */
  addKey(orgId: string, badgeClasses: string[]): Promise<string | undefined>;
  listOrganisations(): Promise<OrganisationWithKeys[]>;
  /** An organisation's keys (their prefixes and scopes, never the keys). */
  keysOf(orgId: string): Promise<OrganisationWithKeys['keys']>;
  /** Revokes one of the organisation's keys: false when it has no such active key. Other instances stop accepting it within `rememberFor`. */
  revoke(orgId: string, keyId: string): Promise<boolean>;
  authenticate(apiKey: string): Promise<Caller | undefined>;
}

export interface ApiKeyStoreDeps {
  now?: () => Date;
  randomUUID?: () => string;
  /**
   * How long a successful key check is remembered, in ms (0: not at all). A key revoked in the
   * database stops working on every instance within this time.
   */
  rememberFor?: number;
}

/** A key check remembered: saves the database a look-up on every request of an integration. */
const REMEMBERED_KEYS = 10_000;
export const DEFAULT_KEY_MEMORY_MS = 5_000;

export function createApiKeyStore(
  repo: OrganisationRepository,
  { now = () => new Date(), randomUUID = nodeRandomUUID, rememberFor = DEFAULT_KEY_MEMORY_MS }: ApiKeyStoreDeps = {},
): ApiKeyStore {
  // Only keys that matched are remembered (by hash, never the key), so failed guesses cannot fill it.
  const remembered = new Map<string, { caller: Caller; until: number }>();
  const newKey = (orgId: string, badgeClasses: string[]): { key: string; record: ApiKeyRecord } => {
    const key = KEY_PREFIX + randomBytes(32).toString('base64url');
    const record = { id: randomUUID(), orgId, keyHash: hashApiKey(key), keyPrefix: key.slice(0, KEY_PREFIX.length + 6), badgeClasses, createdAt: now().toISOString() };
    return { key, record };
  };

  return {
    mint: newKey,
    async addKey(orgId, badgeClasses) {
      if (!(await repo.exists(orgId))) return undefined;
      const { key, record } = newKey(orgId, badgeClasses);
      await repo.insertKey(record);
      return key;
    },
    listOrganisations: () => repo.listWithKeys(),
    keysOf: (orgId) => repo.apiKeysOf(orgId),
    async revoke(orgId, keyId) {
      const revoked = await repo.revokeApiKey(orgId, keyId, now().toISOString());
      // This instance forgets it at once.
      if (revoked) for (const [hash, entry] of remembered) if (entry.caller.apiKeyId === keyId) remembered.delete(hash);
      return revoked;
    },
    async authenticate(apiKey) {
      if (!apiKey.startsWith(KEY_PREFIX)) return undefined;
      const hash = hashApiKey(apiKey);
      const at = now().getTime();
      const known = remembered.get(hash);
      if (known && at < known.until) return known.caller;
      remembered.delete(hash);
      const match = await repo.findKeyByHash(hash);
      if (!match || match.revoked) return undefined;
      const caller = { org: match.org, apiKeyId: match.keyId, badgeClasses: match.badgeClasses };
      if (rememberFor > 0) {
        // Oldest first out: a Map iterates in insertion order.
        if (remembered.size >= REMEMBERED_KEYS) remembered.delete(remembered.keys().next().value!);
        remembered.set(hash, { caller, until: at + rememberFor });
      }
      return caller;
    },
  };
}

/**
 * A training provider as the first version of the API knew it: a new organisation, with its own
 * identifier and keys, and an API key for it (`providers add`). The key is shown once.
 */
export async function addProvider(
  { organisations, apiKeys }: { organisations: Organisations; apiKeys: ApiKeyStore },
  name: string,
  badgeClasses: string[],
  slug?: string,
): Promise<{ org: Organisation; apiKey: string }> {
  let apiKey = '';
  const org = await organisations.create({ name, ...(slug ? { slug } : {}) }, (orgId) => {
    const minted = apiKeys.mint(orgId, badgeClasses);
    apiKey = minted.key;
    return minted.record;
  });
  return { org, apiKey };
}
