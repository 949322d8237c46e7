import { createHash, randomBytes, randomUUID as nodeRandomUUID } from 'node:crypto';
import type { ApiKeyRecord, ProviderRepository, ProviderWithKeys } from '../db/repositories.js';

/** `obk_` + 256 random bits, base64url. The prefix lets secret scanners and people recognise a key. */
const KEY_PREFIX = 'obk_';
export const ALL_BADGE_CLASSES = '*';

export interface Provider {
  id: string;
  name: string;
}

/** Who is calling, once the API key is checked. */
export interface Caller {
  provider: Provider;
  apiKeyId: string;
  /** Slugs this key may award, or `['*']` for all. */
  badgeClasses: string[];
}

/** The keys are 256-bit random strings, so a fast hash is enough; the key itself is shown once. */
export const hashApiKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

export function mayAward(caller: Caller, slug: string): boolean {
  return caller.badgeClasses.includes(ALL_BADGE_CLASSES) || caller.badgeClasses.includes(slug);
}

export interface ProviderStore {
  addProvider(name: string, badgeClasses: string[]): Promise<{ provider: Provider; apiKey: string }>;
  /** Undefined when there is no such provider. */
  addKey(providerId: string, badgeClasses: string[]): Promise<string | undefined>;
  listProviders(): Promise<ProviderWithKeys[]>;
  authenticate(apiKey: string): Promise<Caller | undefined>;
}

export interface ProviderStoreDeps {
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

export function createProviderStore(
  repo: ProviderRepository,
  { now = () => new Date(), randomUUID = nodeRandomUUID, rememberFor = DEFAULT_KEY_MEMORY_MS }: ProviderStoreDeps = {},
): ProviderStore {
  // Only keys that matched are remembered (by hash, never the key), so failed guesses cannot fill it.
  const remembered = new Map<string, { caller: Caller; until: number }>();
  const newKey = (providerId: string, badgeClasses: string[]): { key: string; record: ApiKeyRecord } => {
    const key = KEY_PREFIX + randomBytes(32).toString('base64url');
    const record = { id: randomUUID(), providerId, keyHash: hashApiKey(key), keyPrefix: key.slice(0, KEY_PREFIX.length + 6), badgeClasses, createdAt: now().toISOString() };
    return { key, record };
  };

  return {
    async addProvider(name, badgeClasses) {
      const provider = { id: randomUUID(), name };
      const { key, record } = newKey(provider.id, badgeClasses);
      await repo.insertProvider({ ...provider, createdAt: now().toISOString() }, record);
      return { provider, apiKey: key };
    },
    async addKey(providerId, badgeClasses) {
      if (!(await repo.exists(providerId))) return undefined;
      const { key, record } = newKey(providerId, badgeClasses);
      await repo.insertKey(record);
      return key;
    },
    listProviders: () => repo.listWithKeys(),
    async authenticate(apiKey) {
      if (!apiKey.startsWith(KEY_PREFIX)) return undefined;
      const hash = hashApiKey(apiKey);
      const at = now().getTime();
      const known = remembered.get(hash);
      if (known && at < known.until) return known.caller;
      remembered.delete(hash);
      const match = await repo.findKeyByHash(hash);
      if (!match || match.revoked) return undefined;
      const caller = { provider: match.provider, apiKeyId: match.keyId, badgeClasses: match.badgeClasses };
      if (rememberFor > 0) {
        // Oldest first out: a Map iterates in insertion order.
        if (remembered.size >= REMEMBERED_KEYS) remembered.delete(remembered.keys().next().value!);
        remembered.set(hash, { caller, until: at + rememberFor });
      }
      return caller;
    },
  };
}
