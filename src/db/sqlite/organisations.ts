import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import type { OrganisationKeyRecord, OrganisationRecord, OrganisationRepository } from '../repositories.js';
import { apiKeys, organisationKeys, organisations } from '../schema.js';

const asKey = (row: typeof organisationKeys.$inferSelect): OrganisationKeyRecord => ({ ...row, type: row.type as OrganisationKeyRecord['type'] });

/** Organisations, their signing keys and their API keys on SQLite (better-sqlite3 is synchronous; the interface is not). */
export function createSqliteOrganisationRepository(db: Db): OrganisationRepository {
  // Every API request authenticates: prepared once.
  const keyByHash = db
    .select({ keyId: apiKeys.id, badgeClasses: apiKeys.badgeClasses, revokedAt: apiKeys.revokedAt, orgId: organisations.id, name: organisations.name })
    .from(apiKeys)
    .innerJoin(organisations, eq(apiKeys.orgId, organisations.id))
    .where(eq(apiKeys.keyHash, sql.placeholder('keyHash')))
    .prepare();
  const one = (where: ReturnType<typeof eq>): OrganisationRecord | undefined => db.select().from(organisations).where(where).get();
  return {
    async insertOrganisation(org, keys, firstApiKey) {
      db.transaction((tx) => {
        tx.insert(organisations).values(org).run();
        if (keys.length) tx.insert(organisationKeys).values(keys).run();
        if (firstApiKey) tx.insert(apiKeys).values(firstApiKey).run();
      });
    },
    async byId(id) {
      return one(eq(organisations.id, id));
    },
    async bySlug(slug) {
      return one(eq(organisations.slug, slug));
    },
    async instance() {
      return one(eq(organisations.isInstance, true));
    },
    async list() {
      return db.select().from(organisations).orderBy(asc(organisations.createdAt), asc(organisations.id)).all();
    },
    async updateProfile(id, name, profile) {
      db.update(organisations).set({ name, profile }).where(eq(organisations.id, id)).run();
    },
    async signingKeys(orgId) {
      return db.select().from(organisationKeys).where(eq(organisationKeys.orgId, orgId)).orderBy(asc(organisationKeys.createdAt), asc(organisationKeys.id)).all().map(asKey);
    },
    async signingKeyNamed(name) {
      const row = db.select().from(organisationKeys).where(eq(organisationKeys.name, name)).get();
      return row && asKey(row);
    },
    async rotateSigningKeys(orgId, added, retired, at) {
      db.transaction((tx) => {
        if (retired.length) tx.update(organisationKeys).set({ retiredAt: at }).where(inArray(organisationKeys.id, retired)).run();
        if (added.length) tx.insert(organisationKeys).values(added).run();
      });
    },
    async insertKey(key) {
      db.insert(apiKeys).values(key).run();
    },
    async apiKeysOf(orgId) {
      return db
        .select()
        .from(apiKeys)
        .where(eq(apiKeys.orgId, orgId))
        .orderBy(desc(apiKeys.createdAt))
        .all()
        .map((k) => ({ id: k.id, prefix: k.keyPrefix, badgeClasses: k.badgeClasses, revoked: k.revokedAt !== null }));
    },
    async revokeApiKey(orgId, keyId, at) {
      return db.update(apiKeys).set({ revokedAt: at }).where(and(eq(apiKeys.id, keyId), eq(apiKeys.orgId, orgId), isNull(apiKeys.revokedAt))).run().changes === 1;
    },
    async exists(orgId) {
      return db.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, orgId)).get() !== undefined;
    },
    async listWithKeys() {
      const rows = db.select().from(organisations).orderBy(asc(organisations.createdAt), asc(organisations.id)).all();
      const keys = db.select().from(apiKeys).all();
      return rows.map((o) => ({
        id: o.id,
        slug: o.slug,
        name: o.name,
        keys: keys.filter((k) => k.orgId === o.id).map((k) => ({ id: k.id, prefix: k.keyPrefix, badgeClasses: k.badgeClasses, revoked: k.revokedAt !== null })),
      }));
    },
    async findKeyByHash(keyHash) {
      const row = keyByHash.get({ keyHash });
      return row && { keyId: row.keyId, badgeClasses: row.badgeClasses, revoked: row.revokedAt !== null, org: { id: row.orgId, name: row.name } };
    },
  };
}
