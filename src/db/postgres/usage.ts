import { eq, sql } from 'drizzle-orm';
import type { UsageRepository } from '../repositories.js';
import { knownUsage, usageChunks } from '../usage-rows.js';
import { usageCounts } from './schema.js';
import type { Executor } from './storage.js';

/** The usage counts on PostgreSQL. */
export function createPostgresUsageRepository(db: Executor): UsageRepository {
  return {
    async add(increments) {
      // Each chunk is one statement, atomic on its own; rows in key order, so two instances' upserts
      // that overlap take their row locks in the same order and never deadlock.
      for (const rows of usageChunks(increments)) {
        await db
          .insert(usageCounts)
          .values(rows)
          .onConflictDoUpdate({ target: [usageCounts.orgId, usageCounts.badgeClass, usageCounts.metric], set: { count: sql`${usageCounts.count} + excluded."count"` } });
      }
    },
    async countsOf(orgId) {
      return knownUsage(await db.select({ badgeClass: usageCounts.badgeClass, metric: usageCounts.metric, count: usageCounts.count }).from(usageCounts).where(eq(usageCounts.orgId, orgId)));
    },
  };
}
