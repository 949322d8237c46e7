import { and, asc, eq, isNotNull, lt, lte } from 'drizzle-orm';
import type { ExpiryReminderRepository } from '../repositories.js';
import { credentials, expiryReminders } from './schema.js';
import type { Executor } from './storage.js';

const RECORD = {
  credentialId: expiryReminders.credentialId,
  orgId: expiryReminders.orgId,
  validUntil: expiryReminders.validUntil,
  due: expiryReminders.due,
  address: expiryReminders.address,
  keepUntil: expiryReminders.keepUntil,
};

/** Expiry reminders on PostgreSQL. */
export function createPostgresReminderRepository(db: Executor): ExpiryReminderRepository {
  return {
    async insert(rows) {
      if (rows.length) await db.insert(expiryReminders).values(rows.map((r) => ({ ...r, nextDueAt: r.due[0] ?? null })));
    },
    async get(credentialId) {
      return (await db.select(RECORD).from(expiryReminders).where(eq(expiryReminders.credentialId, credentialId)).limit(1))[0];
    },
    async due(at, limit) {
      return db
        .select({ ...RECORD, badgeClass: credentials.badgeClass, language: credentials.language, recipientName: credentials.recipientName })
        .from(expiryReminders)
        .innerJoin(credentials, eq(credentials.id, expiryReminders.credentialId))
        .where(and(isNotNull(expiryReminders.nextDueAt), lte(expiryReminders.nextDueAt, at)))
        .orderBy(asc(expiryReminders.nextDueAt))
        .limit(limit);
    },
    async advance(credentialId, from, remaining) {
      const rows = await db
        .update(expiryReminders)
        .set({ due: remaining, nextDueAt: remaining[0] ?? null })
        .where(and(eq(expiryReminders.credentialId, credentialId), eq(expiryReminders.nextDueAt, from)))
        .returning({ id: expiryReminders.credentialId });
      return rows.length === 1;
    },
    async drop(credentialId) {
      await db.delete(expiryReminders).where(eq(expiryReminders.credentialId, credentialId));
    },
    async purge(at) {
      return (await db.delete(expiryReminders).where(lt(expiryReminders.keepUntil, at)).returning({ id: expiryReminders.credentialId })).length;
    },
  };
}
