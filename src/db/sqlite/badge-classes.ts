import { and, asc, count, eq, max } from 'drizzle-orm';
import type { Db } from '../client.js';
import type { BadgeClassRepository } from '../repositories.js';
import { currentRecords, imageOf } from '../badge-class-rows.js';
import { StorageError } from '../errors.js';
import { badgeClassAwarders, badgeClasses, badgeClassVersions } from '../schema.js';


/** Badge classes and their versions on SQLite. */
export function createSqliteBadgeClassRepository(db: Db): BadgeClassRepository {
  return {
    async listCurrent() {
      const rows = db
        .select({ cls: badgeClasses, definition: badgeClassVersions.definition, image: badgeClassVersions.image, imageType: badgeClassVersions.imageType })
        .from(badgeClasses)
        .innerJoin(badgeClassVersions, and(eq(badgeClassVersions.slug, badgeClasses.slug), eq(badgeClassVersions.version, badgeClasses.currentVersion)))
        .orderBy(asc(badgeClasses.slug))
        .all();
      const awarders = db.select().from(badgeClassAwarders).all();
      return currentRecords(rows, awarders);
    },
    async lastChange() {
      return db.select({ at: max(badgeClasses.updatedAt) }).from(badgeClasses).get()?.at ?? null;
    },
    async count() {
      return db.select({ n: count() }).from(badgeClasses).get()?.n ?? 0;
    },
    async insert(record, createdBy) {
      db.transaction((tx) => {
        tx.insert(badgeClasses)
          .values({ slug: record.slug, orgId: record.orgId, currentVersion: record.version, shared: record.shared, createdAt: record.createdAt, updatedAt: record.updatedAt, archivedAt: record.archivedAt })
          .run();
        tx.insert(badgeClassVersions)
          .values({ slug: record.slug, version: record.version, definition: record.definition, image: record.image?.data ?? null, imageType: record.image?.type ?? null, createdAt: record.createdAt, createdBy })
          .run();
      });
    },
    async addVersion(version, expectedVersion) {
      db.transaction((tx) => {
        const moved = tx
          .update(badgeClasses)
          .set({ currentVersion: version.version, updatedAt: version.createdAt })
          .where(and(eq(badgeClasses.slug, version.slug), eq(badgeClasses.currentVersion, expectedVersion)))
          .run();
        if (moved.changes !== 1) throw new StorageError('conflict', `badge class ${version.slug} changed meanwhile`);
        tx.insert(badgeClassVersions)
          .values({ slug: version.slug, version: version.version, definition: version.definition, image: version.image?.data ?? null, imageType: version.image?.type ?? null, createdAt: version.createdAt, createdBy: version.createdBy })
          .run();
      });
    },
    async setArchived(slug, archivedAt, at) {
      db.update(badgeClasses).set({ archivedAt, updatedAt: at }).where(eq(badgeClasses.slug, slug)).run();
    },
    async setShared(slug, shared, at) {
      db.update(badgeClasses).set({ shared, updatedAt: at }).where(eq(badgeClasses.slug, slug)).run();
    },
    async setAwarders(slug, orgIds, at) {
      db.transaction((tx) => {
        tx.delete(badgeClassAwarders).where(eq(badgeClassAwarders.slug, slug)).run();
        if (orgIds.length) tx.insert(badgeClassAwarders).values(orgIds.map((orgId) => ({ slug, orgId, createdAt: at }))).run();
        tx.update(badgeClasses).set({ updatedAt: at }).where(eq(badgeClasses.slug, slug)).run();
      });
    },
    async versions(slug) {
      return db
        .select({ version: badgeClassVersions.version, createdAt: badgeClassVersions.createdAt, createdBy: badgeClassVersions.createdBy })
        .from(badgeClassVersions)
        .where(eq(badgeClassVersions.slug, slug))
        .orderBy(asc(badgeClassVersions.version))
        .all();
    },
    async getVersion(slug, version) {
      const row = db.select().from(badgeClassVersions).where(and(eq(badgeClassVersions.slug, slug), eq(badgeClassVersions.version, version))).get();
      return row && { slug: row.slug, version: row.version, definition: row.definition, image: imageOf(row), createdAt: row.createdAt, createdBy: row.createdBy };
    },
  };
}
