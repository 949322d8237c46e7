import { and, desc, eq, inArray, ne } from 'drizzle-orm';
import { createPostgresDefinitionRepository } from './definitions.js';
import type { PathwayCompletionRecord, PathwayRepository } from '../repositories.js';
import { pathwayCompletions, pathways } from './schema.js';
import type { Executor } from './storage.js';

const completion = (row: typeof pathwayCompletions.$inferSelect): PathwayCompletionRecord => ({ ...row, state: row.state as PathwayCompletionRecord['state'] });

/** Learning pathways and their completions on PostgreSQL. */
export function createPostgresPathwayRepository(db: Executor): PathwayRepository {
  return {
    ...createPostgresDefinitionRepository(db, pathways),
    async completionOf(pathway, learnerKey) {
      const row = (await db.select().from(pathwayCompletions).where(and(eq(pathwayCompletions.pathway, pathway), eq(pathwayCompletions.learnerKey, learnerKey))).limit(1))[0];
      return row && completion(row);
    },
    async completionById(orgId, id) {
      const row = (await db.select().from(pathwayCompletions).where(and(eq(pathwayCompletions.orgId, orgId), eq(pathwayCompletions.id, id))).limit(1))[0];
      return row && completion(row);
    },
    async insertCompletion(record) {
      return (await db.insert(pathwayCompletions).values(record).onConflictDoNothing().returning({ id: pathwayCompletions.id })).length === 1;
    },
    async updateCompletion(id, from, patch) {
      return (await db.update(pathwayCompletions).set(patch).where(and(eq(pathwayCompletions.id, id), inArray(pathwayCompletions.state, from))).returning({ id: pathwayCompletions.id })).length === 1;
    },
    async completions(orgId, { state, pathway, limit }) {
      const rows = await db
        .select()
        .from(pathwayCompletions)
        .where(and(eq(pathwayCompletions.orgId, orgId), state ? eq(pathwayCompletions.state, state) : undefined, pathway ? eq(pathwayCompletions.pathway, pathway) : undefined))
        .orderBy(desc(pathwayCompletions.createdAt), desc(pathwayCompletions.id))
        .limit(limit);
      return rows.map(completion);
    },
    async dropOpenCompletions(orgId, learnerKey) {
      const rows = await db
        .delete(pathwayCompletions)
        .where(and(eq(pathwayCompletions.orgId, orgId), eq(pathwayCompletions.learnerKey, learnerKey), ne(pathwayCompletions.state, 'awarded')))
        .returning({ id: pathwayCompletions.id });
      return rows.length;
    },
  };
}
