import { and, asc, count, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { UNSIGNED_JWT, erasedColumns, storedJwt, withJwt, type CredentialRecord, type CredentialRepository, type IdempotencyRepository } from '../repositories.js';
import { credentialStatuses, credentialSuspensions, credentials, idempotencyKeys } from '../schema.js';
import { awardFilter, awardRowColumns, credentialStateColumns } from '../award-search.js';

const INSERTED = ['id', 'orgId', 'badgeClass', 'badgeClassVersion', 'language', 'issuedAt', 'validUntil', 'document', 'jwt', 'recipientName', 'learnerKey', 'renews'] as const satisfies ReadonlyArray<keyof CredentialRecord>;
const AWARD_ROW = awardRowColumns({ credentials, statuses: credentialStatuses, suspensions: credentialSuspensions });
const DOCUMENT = { id: credentials.id, orgId: credentials.orgId, badgeClass: credentials.badgeClass, document: credentials.document, jwt: credentials.jwt };
const STATE = credentialStateColumns({ credentials, statuses: credentialStatuses, suspensions: credentialSuspensions });

export function createSqliteCredentialRepository(db: Db): CredentialRepository {
  // The hot statements, prepared once: drizzle builds the SQL of an unprepared query on every call.
  const byId = db.select(DOCUMENT).from(credentials).where(eq(credentials.id, sql.placeholder('id'))).prepare();
  const insertOne = db
    .insert(credentials)
    .values(Object.fromEntries(INSERTED.map((column) => [column, sql.placeholder(column)])) as unknown as typeof credentials.$inferInsert)
    .prepare();
  const saveJwt = db
    .update(credentials)
    .set({ jwt: sql.placeholder('jwt') as unknown as string })
    .where(and(eq(credentials.id, sql.placeholder('id')), eq(credentials.jwt, UNSIGNED_JWT), isNull(credentials.erasedAt)))
    .prepare();
  // Read on every view of a credential (its document may come from a cache; its state never does).
  const stateOf = db
    .select(STATE)
    .from(credentials)
    .leftJoin(credentialStatuses, eq(credentialStatuses.credentialId, credentials.id))
    .leftJoin(credentialSuspensions, eq(credentialSuspensions.credentialId, credentials.id))
    .where(eq(credentials.id, sql.placeholder('id')))
    .prepare();
  return {
    async insert(rows) {
      for (const row of rows) insertOne.run({ ...row, jwt: storedJwt(row.jwt), recipientName: row.recipientName ?? null, learnerKey: row.learnerKey ?? null, renews: row.renews ?? null });
    },
    async get(id) {
      const row = byId.get({ id });
      return row && withJwt(row);
    },
    async getMany(ids) {
      return ids.length ? db.select(DOCUMENT).from(credentials).where(inArray(credentials.id, ids)).all().map(withJwt) : [];
    },
    async saveJwt(id, jwt) {
      saveJwt.run({ id, jwt });
    },
    async stateOf(id) {
      // SQLite's transactions run one at a time (storage.ts): the row needs no lock of its own.
      const row = stateOf.get({ id });
      return row && { ...row, reasonPublic: row.reasonPublic ?? false };
    },
    async markReplaced(id, replacedBy) {
      const changed = db.update(credentials).set({ replacedBy }).where(and(eq(credentials.id, id), isNull(credentials.replacedBy), isNull(credentials.erasedAt))).run().changes;
      return changed === 1;
    },
    async markRenewed(id, renewedBy) {
      const changed = db
        .update(credentials)
        .set({ renewedBy })
        .where(and(eq(credentials.id, id), isNull(credentials.renewedBy), isNull(credentials.replacedBy), isNull(credentials.erasedAt)))
        .run().changes;
      return changed === 1;
    },
    async erase(id, at) {
      return db.update(credentials).set(erasedColumns(at)).where(and(eq(credentials.id, id), isNull(credentials.erasedAt))).run().changes === 1;
    },
    async search(orgId, query) {
      return db
        .select(AWARD_ROW)
        .from(credentials)
        .leftJoin(credentialStatuses, eq(credentialStatuses.credentialId, credentials.id))
        .leftJoin(credentialSuspensions, eq(credentialSuspensions.credentialId, credentials.id))
        .where(awardFilter({ credentials, statuses: credentialStatuses, suspensions: credentialSuspensions }, orgId, query))
        .orderBy(desc(credentials.issuedAt), desc(credentials.id))
        .limit(query.limit)
        .all();
    },
    async countByBadgeClass(orgId) {
      return db
        .select({ badgeClass: credentials.badgeClass, awarded: count(), claimed: count(credentials.claimedAt) })
        .from(credentials)
        .where(eq(credentials.orgId, orgId))
        .groupBy(credentials.badgeClass)
        .orderBy(asc(credentials.badgeClass))
        .all();
    },
    async markClaimed(id, at) {
      db.update(credentials).set({ claimedAt: at }).where(and(eq(credentials.id, id), isNull(credentials.claimedAt), isNull(credentials.erasedAt))).run();
    },
    async list(orgId, { badgeClass, limit, after, offset = 0, withTotal = false }) {
      const scope = and(eq(credentials.orgId, orgId), badgeClass ? eq(credentials.badgeClass, badgeClass) : undefined);
      const total = withTotal ? (db.select({ n: count() }).from(credentials).where(scope).get()?.n ?? 0) : undefined;
      // A row-value comparison: the index range starts at the cursor (an OR of the two cases would scan up to it).
      const where = after ? and(scope, sql`(${credentials.issuedAt}, ${credentials.id}) < (${after.issuedAt}, ${after.id})`) : scope;
      const items = db
        .select({ id: credentials.id, badgeClass: credentials.badgeClass, language: credentials.language, issuedAt: credentials.issuedAt, validUntil: credentials.validUntil })
        .from(credentials)
        .where(where)
        .orderBy(desc(credentials.issuedAt), desc(credentials.id))
        .limit(limit)
        .offset(after ? 0 : offset)
        .all();
      return { ...(total !== undefined ? { total } : {}), items };
    },
    async legacyLearnerKeys(limit) {
      return db
        .select({ id: credentials.id, orgId: credentials.orgId, key: credentials.legacyRecipientKey })
        .from(credentials)
        .where(isNotNull(credentials.legacyRecipientKey))
        .limit(limit)
        .all() as Array<{ id: string; orgId: string; key: string }>;
    },
    async setLearnerKeys(rows) {
      db.transaction((tx) => {
        for (const { id, learnerKey } of rows) tx.update(credentials).set({ learnerKey, legacyRecipientKey: null }).where(eq(credentials.id, id)).run();
      });
    },
  };
}

export function createSqliteIdempotencyRepository(db: Db): IdempotencyRepository {
  return {
    async find(orgId, key) {
      return db.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.orgId, orgId), eq(idempotencyKeys.key, key))).get();
    },
    async findMany(orgId, keys) {
      if (!keys.length) return [];
      return db
        .select({ key: idempotencyKeys.key, credentialIds: idempotencyKeys.credentialIds })
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.orgId, orgId), inArray(idempotencyKeys.key, keys)))
        .all();
    },
    async insert(record) {
      db.insert(idempotencyKeys).values(record).run();
    },
  };
}
