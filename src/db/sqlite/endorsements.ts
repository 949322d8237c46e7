import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../client.js';
import type { EndorsementRecord, EndorsementRepository } from '../repositories.js';
import { endorsements } from '../schema.js';

const record = (row: typeof endorsements.$inferSelect): EndorsementRecord => ({ ...row, subjectKind: row.subjectKind as EndorsementRecord['subjectKind'] });

/** Endorsements on SQLite. */
export function createSqliteEndorsementRepository(db: Db): EndorsementRepository {
  return {
    async insert(row) {
      db.insert(endorsements).values(row).run();
    },
    async get(id) {
      const row = db.select().from(endorsements).where(eq(endorsements.id, id)).get();
      return row && record(row);
    },
    async active(query) {
      const where = 'orgId' in query ? eq(endorsements.orgId, query.orgId) : and(eq(endorsements.subjectKind, query.subjectKind), eq(endorsements.subject, query.subject));
      return db.select().from(endorsements).where(and(where, isNull(endorsements.withdrawnAt))).orderBy(asc(endorsements.createdAt), asc(endorsements.id)).all().map(record);
    },
    async withdraw(orgId, id, at) {
      return db.update(endorsements).set({ withdrawnAt: at }).where(and(eq(endorsements.id, id), eq(endorsements.orgId, orgId), isNull(endorsements.withdrawnAt))).run().changes === 1;
    },
  };
}
