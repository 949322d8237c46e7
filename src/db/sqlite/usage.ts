import { eq, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import type { UsageRepository } from '../repositories.js';
import { usageCounts } from '../schema.js';
import { knownUsage, usageChunks } from '../usage-rows.js';

/** The usage counts on SQLite. */
export function createSqliteUsageRepository(db: Db): UsageRepository {
  return {
    async add(increments) {
      for (const rows of usageChunks(increments)) {
        db.insert(usageCounts)
          .values(rows)
          .onConflictDoUpdate({ target: [usageCounts.orgId, usageCounts.badgeClass, usageCounts.metric], set: { count: sql`${usageCounts.count} + excluded."count"` } })
          .run();
      }
    },
    async countsOf(orgId) {
      return knownUsage(db.select({ badgeClass: usageCounts.badgeClass, metric: usageCounts.metric, count: usageCounts.count }).from(usageCounts).where(eq(usageCounts.orgId, orgId)).all());
    },
  };
}
