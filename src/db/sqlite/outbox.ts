import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { asClaimed, byDue, deliveryCounts, latestPerCredential } from '../outbox-rows.js';
import type { OutboxRecord, OutboxRepository } from '../repositories.js';
import { outbox } from '../schema.js';

const INSERTED = ['id', 'orgId', 'kind', 'credentialId', 'recipient', 'language', 'payload', 'createdAt', 'nextAttemptAt'] as const satisfies ReadonlyArray<keyof OutboxRecord>;

/** The e-mail outbox on SQLite. */
export function createSqliteOutboxRepository(db: Db): OutboxRepository {
  // One more row for most issuances: prepared once, as the credentials' insert is.
  const insertOne = db
    .insert(outbox)
    .values({ ...(Object.fromEntries(INSERTED.map((column) => [column, sql.placeholder(column)])) as unknown as typeof outbox.$inferInsert), state: 'queued' })
    .prepare();
  const stillQueued = (id: string) => and(eq(outbox.id, id), eq(outbox.state, 'queued'));
  return {
    async insert(rows) {
      for (const row of rows) insertOne.run({ ...row });
    },
    async claim(now, lockedUntil, limit) {
      // One UPDATE … RETURNING: SQLite runs it under the database's single write lock, so a row
      // another connection (another instance on this file) took has its lock set before this one
      // reads it, and is passed over.
      const due = db
        .select({ id: outbox.id })
        .from(outbox)
        .where(and(eq(outbox.state, 'queued'), lte(outbox.nextAttemptAt, now), or(isNull(outbox.lockedUntil), lte(outbox.lockedUntil, now))))
        // Ties in the order they were queued: the rowid ends the `outbox_due` index, so no sort is needed.
        .orderBy(asc(outbox.nextAttemptAt), sql`rowid`)
        .limit(limit);
      return db.update(outbox).set({ lockedUntil }).where(inArray(outbox.id, due)).returning().all().map(asClaimed).sort(byDue);
    },
    async release(ids, lockedUntil) {
      if (ids.length) db.update(outbox).set({ lockedUntil: null }).where(and(inArray(outbox.id, ids), eq(outbox.state, 'queued'), eq(outbox.lockedUntil, lockedUntil))).run();
    },
    async markSent(id, at, messageId) {
      db.update(outbox)
        .set({ state: 'sent', sentAt: at, messageId, attempts: sql`${outbox.attempts} + 1`, recipient: null, payload: null, lockedUntil: null, lastError: null })
        .where(stillQueued(id))
        .run();
    },
    async retryAt(id, nextAttemptAt, lastError) {
      db.update(outbox).set({ attempts: sql`${outbox.attempts} + 1`, nextAttemptAt, lastError, lockedUntil: null }).where(stillQueued(id)).run();
    },
    async markFailed(id, lastError) {
      db.update(outbox).set({ state: 'failed', attempts: sql`${outbox.attempts} + 1`, lastError, recipient: null, payload: null, lockedUntil: null }).where(stillQueued(id)).run();
    },
    async dropQueued(credentialId) {
      return db.delete(outbox).where(and(eq(outbox.credentialId, credentialId), eq(outbox.state, 'queued'))).run().changes;
    },
    async deliveryOf(credentialIds) {
      if (!credentialIds.length) return [];
      const rows = db
        .select({ credentialId: outbox.credentialId, state: outbox.state, attempts: outbox.attempts, lastError: outbox.lastError, nextAttemptAt: outbox.nextAttemptAt, sentAt: outbox.sentAt })
        .from(outbox)
        .where(and(inArray(outbox.credentialId, credentialIds), eq(outbox.kind, 'award')))
        .orderBy(asc(outbox.createdAt), asc(outbox.id))
        .all();
      return latestPerCredential(rows);
    },
    async countsOf(orgId) {
      // CROSS JOIN keeps SQLite's planner on this order: the organisation's credentials by their
      // index, then each one's messages by `outbox_credential`, never a scan of the whole outbox.
      const rows = db.all<{ badgeClass: string; state: string; n: number }>(
        sql`select c.badge_class as "badgeClass", o.state as state, count(*) as n
            from credentials c cross join outbox o
            where c.provider_id = ${orgId} and o.credential_id = c.id and o.kind = 'award'
            group by c.badge_class, o.state`,
      );
      return deliveryCounts(rows);
    },
  };
}
