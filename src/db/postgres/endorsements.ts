import { and, asc, eq, isNull } from 'drizzle-orm';
import type { EndorsementRecord, EndorsementRepository } from '../repositories.js';
import { endorsements } from './schema.js';
import type { Executor } from './storage.js';

const record = (row: typeof endorsements.$inferSelect): EndorsementRecord => ({ ...row, subjectKind: row.subjectKind as EndorsementRecord['subjectKind'] });

/** Endorsements on PostgreSQL. */
export function createPostgresEndorsementRepository(db: Executor): EndorsementRepository {
  return {
    async insert(row) {
      await db.insert(endorsements).values(row);
    },
    async get(id) {
      const row = (await db.select().from(endorsements).where(eq(endorsements.id, id)).limit(1))[0];
      return row && record(row);
    },
    async active(query) {
      const where = 'orgId' in query ? eq(endorsements.orgId, query.orgId) : and(eq(endorsements.subjectKind, query.subjectKind), eq(endorsements.subject, query.subject));
      return (await db.select().from(endorsements).where(and(where, isNull(endorsements.withdrawnAt))).orderBy(asc(endorsements.createdAt), asc(endorsements.id))).map(record);
    },
    async withdraw(orgId, id, at) {
      return (await db.update(endorsements).set({ withdrawnAt: at }).where(and(eq(endorsements.id, id), eq(endorsements.orgId, orgId), isNull(endorsements.withdrawnAt))).returning({ id: endorsements.id })).length === 1;
    },
  };
}
