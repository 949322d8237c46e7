import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { apiKeys, providers } from '../db/schema.js';

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

export const hashApiKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

export function mayAward(caller: Caller, slug: string): boolean {
  return caller.badgeClasses.includes(ALL_BADGE_CLASSES) || caller.badgeClasses.includes(slug);
}

export interface ProviderStore {
  addProvider(name: string, badgeClasses: string[]): { provider: Provider; apiKey: string };
  addKey(providerId: string, badgeClasses: string[]): string;
  listProviders(): Array<Provider & { keys: Array<{ id: string; prefix: string; badgeClasses: string[]; revoked: boolean }> }>;
  authenticate(apiKey: string): Caller | undefined;
}

export function createProviderStore(db: Db, now: () => Date = () => new Date()): ProviderStore {
  const insertKey = (providerId: string, badgeClasses: string[]): string => {
    const key = KEY_PREFIX + randomBytes(32).toString('base64url');
    db.insert(apiKeys)
      .values({
        id: randomUUID(),
        providerId,
        keyHash: hashApiKey(key),
        keyPrefix: key.slice(0, KEY_PREFIX.length + 6),
        badgeClasses,
        createdAt: now().toISOString(),
      })
      .run();
    return key;
  };

  return {
    addProvider(name, badgeClasses) {
      return db.transaction(() => {
        const provider = { id: randomUUID(), name };
        db.insert(providers).values({ ...provider, createdAt: now().toISOString() }).run();
        return { provider, apiKey: insertKey(provider.id, badgeClasses) };
      });
    },
    addKey(providerId, badgeClasses) {
      return insertKey(providerId, badgeClasses);
    },
    listProviders() {
      const rows = db.select().from(providers).all();
      const keys = db.select().from(apiKeys).all();
      return rows.map((p) => ({
        id: p.id,
        name: p.name,
        keys: keys
          .filter((k) => k.providerId === p.id)
          .map((k) => ({ id: k.id, prefix: k.keyPrefix, badgeClasses: k.badgeClasses, revoked: k.revokedAt !== null })),
      }));
    },
    authenticate(apiKey) {
      if (!apiKey.startsWith(KEY_PREFIX)) return undefined;
      const row = db
        .select({ keyId: apiKeys.id, badgeClasses: apiKeys.badgeClasses, revokedAt: apiKeys.revokedAt, providerId: providers.id, name: providers.name })
        .from(apiKeys)
        .innerJoin(providers, eq(apiKeys.providerId, providers.id))
        .where(eq(apiKeys.keyHash, hashApiKey(apiKey)))
        .get();
      if (!row || row.revokedAt !== null) return undefined;
      return { provider: { id: row.providerId, name: row.name }, apiKeyId: row.keyId, badgeClasses: row.badgeClasses };
    },
  };
}
