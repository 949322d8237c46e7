import { and, asc, eq, isNotNull, lt, lte } from 'drizzle-orm';
import type { Db } from '../client.js';
import type { ExpiryReminderRepository } from '../repositories.js';
import { credentials, expiryReminders } from '../schema.js';

const RECORD = {
  credentialId: expiryReminders.credentialId,
  orgId: expiryReminders.orgId,
  validUntil: expiryReminders.validUntil,
  due: expiryReminders.due,
  address: expiryReminders.address,
  keepUntil: expiryReminders.keepUntil,
};

/** Expiry reminders on SQLite. */
export function createSqliteReminderRepository(db: Db): ExpiryReminderRepository {
  return {
    async insert(rows) {
      if (rows.length) db.insert(expiryReminders).values(rows.map((r) => ({ ...r, nextDueAt: r.due[0] ?? null }))).run();
    },
    async get(credentialId) {
      return db.select(RECORD).from(expiryReminders).where(eq(expiryReminders.credentialId, credentialId)).get();
    },
    async due(at, limit) {
      return db
        .select({ ...RECORD, badgeClass: credentials.badgeClass, language: credentials.language, recipientName: credentials.recipientName })
        .from(expiryReminders)
        .innerJoin(credentials, eq(credentials.id, expiryReminders.credentialId))
        .where(and(isNotNull(expiryReminders.nextDueAt), lte(expiryReminders.nextDueAt, at)))
        .orderBy(asc(expiryReminders.nextDueAt))
        .limit(limit)
        .all();
    },
    async advance(credentialId, from, remaining) {
      return (
        db
          .update(expiryReminders)
          .set({ due: remaining, nextDueAt: remaining[0] ?? null })
          .where(and(eq(expiryReminders.credentialId, credentialId), eq(expiryReminders.nextDueAt, from)))
          .run().changes === 1
      );
    },
    async drop(credentialId) {
      db.delete(expiryReminders).where(eq(expiryReminders.credentialId, credentialId)).run();
    },
    async purge(at) {
      return db.delete(expiryReminders).where(lt(expiryReminders.keepUntil, at)).run().changes;
    },
  };
}
