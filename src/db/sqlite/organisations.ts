import { eq, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import type { ProviderRepository } from '../repositories.js';
import { apiKeys, providers } from '../schema.js';

/** Providers and API keys on SQLite (better-sqlite3 is synchronous; the interface is not). */
export function createSqliteProviderRepository(db: Db): ProviderRepository {
  // Every API request authenticates: prepared once.
  const keyByHash = db
    .select({ keyId: apiKeys.id, badgeClasses: apiKeys.badgeClasses, revokedAt: apiKeys.revokedAt, providerId: providers.id, name: providers.name })
    .from(apiKeys)
    .innerJoin(providers, eq(apiKeys.providerId, providers.id))
    .where(eq(apiKeys.keyHash, sql.placeholder('keyHash')))
    .prepare();
  return {
    async insertProvider(provider, firstKey) {
      db.transaction((tx) => {
        tx.insert(providers).values(provider).run();
        tx.insert(apiKeys).values(firstKey).run();
      });
    },
    async insertKey(key) {
      db.insert(apiKeys).values(key).run();
    },
    async exists(providerId) {
      return db.select({ id: providers.id }).from(providers).where(eq(providers.id, providerId)).get() !== undefined;
    },
    async listWithKeys() {
      const rows = db.select().from(providers).orderBy(providers.createdAt).all();
      const keys = db.select().from(apiKeys).all();
      return rows.map((p) => ({
        id: p.id,
        name: p.name,
        keys: keys
          .filter((k) => k.providerId === p.id)
          .map((k) => ({ id: k.id, prefix: k.keyPrefix, badgeClasses: k.badgeClasses, revoked: k.revokedAt !== null })),
      }));
    },
    async findKeyByHash(keyHash) {
      const row = keyByHash.get({ keyHash });
      return row && { keyId: row.keyId, badgeClasses: row.badgeClasses, revoked: row.revokedAt !== null, provider: { id: row.providerId, name: row.name } };
    },
  };
}
