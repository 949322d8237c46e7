import { and, asc, count, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { countByList } from '../repositories.js';
import type { Db } from '../client.js';
import type { StatusRepository } from '../repositories.js';
import { credentialStatuses, credentialSuspensions, credentials, statusLists } from '../schema.js';

const STATE = { revokedAt: credentialStatuses.revokedAt, reason: credentialStatuses.reason, reasonPublic: credentialStatuses.reasonPublic };

export function createSqliteStatusRepository(db: Db): StatusRepository {
  // Read on every credential page view: prepared once.
  const stateOf = db
    .select({ ...STATE, suspendedAt: credentialSuspensions.suspendedAt })
    .from(credentialStatuses)
    .leftJoin(credentialSuspensions, eq(credentialSuspensions.credentialId, credentialStatuses.credentialId))
    .where(eq(credentialStatuses.credentialId, sql.placeholder('id')))
    .prepare();
  // Written with every credential.
  const insertEntry = db
    .insert(credentialStatuses)
    .values({ credentialId: sql.placeholder('credentialId'), listId: sql.placeholder('listId'), statusIndex: sql.placeholder('statusIndex') })
    .prepare();
  // Read or written on every issuance.
  const listsInUse = db
    .select({ id: statusLists.id, used: statusLists.used })
    .from(statusLists)
    .where(and(eq(statusLists.orgId, sql.placeholder('orgId')), eq(statusLists.purpose, sql.placeholder('purpose'))))
    .orderBy(asc(statusLists.createdAt))
    .prepare();
  // Any number of candidates in one statement: the indexes travel as one JSON array.
  const takenIndexes = db
    .select({ index: credentialStatuses.statusIndex })
    .from(credentialStatuses)
    .where(and(eq(credentialStatuses.listId, sql.placeholder('listId')), sql`${credentialStatuses.statusIndex} in (select value from json_each(${sql.placeholder('indexes')}))`))
    .prepare();
  const withRoom = db.$client.prepare<{ orgId: string; purpose: string; below: number; indexes: string }, { id: string; used: number; taken: string }>(
    `select l.id, l.used, (select json_group_array(s.status_index) from credential_statuses s
       where s.list_id = l.id and s.status_index in (select value from json_each(:indexes))) as taken
     from status_lists l where l.org_id = :orgId and l.purpose = :purpose and l.used < :below order by l.created_at limit 1`,
  );
  const addUsed = db
    .update(statusLists)
    .set({ used: sql`${statusLists.used} + ${sql.placeholder('n')}` })
    .where(eq(statusLists.id, sql.placeholder('listId')))
    .prepare();
  // Read by every verification of one of our credentials (its status check).
  const listById = db.select().from(statusLists).where(eq(statusLists.id, sql.placeholder('listId'))).prepare();
  const stateAt = db
    .select(STATE)
    .from(credentialStatuses)
    .where(and(eq(credentialStatuses.listId, sql.placeholder('listId')), eq(credentialStatuses.statusIndex, sql.placeholder('index'))))
    .prepare();
  // Read by every verification of one of our credentials, with its revocation entry.
  const suspensionAt = db
    .select({ suspendedAt: credentialSuspensions.suspendedAt })
    .from(credentialSuspensions)
    .where(and(eq(credentialSuspensions.listId, sql.placeholder('listId')), eq(credentialSuspensions.statusIndex, sql.placeholder('index')), isNotNull(credentialSuspensions.suspendedAt)))
    .prepare();
  const suspendedIndexes = (listId: string) =>
    db
      .select({ index: credentialSuspensions.statusIndex })
      .from(credentialSuspensions)
      .where(and(eq(credentialSuspensions.listId, listId), isNotNull(credentialSuspensions.suspendedAt)))
      .orderBy(asc(credentialSuspensions.statusIndex))
      .all()
      .map((r) => r.index);
  const markStale = (listId: string) => db.update(statusLists).set({ signedCredential: null }).where(eq(statusLists.id, listId)).run();
  const revokedCount = (listId: string) =>
    db.select({ n: count() }).from(credentialStatuses).where(and(eq(credentialStatuses.listId, listId), isNotNull(credentialStatuses.revokedAt))).get()?.n ?? 0;
  return {
    async listsInUse(orgId, purpose) {
      return listsInUse.all({ orgId, purpose });
    },
    async createList(list) {
      db.insert(statusLists).values(list).run();
    },
    async ensureList(list) {
      db.insert(statusLists).values(list).onConflictDoNothing({ target: statusLists.id }).run();
    },
    async adoptLists(orgId) {
      db.update(statusLists).set({ orgId }).where(isNull(statusLists.orgId)).run();
    },
    async getList(listId) {
      return listById.get({ listId });
    },
    async takenIndexes(listId, indexes) {
      if (!indexes.length) return [];
      return takenIndexes.all({ listId, indexes: JSON.stringify(indexes) }).map((r) => r.index);
    },
    async listWithRoom(orgId, purpose, below, indexes) {
      const row = withRoom.get({ orgId, purpose, below, indexes: JSON.stringify(indexes) });
      return row && { id: row.id, used: row.used, taken: JSON.parse(row.taken) as number[] };
    },
    async insertEntries(rows) {
      for (const { credentialId, listId, statusIndex } of rows) insertEntry.run({ credentialId, listId, statusIndex });
      for (const [listId, n] of countByList(rows)) addUsed.run({ listId, n });
    },
    async credentialEntry(credentialId) {
      const row = db
        .select({ orgId: credentials.orgId, listId: credentialStatuses.listId, statusIndex: credentialStatuses.statusIndex, ...STATE })
        .from(credentials)
        .leftJoin(credentialStatuses, eq(credentialStatuses.credentialId, credentials.id))
        .where(eq(credentials.id, credentialId))
        .get();
      return row && { ...row, reasonPublic: row.reasonPublic ?? false };
    },
    async revoke(credentialId, listId, state) {
      db.update(credentialStatuses).set(state).where(eq(credentialStatuses.credentialId, credentialId)).run();
      db.update(statusLists).set({ signedCredential: null }).where(eq(statusLists.id, listId)).run();
    },
    async entryAt(listId, index) {
      return stateAt.get({ listId, index });
    },
    async entryOf(credentialId) {
      const row = stateOf.get({ id: credentialId });
      return row && { ...row, suspendedAt: row.suspendedAt ?? null };
    },
    async revokedIndexes(listId) {
      return db
        .select({ index: credentialStatuses.statusIndex })
        .from(credentialStatuses)
        .where(and(eq(credentialStatuses.listId, listId), isNotNull(credentialStatuses.revokedAt)))
        .all()
        .map((r) => r.index);
    },
    async saveSignedList(listId, signed, expectedRevoked) {
      // Only if nothing was revoked meanwhile (the stored copy is still cleared, the count unchanged).
      if (revokedCount(listId) !== expectedRevoked) return;
      db.update(statusLists).set({ signedCredential: signed }).where(and(eq(statusLists.id, listId), isNull(statusLists.signedCredential))).run();
    },
    async suspensionOf(credentialId) {
      const row = db.select().from(credentialSuspensions).where(eq(credentialSuspensions.credentialId, credentialId)).get();
      return row?.suspendedAt ? { ...row, suspendedAt: row.suspendedAt } : undefined;
    },
    async suspensionAt(listId, index) {
      const row = suspensionAt.get({ listId, index });
      return row?.suspendedAt ? { suspendedAt: row.suspendedAt } : undefined;
    },
    async suspend(record) {
      const { credentialId, ...rest } = record;
      db.insert(credentialSuspensions).values(record).onConflictDoUpdate({ target: credentialSuspensions.credentialId, set: rest }).run();
      markStale(record.listId);
    },
    async reinstate(credentialId, listId) {
      db.delete(credentialSuspensions).where(eq(credentialSuspensions.credentialId, credentialId)).run();
      markStale(listId);
    },
    async suspendedIndexes(listId) {
      return suspendedIndexes(listId);
    },
    async saveSignedSuspensions(listId, signed, suspended) {
      const now = suspendedIndexes(listId);
      const expected = [...suspended].sort((a, b) => a - b);
      if (now.length !== expected.length || now.some((index, i) => index !== expected[i])) return;
      db.update(statusLists).set({ signedCredential: signed }).where(and(eq(statusLists.id, listId), isNull(statusLists.signedCredential))).run();
    },
  };
}
