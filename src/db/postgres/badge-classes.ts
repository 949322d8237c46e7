import { and, asc, count, eq, max } from 'drizzle-orm';
import type { BadgeClassRepository } from '../repositories.js';
import { currentRecords, imageOf } from '../badge-class-rows.js';
import { StorageError } from '../errors.js';
import { badgeClassAwarders, badgeClasses, badgeClassVersions } from './schema.js';
import type { Executor } from './storage.js';

const first = <T>(rows: T[]): T | undefined => rows[0];

/** Badge classes and their versions on PostgreSQL. */
export function createPostgresBadgeClassRepository(db: Executor, inTransaction: <T>(fn: (tx: Executor) => Promise<T>) => Promise<T>): BadgeClassRepository {
  return {
    async listCurrent() {
      const [rows, awarders] = await Promise.all([
        db
          .select({ cls: badgeClasses, definition: badgeClassVersions.definition, image: badgeClassVersions.image, imageType: badgeClassVersions.imageType })
          .from(badgeClasses)
          .innerJoin(badgeClassVersions, and(eq(badgeClassVersions.slug, badgeClasses.slug), eq(badgeClassVersions.version, badgeClasses.currentVersion)))
          .orderBy(asc(badgeClasses.slug)),
        db.select().from(badgeClassAwarders),
      ]);
      return currentRecords(rows, awarders);
    },
    async lastChange() {
      return first(await db.select({ at: max(badgeClasses.updatedAt) }).from(badgeClasses))?.at ?? null;
    },
    async count() {
      return first(await db.select({ n: count() }).from(badgeClasses))?.n ?? 0;
    },
    async insert(record, createdBy) {
      await inTransaction(async (tx) => {
        await tx
          .insert(badgeClasses)
          .values({ slug: record.slug, orgId: record.orgId, currentVersion: record.version, shared: record.shared, createdAt: record.createdAt, updatedAt: record.updatedAt, archivedAt: record.archivedAt });
        await tx
          .insert(badgeClassVersions)
          .values({ slug: record.slug, version: record.version, definition: record.definition, image: record.image?.data ?? null, imageType: record.image?.type ?? null, createdAt: record.createdAt, createdBy });
      });
    },
    async addVersion(version, expectedVersion) {
      await inTransaction(async (tx) => {
        const moved = await tx
          .update(badgeClasses)
          .set({ currentVersion: version.version, updatedAt: version.createdAt })
          .where(and(eq(badgeClasses.slug, version.slug), eq(badgeClasses.currentVersion, expectedVersion)))
          .returning({ slug: badgeClasses.slug });
        if (moved.length !== 1) throw new StorageError('conflict', `badge class ${version.slug} changed meanwhile`);
        await tx
          .insert(badgeClassVersions)
          .values({ slug: version.slug, version: version.version, definition: version.definition, image: version.image?.data ?? null, imageType: version.image?.type ?? null, createdAt: version.createdAt, createdBy: version.createdBy });
      });
    },
    async setArchived(slug, archivedAt, at) {
      await db.update(badgeClasses).set({ archivedAt, updatedAt: at }).where(eq(badgeClasses.slug, slug));
    },
    async setShared(slug, shared, at) {
      await db.update(badgeClasses).set({ shared, updatedAt: at }).where(eq(badgeClasses.slug, slug));
    },
    async setAwarders(slug, orgIds, at) {
      await inTransaction(async (tx) => {
        await tx.delete(badgeClassAwarders).where(eq(badgeClassAwarders.slug, slug));
        if (orgIds.length) await tx.insert(badgeClassAwarders).values(orgIds.map((orgId) => ({ slug, orgId, createdAt: at })));
        await tx.update(badgeClasses).set({ updatedAt: at }).where(eq(badgeClasses.slug, slug));
      });
    },
    async versions(slug) {
      return db
        .select({ version: badgeClassVersions.version, createdAt: badgeClassVersions.createdAt, createdBy: badgeClassVersions.createdBy })
        .from(badgeClassVersions)
        .where(eq(badgeClassVersions.slug, slug))
        .orderBy(asc(badgeClassVersions.version));
    },
    async getVersion(slug, version) {
      const row = first(await db.select().from(badgeClassVersions).where(and(eq(badgeClassVersions.slug, slug), eq(badgeClassVersions.version, version))).limit(1));
      return row && { slug: row.slug, version: row.version, definition: row.definition, image: imageOf(row), createdAt: row.createdAt, createdBy: row.createdBy };
    },
  };
}
