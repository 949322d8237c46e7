import { and, asc, eq, max } from 'drizzle-orm';
import type { Db } from '../client.js';
import { StorageError } from '../errors.js';
import type { DefinitionRepository } from '../repositories.js';
import type { DefinitionTable } from '../schema.js';

/** Definitions an organisation keeps whole (pathways, questionnaires) on SQLite, in the table given. */
export function createSqliteDefinitionRepository(db: Db, table: DefinitionTable): DefinitionRepository {
  return {
    async list() {
      return db.select().from(table).orderBy(asc(table.slug)).all();
    },
    async lastChange() {
      return db.select({ at: max(table.updatedAt) }).from(table).get()?.at ?? null;
    },
    async insert(record) {
      db.insert(table).values(record).run();
    },
    async update(record) {
      const changed = db
        .update(table)
        .set({ version: record.version, definition: record.definition, updatedAt: record.updatedAt })
        .where(and(eq(table.slug, record.slug), eq(table.version, record.version - 1)))
        .run().changes;
      if (changed !== 1) throw new StorageError('conflict', `${record.slug} changed meanwhile`);
    },
    async setArchived(slug, archivedAt, at) {
      db.update(table).set({ archivedAt, updatedAt: at }).where(eq(table.slug, slug)).run();
    },
  };
}
