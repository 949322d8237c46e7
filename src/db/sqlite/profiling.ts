import { and, asc, eq, gt, lt, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import type { ProfilingRepository } from '../repositories.js';
import { profileCounts, profileResults } from '../schema.js';

/** Self-assessments, kept results and anonymous counts on SQLite. */
export function createSqliteProfilingRepository(db: Db): ProfilingRepository {
  return {
    async insertResult(record) {
      db.insert(profileResults).values(record).run();
    },
    async result(id, now) {
      return db.select().from(profileResults).where(and(eq(profileResults.id, id), gt(profileResults.expiresAt, now))).get();
    },
    async deleteResult(id, keyHash) {
      return db.delete(profileResults).where(and(eq(profileResults.id, id), eq(profileResults.keyHash, keyHash))).run().changes === 1;
    },
    async deleteExpired(now) {
      return db.delete(profileResults).where(lt(profileResults.expiresAt, now)).run().changes;
    },
    async addCounts(questionnaire, increments) {
      const rows = increments.filter((i) => i.count > 0).map((i) => ({ questionnaire, ...i }));
      if (rows.length) db.insert(profileCounts).values(rows).onConflictDoUpdate({ target: [profileCounts.questionnaire, profileCounts.metric], set: { count: sql`${profileCounts.count} + excluded."count"` } }).run();
    },
    async countsOf(questionnaire) {
      return db.select({ metric: profileCounts.metric, count: profileCounts.count }).from(profileCounts).where(eq(profileCounts.questionnaire, questionnaire)).orderBy(asc(profileCounts.metric)).all();
    },
  };
}
