import { and, asc, eq, max } from 'drizzle-orm';
import { StorageError } from '../errors.js';
import type { DefinitionRepository } from '../repositories.js';
import type { DefinitionTable } from './schema.js';
import type { Executor } from './storage.js';

/** Definitions an organisation keeps whole (pathways, questionnaires) on PostgreSQL, in the table given. */
export function createPostgresDefinitionRepository(db: Executor, table: DefinitionTable): DefinitionRepository {
  return {
    async list() {
      return db.select().from(table).orderBy(asc(table.slug));
    },
    async lastChange() {
      return (await db.select({ at: max(table.updatedAt) }).from(table))[0]?.at ?? null;
    },
    async insert(record) {
      await db.insert(table).values(record);
    },
    async update(record) {
      const changed = await db
        .update(table)
        .set({ version: record.version, definition: record.definition, updatedAt: record.updatedAt })
        .where(and(eq(table.slug, record.slug), eq(table.version, record.version - 1)))
        .returning({ slug: table.slug });
      if (changed.length !== 1) throw new StorageError('conflict', `${record.slug} changed meanwhile`);
    },
    async setArchived(slug, archivedAt, at) {
      await db.update(table).set({ archivedAt, updatedAt: at }).where(eq(table.slug, slug));
    },
  };
}
