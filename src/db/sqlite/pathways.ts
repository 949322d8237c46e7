import { and, desc, eq, inArray, ne } from 'drizzle-orm';
import type { Db } from '../client.js';
import { createSqliteDefinitionRepository } from './definitions.js';
import type { PathwayCompletionRecord, PathwayRepository } from '../repositories.js';
import { pathwayCompletions, pathways } from '../schema.js';

const completion = (row: typeof pathwayCompletions.$inferSelect): PathwayCompletionRecord => ({ ...row, state: row.state as PathwayCompletionRecord['state'] });

/** Learning pathways and their completions on SQLite. */
export function createSqlitePathwayRepository(db: Db): PathwayRepository {
  return {
    ...createSqliteDefinitionRepository(db, pathways),
    async completionOf(pathway, learnerKey) {
      const row = db.select().from(pathwayCompletions).where(and(eq(pathwayCompletions.pathway, pathway), eq(pathwayCompletions.learnerKey, learnerKey))).get();
      return row && completion(row);
    },
    async completionById(orgId, id) {
      const row = db.select().from(pathwayCompletions).where(and(eq(pathwayCompletions.orgId, orgId), eq(pathwayCompletions.id, id))).get();
      return row && completion(row);
    },
    async insertCompletion(record) {
      return db.insert(pathwayCompletions).values(record).onConflictDoNothing().run().changes === 1;
    },
    async updateCompletion(id, from, patch) {
      return db.update(pathwayCompletions).set(patch).where(and(eq(pathwayCompletions.id, id), inArray(pathwayCompletions.state, from))).run().changes === 1;
    },
    async completions(orgId, { state, pathway, limit }) {
      return db
        .select()
        .from(pathwayCompletions)
        .where(and(eq(pathwayCompletions.orgId, orgId), state ? eq(pathwayCompletions.state, state) : undefined, pathway ? eq(pathwayCompletions.pathway, pathway) : undefined))
        .orderBy(desc(pathwayCompletions.createdAt), desc(pathwayCompletions.id))
        .limit(limit)
        .all()
        .map(completion);
    },
    async dropOpenCompletions(orgId, learnerKey) {
      return db
        .delete(pathwayCompletions)
        .where(and(eq(pathwayCompletions.orgId, orgId), eq(pathwayCompletions.learnerKey, learnerKey), ne(pathwayCompletions.state, 'awarded')))
        .run().changes;
    },
  };
}
