import { and, asc, desc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { CANCELLABLE, RUNNABLE, asJob, asJobRow, jobRowsWhere } from '../job-rows.js';
import type { IssuanceJobRepository } from '../repositories.js';
import { issuanceJobRows, issuanceJobs } from '../schema.js';

/** Spreadsheet issuance jobs on SQLite. Multi-statement steps run in one (synchronous) transaction. */
export function createSqliteJobRepository(db: Db): IssuanceJobRepository {
  const counter = { issued: issuanceJobs.issued, failed: issuanceJobs.failed } as const;
  return {
    async insert(job, rows) {
      db.transaction((tx) => {
        tx.insert(issuanceJobs).values({ ...job, lockedUntil: null }).run();
        // 100 rows per statement: 7 columns each, well within SQLite's parameter limit.
        for (let i = 0; i < rows.length; i += 100) tx.insert(issuanceJobRows).values(rows.slice(i, i + 100)).run();
      });
    },
    async get(orgId, id) {
      const row = db.select().from(issuanceJobs).where(and(eq(issuanceJobs.id, id), eq(issuanceJobs.orgId, orgId))).get();
      return row && asJob(row);
    },
    async list(orgId, limit) {
      return db.select().from(issuanceJobs).where(eq(issuanceJobs.orgId, orgId)).orderBy(desc(issuanceJobs.createdAt), desc(issuanceJobs.id)).limit(limit).all().map(asJob);
    },
    async rows(jobId, { states, afterRow, limit }) {
      return db
        .select()
        .from(issuanceJobRows)
        .where(jobRowsWhere(issuanceJobRows, jobId, { states, afterRow }))
        .orderBy(asc(issuanceJobRows.rowNumber))
        .limit(limit)
        .all()
        .map(asJobRow);
    },
    async confirm(orgId, id, at) {
      const done = db
        .update(issuanceJobs)
        .set({ state: 'queued', confirmedAt: at })
        .where(and(eq(issuanceJobs.id, id), eq(issuanceJobs.orgId, orgId), eq(issuanceJobs.state, 'preview')))
        .run();
      return done.changes > 0;
    },
    async cancel(orgId, id, at) {
      const done = db
        .update(issuanceJobs)
        .set({ state: 'cancelled', finishedAt: at, lockedUntil: null })
        .where(and(eq(issuanceJobs.id, id), eq(issuanceJobs.orgId, orgId), inArray(issuanceJobs.state, CANCELLABLE)))
        .run();
      if (done.changes > 0) db.update(issuanceJobRows).set({ award: null }).where(and(eq(issuanceJobRows.jobId, id), eq(issuanceJobRows.state, 'pending'))).run();
      return done.changes > 0;
    },
    async claim(now, lockedUntil) {
      // One UPDATE … RETURNING under SQLite's single write lock: a job another connection took has its
      // lock set before this one reads it.
      const next = db
        .select({ id: issuanceJobs.id })
        .from(issuanceJobs)
        .where(and(inArray(issuanceJobs.state, RUNNABLE), or(isNull(issuanceJobs.lockedUntil), lte(issuanceJobs.lockedUntil, now))))
        .orderBy(asc(issuanceJobs.confirmedAt), asc(issuanceJobs.id))
        .limit(1);
      const row = db.update(issuanceJobs).set({ state: 'running', lockedUntil }).where(inArray(issuanceJobs.id, next)).returning().get();
      return row && asJob(row);
    },
    async renew(id, heldUntil, lockedUntil) {
      const done = db
        .update(issuanceJobs)
        .set({ lockedUntil })
        .where(and(eq(issuanceJobs.id, id), eq(issuanceJobs.state, 'running'), eq(issuanceJobs.lockedUntil, heldUntil)))
        .run();
      return done.changes > 0;
    },
    async markRow(jobId, rowNumber, outcome) {
      db.transaction((tx) => {
        const changed = tx
          .update(issuanceJobRows)
          .set(outcome.state === 'issued' ? { state: 'issued', credentialId: outcome.credentialId, award: null } : { state: 'failed', errors: outcome.errors })
          .where(and(eq(issuanceJobRows.jobId, jobId), eq(issuanceJobRows.rowNumber, rowNumber), eq(issuanceJobRows.state, 'pending')))
          .run();
        if (changed.changes === 0) return;
        const column = counter[outcome.state];
        tx.update(issuanceJobs).set({ [outcome.state]: sql`${column} + 1` }).where(eq(issuanceJobs.id, jobId)).run();
      });
    },
    async finish(id, at) {
      db.transaction((tx) => {
        tx.update(issuanceJobs).set({ state: 'done', finishedAt: at, lockedUntil: null }).where(and(eq(issuanceJobs.id, id), eq(issuanceJobs.state, 'running'))).run();
        tx.update(issuanceJobRows).set({ award: null }).where(eq(issuanceJobRows.jobId, id)).run();
      });
    },
    async deleteStalePreviews(before) {
      return db.transaction((tx) => {
        const stale = tx.select({ id: issuanceJobs.id }).from(issuanceJobs).where(and(eq(issuanceJobs.state, 'preview'), lt(issuanceJobs.createdAt, before))).all().map((r) => r.id);
        if (!stale.length) return 0;
        tx.delete(issuanceJobRows).where(inArray(issuanceJobRows.jobId, stale)).run();
        tx.delete(issuanceJobs).where(inArray(issuanceJobs.id, stale)).run();
        return stale.length;
      });
    },
  };
}
