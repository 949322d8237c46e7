import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { asClaimed, byDue, deliveryCounts, latestPerCredential } from '../outbox-rows.js';
import type { OutboxRepository } from '../repositories.js';
import { outbox } from './schema.js';
import type { Executor } from './storage.js';

/** The e-mail outbox on PostgreSQL. */
export function createPostgresOutboxRepository(db: Executor): OutboxRepository {
  const stillQueued = (id: string) => and(eq(outbox.id, id), eq(outbox.state, 'queued'));
  return {
    async insert(rows) {
      if (rows.length) await db.insert(outbox).values(rows.map((row) => ({ ...row, state: 'queued' })));
    },
    async claim(now, lockedUntil, limit) {
      // FOR UPDATE SKIP LOCKED: a row another instance's claim is locking is passed over rather than
      // waited for; one whose claim committed first is read again (READ COMMITTED) and no longer due.
      const due = db
        .select({ id: outbox.id })
        .from(outbox)
        .where(and(eq(outbox.state, 'queued'), lte(outbox.nextAttemptAt, now), or(isNull(outbox.lockedUntil), lte(outbox.lockedUntil, now))))
        .orderBy(asc(outbox.nextAttemptAt), asc(outbox.id))
        .limit(limit)
        .for('update', { skipLocked: true });
      return (await db.update(outbox).set({ lockedUntil }).where(inArray(outbox.id, due)).returning()).map(asClaimed).sort(byDue);
    },
    async release(ids, lockedUntil) {
      if (ids.length) await db.update(outbox).set({ lockedUntil: null }).where(and(inArray(outbox.id, ids), eq(outbox.state, 'queued'), eq(outbox.lockedUntil, lockedUntil)));
    },
    async markSent(id, at, messageId) {
      await db
        .update(outbox)
        .set({ state: 'sent', sentAt: at, messageId, attempts: sql`${outbox.attempts} + 1`, recipient: null, payload: null, lockedUntil: null, lastError: null })
        .where(stillQueued(id));
    },
    async retryAt(id, nextAttemptAt, lastError) {
      await db.update(outbox).set({ attempts: sql`${outbox.attempts} + 1`, nextAttemptAt, lastError, lockedUntil: null }).where(stillQueued(id));
    },
    async markFailed(id, lastError) {
      await db.update(outbox).set({ state: 'failed', attempts: sql`${outbox.attempts} + 1`, lastError, recipient: null, payload: null, lockedUntil: null }).where(stillQueued(id));
    },
    async dropQueued(credentialId) {
      return (await db.delete(outbox).where(and(eq(outbox.credentialId, credentialId), eq(outbox.state, 'queued'))).returning({ id: outbox.id })).length;
    },
    async deliveryOf(credentialIds) {
      if (!credentialIds.length) return [];
      const rows = await db
        .select({ credentialId: outbox.credentialId, state: outbox.state, attempts: outbox.attempts, lastError: outbox.lastError, nextAttemptAt: outbox.nextAttemptAt, sentAt: outbox.sentAt })
        .from(outbox)
        .where(and(inArray(outbox.credentialId, credentialIds), eq(outbox.kind, 'award')))
        .orderBy(asc(outbox.createdAt), asc(outbox.id));
      return latestPerCredential(rows);
    },
    async countsOf(orgId) {
      // From the organisation's credentials (their index) to each one's messages (`outbox_credential`).
      const { rows } = await db.execute<{ badgeClass: string; state: string; n: number }>(
        sql`select c.badge_class as "badgeClass", o.state as state, count(*)::integer as n
            from credentials c join outbox o on o.credential_id = c.id
            where c.provider_id = ${orgId} and o.kind = 'award'
            group by c.badge_class, o.state`,
      );
      return deliveryCounts(rows);
    },
  };
}
