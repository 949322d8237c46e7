import { and, asc, desc, eq, inArray, max, ne } from 'drizzle-orm';
import { StorageError } from '../errors.js';
import type { PathwayCompletionRecord, PathwayRepository } from '../repositories.js';
import { pathwayCompletions, pathways } from './schema.js';
import type { Executor } from './storage.js';

const completion = (row: typeof pathwayCompletions.$inferSelect): PathwayCompletionRecord => ({ ...row, state: row.state as PathwayCompletionRecord['state'] });

/** Learning pathways and their completions on PostgreSQL. */
export function createPostgresPathwayRepository(db: Executor): PathwayRepository {
  return {
    async list() {
      return db.select().from(pathways).orderBy(asc(pathways.slug));
    },
    async lastChange() {
      return (await db.select({ at: max(pathways.updatedAt) }).from(pathways))[0]?.at ?? null;
    },
    async insert(record) {
      await db.insert(pathways).values(record);
    },
    async update(record) {
      const changed = await db
        .update(pathways)
        .set({ version: record.version, definition: record.definition, updatedAt: record.updatedAt })
        .where(and(eq(pathways.slug, record.slug), eq(pathways.version, record.version - 1)))
        .returning({ slug: pathways.slug });
      if (changed.length !== 1) throw new StorageError('conflict', `pathway ${record.slug} changed meanwhile`);
    },
    async setArchived(slug, archivedAt, at) {
      await db.update(pathways).set({ archivedAt, updatedAt: at }).where(eq(pathways.slug, slug));
    },
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
