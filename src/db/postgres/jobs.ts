import { and, asc, desc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { CANCELLABLE, RUNNABLE, asJob, asJobRow, jobRowsWhere } from '../job-rows.js';
import type { IssuanceJobRepository } from '../repositories.js';
import { issuanceJobRows, issuanceJobs } from './schema.js';
import type { Executor } from './storage.js';

/** Spreadsheet issuance jobs on PostgreSQL. */
export function createPostgresJobRepository(db: Executor, inTransaction: <T>(fn: (tx: Executor) => Promise<T>) => Promise<T>): IssuanceJobRepository {
  return {
    async insert(job, rows) {
      await inTransaction(async (tx) => {
        await tx.insert(issuanceJobs).values({ ...job, lockedUntil: null });
        for (let i = 0; i < rows.length; i += 500) await tx.insert(issuanceJobRows).values(rows.slice(i, i + 500));
      });
    },
    async get(orgId, id) {
      const [row] = await db.select().from(issuanceJobs).where(and(eq(issuanceJobs.id, id), eq(issuanceJobs.orgId, orgId))).limit(1);
      return row && asJob(row);
    },
    async list(orgId, limit) {
      return (await db.select().from(issuanceJobs).where(eq(issuanceJobs.orgId, orgId)).orderBy(desc(issuanceJobs.createdAt), desc(issuanceJobs.id)).limit(limit)).map(asJob);
    },
    async rows(jobId, { states, afterRow, limit }) {
      const rows = await db
        .select()
        .from(issuanceJobRows)
        .where(jobRowsWhere(issuanceJobRows, jobId, { states, afterRow }))
        .orderBy(asc(issuanceJobRows.rowNumber))
        .limit(limit);
      return rows.map(asJobRow);
    },
    async confirm(orgId, id, at) {
      const done = await db
        .update(issuanceJobs)
        .set({ state: 'queued', confirmedAt: at })
        .where(and(eq(issuanceJobs.id, id), eq(issuanceJobs.orgId, orgId), eq(issuanceJobs.state, 'preview')))
        .returning({ id: issuanceJobs.id });
      return done.length > 0;
    },
    async cancel(orgId, id, at) {
      return inTransaction(async (tx) => {
        const done = await tx
          .update(issuanceJobs)
          .set({ state: 'cancelled', finishedAt: at, lockedUntil: null })
          .where(and(eq(issuanceJobs.id, id), eq(issuanceJobs.orgId, orgId), inArray(issuanceJobs.state, CANCELLABLE)))
          .returning({ id: issuanceJobs.id });
        if (done.length) await tx.update(issuanceJobRows).set({ award: null }).where(and(eq(issuanceJobRows.jobId, id), eq(issuanceJobRows.state, 'pending')));
        return done.length > 0;
      });
    },
    async claim(now, lockedUntil) {
      // FOR UPDATE SKIP LOCKED: a job another runner's claim is locking is passed over, not waited for.
      const next = db
        .select({ id: issuanceJobs.id })
        .from(issuanceJobs)
        .where(and(inArray(issuanceJobs.state, RUNNABLE), or(isNull(issuanceJobs.lockedUntil), lte(issuanceJobs.lockedUntil, now))))
        .orderBy(asc(issuanceJobs.confirmedAt), asc(issuanceJobs.id))
        .limit(1)
        .for('update', { skipLocked: true });
      const [row] = await db.update(issuanceJobs).set({ state: 'running', lockedUntil }).where(inArray(issuanceJobs.id, next)).returning();
      return row && asJob(row);
    },
    async renew(id, heldUntil, lockedUntil) {
      const done = await db
        .update(issuanceJobs)
        .set({ lockedUntil })
        .where(and(eq(issuanceJobs.id, id), eq(issuanceJobs.state, 'running'), eq(issuanceJobs.lockedUntil, heldUntil)))
        .returning({ id: issuanceJobs.id });
      return done.length > 0;
    },
    async markRow(jobId, rowNumber, outcome) {
      // One statement: the row changes only while pending, and the job counts only a row that changed.
      const set =
        outcome.state === 'issued'
          ? sql`state = 'issued', credential_id = ${outcome.credentialId}, award = null`
          : sql`state = 'failed', errors = ${JSON.stringify(outcome.errors)}::jsonb`;
      const column = outcome.state === 'issued' ? sql`issued` : sql`failed`;
      await db.execute(sql`
        with changed as (
          update issuance_job_rows set ${set}
          where job_id = ${jobId} and row_number = ${rowNumber} and state = 'pending'
          returning 1
        )
        update issuance_jobs set ${column} = ${column} + (select count(*) from changed)::integer where id = ${jobId}`);
    },
    async finish(id, at) {
      await inTransaction(async (tx) => {
        await tx.update(issuanceJobs).set({ state: 'done', finishedAt: at, lockedUntil: null }).where(and(eq(issuanceJobs.id, id), eq(issuanceJobs.state, 'running')));
        await tx.update(issuanceJobRows).set({ award: null }).where(eq(issuanceJobRows.jobId, id));
      });
    },
    async deleteStalePreviews(before) {
      return inTransaction(async (tx) => {
        const stale = (await tx.select({ id: issuanceJobs.id }).from(issuanceJobs).where(and(eq(issuanceJobs.state, 'preview'), lt(issuanceJobs.createdAt, before)))).map((r) => r.id);
        if (!stale.length) return 0;
        await tx.delete(issuanceJobRows).where(inArray(issuanceJobRows.jobId, stale));
        await tx.delete(issuanceJobs).where(inArray(issuanceJobs.id, stale));
        return stale.length;
      });
    },
  };
}
