import { and, asc, eq, gt, lt, sql } from 'drizzle-orm';
import type { ProfilingRepository } from '../repositories.js';
import { profileCounts, profileResults } from './schema.js';
import type { Executor } from './storage.js';

/** Self-assessments, kept results and anonymous counts on PostgreSQL. */
export function createPostgresProfilingRepository(db: Executor): ProfilingRepository {
  return {
    async insertResult(record) {
      await db.insert(profileResults).values(record);
    },
    async result(id, now) {
      return (await db.select().from(profileResults).where(and(eq(profileResults.id, id), gt(profileResults.expiresAt, now))).limit(1))[0];
    },
    async deleteResult(id, keyHash) {
      return (await db.delete(profileResults).where(and(eq(profileResults.id, id), eq(profileResults.keyHash, keyHash))).returning({ id: profileResults.id })).length === 1;
    },
    async deleteExpired(now) {
      return (await db.delete(profileResults).where(lt(profileResults.expiresAt, now)).returning({ id: profileResults.id })).length;
    },
    async addCounts(questionnaire, increments) {
      // Rows in metric order: two instances' upserts that overlap lock them in one order.
      const rows = increments.filter((i) => i.count > 0).map((i) => ({ questionnaire, ...i })).sort((a, b) => (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0));
      if (rows.length) await db.insert(profileCounts).values(rows).onConflictDoUpdate({ target: [profileCounts.questionnaire, profileCounts.metric], set: { count: sql`${profileCounts.count} + excluded."count"` } });
    },
    async countsOf(questionnaire) {
      return db.select({ metric: profileCounts.metric, count: profileCounts.count }).from(profileCounts).where(eq(profileCounts.questionnaire, questionnaire)).orderBy(asc(profileCounts.metric));
    },
  };
}
