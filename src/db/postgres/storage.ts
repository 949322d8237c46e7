import { and, asc, count, desc, eq, inArray, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import type { NodePgQueryResultHKT } from 'drizzle-orm/node-postgres';
import { PgDialect, type PgDatabase } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import { fromPostgres, translatingErrors } from '../errors.js';
import { UNSIGNED_JWT, countByList, erasedColumns, storedJwt, withJwt, type CredentialState, type OrganisationKeyRecord, type Repositories, type Storage } from '../repositories.js';
import { createPostgresAccountRepository } from './accounts.js';
import { awardFilter, awardRowColumns, credentialStateColumns } from '../award-search.js';
import { createPostgresBadgeClassRepository } from './badge-classes.js';
import type { PgDb } from './client.js';
import { createPostgresJobRepository } from './jobs.js';
import { createPostgresPathwayRepository } from './pathways.js';
import { createPostgresProfilingRepository } from './profiling.js';
import { createPostgresEndorsementRepository } from './endorsements.js';
import { createPostgresReminderRepository } from './reminders.js';
import { createPostgresDefinitionRepository } from './definitions.js';
import { createPostgresOutboxRepository } from './outbox.js';
import { createPostgresUsageRepository } from './usage.js';
import { createCoalescedReads } from '../../threads/coalesced-reads.js';
import { createStateCache, type StateCache, type StateCacheOptions } from './state-cache.js';
import { apiKeys, credentialStatuses, credentialSuspensions, credentials, idempotencyKeys, organisationKeys, organisations, questionnaires, frameworks, statusLists } from './schema.js';
import type * as schema from './schema.js';

/** The database or a transaction on it: repositories run the same statements on either. */
export type Executor = PgDatabase<NodePgQueryResultHKT, typeof schema>;

const DOCUMENT = { id: credentials.id, orgId: credentials.orgId, badgeClass: credentials.badgeClass, document: credentials.document, jwt: credentials.jwt };
const CREDENTIAL_STATE = credentialStateColumns({ credentials, statuses: credentialStatuses, suspensions: credentialSuspensions });
const STATE = { revokedAt: credentialStatuses.revokedAt, reason: credentialStatuses.reason, reasonPublic: credentialStatuses.reasonPublic };
const first = <T>(rows: T[]): T | undefined => rows[0];
const asKey = (row: typeof organisationKeys.$inferSelect): OrganisationKeyRecord => ({ ...row, type: row.type as OrganisationKeyRecord['type'] });

const dialect = new PgDialect();

/**
 * Runs a hand-written statement on the pool; with a name, as a named prepared statement, which each
 * connection parses and plans once. The name must stand for one statement text.
 */
type RunNamed = <T>(name: string | undefined, query: SQL) => Promise<T[]>;
const namedOn =
  (db: Executor, pool: pg.Pool): RunNamed =>
  async <T>(name: string | undefined, query: SQL) => {
    if (name === undefined) return (await db.execute(query)).rows as T[];
    const { sql: text, params } = dialect.sqlToQuery(query);
    return (await pool.query({ name, text, values: params })).rows as T[];
  };

/**
 * Runs a statement that changes these credentials' states, telling the instance's state cache: on the
 * pool, before and after it; in a transaction, before it and again once the transaction has ended.
 */
type ChangingStates = <T>(ids: string[], write: () => Promise<T>) => Promise<T>;

/**
 * `states`, on the pool itself rather than inside a transaction: plain reads of a credential's state
 * (every credential URL reads one) come from the instance's state cache, or else are gathered while
 * one is in flight.
 */
function repositories(
  db: Executor,
  inTransaction: <T>(fn: (tx: Executor) => Promise<T>) => Promise<T>,
  changing: ChangingStates,
  { states }: { states?: StateCache } = {},
): Repositories {
  // Statements of every API request and every credential page view, as named prepared statements:
  // each connection parses and plans them once.
  const keyByHash = db
    .select({ keyId: apiKeys.id, badgeClasses: apiKeys.badgeClasses, revokedAt: apiKeys.revokedAt, orgId: organisations.id, name: organisations.name })
    .from(apiKeys)
    .innerJoin(organisations, eq(apiKeys.orgId, organisations.id))
    .where(eq(apiKeys.keyHash, sql.placeholder('keyHash')))
    .limit(1)
    .prepare('key_by_hash');
  const stateOf = db
    .select({ ...STATE, suspendedAt: credentialSuspensions.suspendedAt })
    .from(credentialStatuses)
    .leftJoin(credentialSuspensions, eq(credentialSuspensions.credentialId, credentialStatuses.credentialId))
    .where(eq(credentialStatuses.credentialId, sql.placeholder('id')))
    .limit(1)
    .prepare('status_state_of');
  const suspensionAt = db
    .select({ suspendedAt: credentialSuspensions.suspendedAt })
    .from(credentialSuspensions)
    .where(and(eq(credentialSuspensions.listId, sql.placeholder('listId')), eq(credentialSuspensions.statusIndex, sql.placeholder('index')), isNotNull(credentialSuspensions.suspendedAt)))
    .limit(1)
    .prepare('suspension_at');
  const suspendedIndexes = async (on: Executor, listId: string) =>
    (
      await on
        .select({ index: credentialSuspensions.statusIndex })
        .from(credentialSuspensions)
        .where(and(eq(credentialSuspensions.listId, listId), isNotNull(credentialSuspensions.suspendedAt)))
        .orderBy(asc(credentialSuspensions.statusIndex))
    ).map((r) => r.index);
  // One statement for one credential or many (`= any($1)`), planned once per connection.
  const credentialStates = db
    .select(CREDENTIAL_STATE)
    .from(credentials)
    .leftJoin(credentialStatuses, eq(credentialStatuses.credentialId, credentials.id))
    .leftJoin(credentialSuspensions, eq(credentialSuspensions.credentialId, credentials.id))
    .where(sql`${credentials.id} = any(${sql.placeholder('ids')})`)
    .prepare('credential_states_of');
  const statesOf = async (ids: string[]) => new Map((await credentialStates.execute({ ids })).map((row): [string, CredentialState] => [row.id, { ...row, reasonPublic: row.reasonPublic ?? false }]));
  // On the pool: from the state cache, or else, under load, gathered while one read is in flight, each
  // still started after its request arrived (threads/coalesced-reads.ts). In a transaction, reads go on
  // its connection, one by one, and see its own writes.
  let readState = async (id: string) => (await statesOf([id])).get(id);
  if (states) {
    const coalesced = createCoalescedReads(statesOf);
    readState = (id) => states.read(id, (key) => coalesced.read(key));
  }
  const listById = db.select().from(statusLists).where(eq(statusLists.id, sql.placeholder('listId'))).limit(1).prepare('status_list_by_id');
  const stateAt = db
    .select(STATE)
    .from(credentialStatuses)
    .where(and(eq(credentialStatuses.listId, sql.placeholder('listId')), eq(credentialStatuses.statusIndex, sql.placeholder('index'))))
    .limit(1)
    .prepare('status_state_at');
  const repos: Repositories = {
    outbox: createPostgresOutboxRepository(db),
    jobs: createPostgresJobRepository(db, inTransaction),
    pathways: createPostgresPathwayRepository(db),
    questionnaires: createPostgresDefinitionRepository(db, questionnaires),
    frameworks: createPostgresDefinitionRepository(db, frameworks),
    profiling: createPostgresProfilingRepository(db),
    endorsements: createPostgresEndorsementRepository(db),
    reminders: createPostgresReminderRepository(db),
    usage: createPostgresUsageRepository(db),
    accounts: createPostgresAccountRepository(db),
    badgeClasses: createPostgresBadgeClassRepository(db, inTransaction),
    organisations: {
      async insertOrganisation(org, keys, firstApiKey) {
        await inTransaction(async (tx) => {
          await tx.insert(organisations).values(org);
          if (keys.length) await tx.insert(organisationKeys).values(keys);
          if (firstApiKey) await tx.insert(apiKeys).values(firstApiKey);
        });
      },
      async byId(id) {
        return first(await db.select().from(organisations).where(eq(organisations.id, id)).limit(1));
      },
      async bySlug(slug) {
        return first(await db.select().from(organisations).where(eq(organisations.slug, slug)).limit(1));
      },
      async instance() {
        return first(await db.select().from(organisations).where(eq(organisations.isInstance, true)).limit(1));
      },
      async list() {
        return db.select().from(organisations).orderBy(asc(organisations.createdAt), asc(organisations.id));
      },
      async updateProfile(id, name, profile) {
        await db.update(organisations).set({ name, profile }).where(eq(organisations.id, id));
      },
      async signingKeys(orgId) {
        return (await db.select().from(organisationKeys).where(eq(organisationKeys.orgId, orgId)).orderBy(asc(organisationKeys.createdAt), asc(organisationKeys.id))).map(asKey);
      },
      async signingKeyNamed(name) {
        const row = first(await db.select().from(organisationKeys).where(eq(organisationKeys.name, name)).limit(1));
        return row && asKey(row);
      },
      async rotateSigningKeys(orgId, added, retired, at) {
        await inTransaction(async (tx) => {
          if (retired.length) await tx.update(organisationKeys).set({ retiredAt: at }).where(and(eq(organisationKeys.orgId, orgId), inArray(organisationKeys.id, retired)));
          if (added.length) await tx.insert(organisationKeys).values(added);
        });
      },
      async insertKey(key) {
        await db.insert(apiKeys).values(key);
      },
      async apiKeysOf(orgId) {
        const rows = await db.select().from(apiKeys).where(eq(apiKeys.orgId, orgId)).orderBy(desc(apiKeys.createdAt));
        return rows.map((k) => ({ id: k.id, prefix: k.keyPrefix, badgeClasses: k.badgeClasses, revoked: k.revokedAt !== null }));
      },
      async revokeApiKey(orgId, keyId, at) {
        const rows = await db
          .update(apiKeys)
          .set({ revokedAt: at })
          .where(and(eq(apiKeys.id, keyId), eq(apiKeys.orgId, orgId), isNull(apiKeys.revokedAt)))
          .returning({ id: apiKeys.id });
        return rows.length === 1;
      },
      async exists(orgId) {
        return (await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, orgId)).limit(1)).length > 0;
      },
      async listWithKeys() {
        const rows = await db.select().from(organisations).orderBy(asc(organisations.createdAt), asc(organisations.id));
        const keys = await db.select().from(apiKeys);
        return rows.map((o) => ({
          id: o.id,
          slug: o.slug,
          name: o.name,
          keys: keys.filter((k) => k.orgId === o.id).map((k) => ({ id: k.id, prefix: k.keyPrefix, badgeClasses: k.badgeClasses, revoked: k.revokedAt !== null })),
        }));
      },
      async findKeyByHash(keyHash) {
        const row = first(await keyByHash.execute({ keyHash }));
        return row && { keyId: row.keyId, badgeClasses: row.badgeClasses, revoked: row.revokedAt !== null, org: { id: row.orgId, name: row.name } };
      },
    },
    credentials: {
      async insert(rows) {
        if (rows.length) await db.insert(credentials).values(rows.map((row) => ({ ...row, jwt: storedJwt(row.jwt) })));
      },
      async get(id) {
        const row = first(await db.select(DOCUMENT).from(credentials).where(eq(credentials.id, id)).limit(1));
        return row && withJwt(row);
      },
      async getMany(ids) {
        return ids.length ? (await db.select(DOCUMENT).from(credentials).where(inArray(credentials.id, ids))).map(withJwt) : [];
      },
      async saveJwt(id, jwt) {
        await db.update(credentials).set({ jwt }).where(and(eq(credentials.id, id), eq(credentials.jwt, UNSIGNED_JWT), isNull(credentials.erasedAt)));
      },
      async stateOf(id, { lock = false } = {}) {
        if (!lock) return readState(id);
        const row = first(
          await db
            .select(CREDENTIAL_STATE)
            .from(credentials)
            .leftJoin(credentialStatuses, eq(credentialStatuses.credentialId, credentials.id))
            .leftJoin(credentialSuspensions, eq(credentialSuspensions.credentialId, credentials.id))
            .where(eq(credentials.id, id))
            .limit(1)
            // Two instances changing one credential at once: the second waits, then reads the first's change.
            .for('update', { of: credentials }),
        );
        return row && { ...row, reasonPublic: row.reasonPublic ?? false };
      },
      async markReplaced(id, replacedBy) {
        const rows = await changing([id], () =>
          db
            .update(credentials)
            .set({ replacedBy })
            .where(and(eq(credentials.id, id), isNull(credentials.replacedBy), isNull(credentials.erasedAt)))
            .returning({ id: credentials.id }),
        );
        return rows.length === 1;
      },
      async markRenewed(id, renewedBy) {
        const rows = await changing([id], () =>
          db
            .update(credentials)
            .set({ renewedBy })
            .where(and(eq(credentials.id, id), isNull(credentials.renewedBy), isNull(credentials.replacedBy), isNull(credentials.erasedAt)))
            .returning({ id: credentials.id }),
        );
        return rows.length === 1;
      },
      async erase(id, at) {
        const rows = await changing([id], () => db.update(credentials).set(erasedColumns(at)).where(and(eq(credentials.id, id), isNull(credentials.erasedAt))).returning({ id: credentials.id }));
        return rows.length === 1;
      },
      async search(orgId, query) {
        return db
          .select(awardRowColumns({ credentials, statuses: credentialStatuses, suspensions: credentialSuspensions }))
          .from(credentials)
          .leftJoin(credentialStatuses, eq(credentialStatuses.credentialId, credentials.id))
          .leftJoin(credentialSuspensions, eq(credentialSuspensions.credentialId, credentials.id))
          .where(awardFilter({ credentials, statuses: credentialStatuses, suspensions: credentialSuspensions }, orgId, query))
          .orderBy(desc(credentials.issuedAt), desc(credentials.id))
          .limit(query.limit);
      },
      async countByBadgeClass(orgId) {
        const rows = await db
          .select({ badgeClass: credentials.badgeClass, awarded: count(), claimed: count(credentials.claimedAt) })
          .from(credentials)
          .where(eq(credentials.orgId, orgId))
          .groupBy(credentials.badgeClass)
          .orderBy(asc(credentials.badgeClass));
        return rows;
      },
      async markClaimed(id, at) {
        await changing([id], () => db.update(credentials).set({ claimedAt: at }).where(and(eq(credentials.id, id), isNull(credentials.claimedAt), isNull(credentials.erasedAt))));
      },
      async list(orgId, { badgeClass, limit, after, offset = 0, withTotal = false }) {
        const scope = and(eq(credentials.orgId, orgId), badgeClass ? eq(credentials.badgeClass, badgeClass) : undefined);
        const total = withTotal ? (first(await db.select({ n: count() }).from(credentials).where(scope))?.n ?? 0) : undefined;
        // A row-value comparison: the index range starts at the cursor (an OR of the two cases would scan up to it).
      const where = after ? and(scope, sql`(${credentials.issuedAt}, ${credentials.id}) < (${after.issuedAt}, ${after.id})`) : scope;
        const items = await db
          .select({ id: credentials.id, badgeClass: credentials.badgeClass, language: credentials.language, issuedAt: credentials.issuedAt, validUntil: credentials.validUntil })
          .from(credentials)
          .where(where)
          .orderBy(desc(credentials.issuedAt), desc(credentials.id))
          .limit(limit)
          .offset(after ? 0 : offset);
        return { ...(total !== undefined ? { total } : {}), items };
      },
      async legacyLearnerKeys(limit) {
        return (await db
          .select({ id: credentials.id, orgId: credentials.orgId, key: credentials.legacyRecipientKey })
          .from(credentials)
          .where(isNotNull(credentials.legacyRecipientKey))
          .limit(limit)) as Array<{ id: string; orgId: string; key: string }>;
      },
      async setLearnerKeys(rows) {
        if (!rows.length) return;
        await changing(rows.map((r) => r.id), () =>
          db.execute(sql`
            update credentials set learner_key = v.key, recipient_key = null
            from (values ${sql.join(rows.map((r) => sql`(${r.id}, ${r.learnerKey})`), sql`, `)}) as v (id, key)
            where credentials.id = v.id`),
        );
      },
    },
    idempotency: {
      async find(orgId, key) {
        return first(await db.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.orgId, orgId), eq(idempotencyKeys.key, key))).limit(1));
      },
      async insert(record) {
        await db.insert(idempotencyKeys).values(record);
      },
      async findMany(orgId, keys) {
        if (!keys.length) return [];
        return db
          .select({ key: idempotencyKeys.key, credentialIds: idempotencyKeys.credentialIds })
          .from(idempotencyKeys)
          .where(and(eq(idempotencyKeys.orgId, orgId), inArray(idempotencyKeys.key, keys)));
      },
    },
    status: {
      async listsInUse(orgId, purpose) {
        return db
          .select({ id: statusLists.id, used: statusLists.used })
          .from(statusLists)
          .where(and(eq(statusLists.orgId, orgId), eq(statusLists.purpose, purpose)))
          .orderBy(asc(statusLists.createdAt));
      },
      async createList(list) {
        await db.insert(statusLists).values(list);
      },
      async ensureList(list) {
        await db.insert(statusLists).values(list).onConflictDoNothing({ target: statusLists.id });
      },
      async adoptLists(orgId) {
        await db.update(statusLists).set({ orgId }).where(isNull(statusLists.orgId));
      },
      async getList(listId) {
        return first(await listById.execute({ listId }));
      },
      async takenIndexes(listId, indexes) {
        if (!indexes.length) return [];
        const rows = await db
          .select({ index: credentialStatuses.statusIndex })
          .from(credentialStatuses)
          .where(and(eq(credentialStatuses.listId, listId), inArray(credentialStatuses.statusIndex, indexes)));
        return rows.map((r) => r.index);
      },
      async listWithRoom(orgId, purpose, below, indexes) {
        // Each candidate should be one probe of the (list_id, status_index) index. Planned on each call
        // (not a named statement): a generic plan, made without the array, scanned the list's entries.
        const { rows } = await db.execute<{ id: string; used: number; taken: number[] }>(
          sql`select l.id, l.used, coalesce((select json_agg(c.i) from unnest(${sql.param(indexes)}::integer[]) as c(i)
                where exists (select 1 from credential_statuses s where s.list_id = l.id and s.status_index = c.i)), '[]'::json) as taken
              from status_lists l where l.org_id = ${orgId} and l.purpose = ${purpose} and l.used < ${below} order by l.created_at limit 1`,
        );
        return first(rows);
      },
      async insertEntries(rows) {
        if (!rows.length) return;
        await inTransaction(async (tx) => {
          await tx.insert(credentialStatuses).values(rows);
          for (const [listId, n] of countByList(rows)) await tx.update(statusLists).set({ used: sql`${statusLists.used} + ${n}` }).where(eq(statusLists.id, listId));
        });
      },
      async credentialEntry(credentialId) {
        const row = first(
          await db
            .select({ orgId: credentials.orgId, listId: credentialStatuses.listId, statusIndex: credentialStatuses.statusIndex, ...STATE })
            .from(credentials)
            .leftJoin(credentialStatuses, eq(credentialStatuses.credentialId, credentials.id))
            .where(eq(credentials.id, credentialId))
            .limit(1)
            // Two instances revoking at once: the second waits, then sees the first revocation.
            .for('update', { of: credentials }),
        );
        return row && { ...row, reasonPublic: row.reasonPublic ?? false };
      },
      async revoke(credentialId, listId, state) {
        await changing([credentialId], () => inTransaction(async (tx) => {
          await tx.update(credentialStatuses).set(state).where(eq(credentialStatuses.credentialId, credentialId));
          await tx.update(statusLists).set({ signedCredential: null }).where(eq(statusLists.id, listId));
        }));
      },
      async entryAt(listId, index) {
        return first(await stateAt.execute({ listId, index }));
      },
      async entryOf(credentialId) {
        const row = first(await stateOf.execute({ id: credentialId }));
        return row && { ...row, suspendedAt: row.suspendedAt ?? null };
      },
      async revokedIndexes(listId) {
        const rows = await db
          .select({ index: credentialStatuses.statusIndex })
          .from(credentialStatuses)
          .where(and(eq(credentialStatuses.listId, listId), isNotNull(credentialStatuses.revokedAt)));
        return rows.map((r) => r.index);
      },
      async saveSignedList(listId, signed, expectedRevoked) {
        // The list row is locked while it is compared and stored, so a revocation on another instance
        // either comes before (the count differs: nothing stored) or after (it clears the copy again).
        await inTransaction(async (tx) => {
          await tx.select({ id: statusLists.id }).from(statusLists).where(eq(statusLists.id, listId)).for('update');
          const revoked = first(
            await tx.select({ n: count() }).from(credentialStatuses).where(and(eq(credentialStatuses.listId, listId), isNotNull(credentialStatuses.revokedAt))),
          )?.n;
          if (revoked !== expectedRevoked) return;
          await tx.update(statusLists).set({ signedCredential: signed }).where(and(eq(statusLists.id, listId), isNull(statusLists.signedCredential)));
        });
      },
      async suspensionOf(credentialId) {
        const row = first(await db.select().from(credentialSuspensions).where(eq(credentialSuspensions.credentialId, credentialId)).limit(1));
        return row?.suspendedAt ? { ...row, suspendedAt: row.suspendedAt } : undefined;
      },
      async suspensionAt(listId, index) {
        const row = first(await suspensionAt.execute({ listId, index }));
        return row?.suspendedAt ? { suspendedAt: row.suspendedAt } : undefined;
      },
      async suspend(record) {
        const { credentialId, ...rest } = record;
        await changing([credentialId], () => inTransaction(async (tx) => {
          await tx.insert(credentialSuspensions).values(record).onConflictDoUpdate({ target: credentialSuspensions.credentialId, set: rest });
          await tx.update(statusLists).set({ signedCredential: null }).where(eq(statusLists.id, record.listId));
        }));
      },
      async reinstate(credentialId, listId) {
        await changing([credentialId], () => inTransaction(async (tx) => {
          await tx.delete(credentialSuspensions).where(eq(credentialSuspensions.credentialId, credentialId));
          await tx.update(statusLists).set({ signedCredential: null }).where(eq(statusLists.id, listId));
        }));
      },
      async suspendedIndexes(listId) {
        return suspendedIndexes(db, listId);
      },
      async saveSignedSuspensions(listId, signed, suspended) {
        // As saveSignedList: the row locked while compared and stored. Bits are also cleared, so the
        // indexes are compared rather than counted.
        await inTransaction(async (tx) => {
          await tx.select({ id: statusLists.id }).from(statusLists).where(eq(statusLists.id, listId)).for('update');
          const now = await suspendedIndexes(tx, listId);
          const expected = [...suspended].sort((a, b) => a - b);
          if (now.length !== expected.length || now.some((index, i) => index !== expected[i])) return;
          await tx.update(statusLists).set({ signedCredential: signed }).where(and(eq(statusLists.id, listId), isNull(statusLists.signedCredential)));
        });
      },
    },
  };
  return {
    organisations: translatingErrors(repos.organisations, fromPostgres),
    accounts: translatingErrors(repos.accounts, fromPostgres),
    badgeClasses: translatingErrors(repos.badgeClasses, fromPostgres),
    credentials: translatingErrors(repos.credentials, fromPostgres),
    idempotency: translatingErrors(repos.idempotency, fromPostgres),
    status: translatingErrors(repos.status, fromPostgres),
    outbox: translatingErrors(repos.outbox, fromPostgres),
    jobs: translatingErrors(repos.jobs, fromPostgres),
    pathways: translatingErrors(repos.pathways, fromPostgres),
    questionnaires: translatingErrors(repos.questionnaires, fromPostgres),
    frameworks: translatingErrors(repos.frameworks, fromPostgres),
    profiling: translatingErrors(repos.profiling, fromPostgres),
    endorsements: translatingErrors(repos.endorsements, fromPostgres),
    reminders: translatingErrors(repos.reminders, fromPostgres),
    usage: translatingErrors(repos.usage, fromPostgres),
  };
}

/** The repositories on a PostgreSQL pool; a transaction holds one connection from BEGIN to COMMIT. */
export function createPostgresStorage(db: PgDb, options: { stateCache?: StateCacheOptions } = {}): Storage {
  const outside = <T>(fn: (tx: Executor) => Promise<T>): Promise<T> => db.transaction((tx) => fn(tx as unknown as Executor));
  const named = namedOn(db as unknown as Executor, db.$client);
  const states = createStateCache(db.$client.options, options.stateCache);
  let closing: Promise<void> | undefined;
  const changingOnPool: ChangingStates = async (ids, write) => {
    states.changed(ids);
    try {
      return await write();
    } finally {
      states.changed(ids);
    }
  };
  return {
    ...repositories(db as unknown as Executor, outside, changingOnPool, { states }),
    async transaction(fn) {
      // The credentials whose states it changes are dropped from the cache again once it has ended.
      const changed: string[] = [];
      const changingInTransaction: ChangingStates = (ids, write) => {
        states.changed(ids);
        changed.push(...ids);
        return write();
      };
      // Inside a transaction, a repository's own multi-statement step joins it rather than opening another.
      try {
        return await db.transaction((tx) => fn(repositories(tx as unknown as Executor, (inner) => inner(tx as unknown as Executor), changingInTransaction)));
      } catch (e) {
        throw fromPostgres(e);
      } finally {
        if (changed.length) states.changed(changed);
      }
    },
    async insertIssued({ credentials: rows, entries, idempotency, outbox = [], audit, reminders = [] }) {
      if (!rows.length) return;
      const values = (tuples: SQL[]) => sql.join(tuples, sql`, `);
      // Data-modifying CTEs: one statement, so atomic on its own; the foreign keys are checked at its end.
      const statement = sql`with inserted_credentials as (
          insert into credentials (id, provider_id, badge_class, badge_class_version, language, issued_at, valid_until, document, jwt, recipient_name, learner_key)
          values ${values(rows.map((r) => sql`(${r.id}, ${r.orgId}, ${r.badgeClass}, ${r.badgeClassVersion}, ${r.language}, ${r.issuedAt}, ${r.validUntil}, ${r.document}, ${storedJwt(r.jwt)}, ${r.recipientName ?? null}, ${r.learnerKey ?? null})`))}
        ), inserted_entries as (
          insert into credential_statuses (credential_id, list_id, status_index)
          values ${values(entries.map((e) => sql`(${e.credentialId}, ${e.listId}, ${e.statusIndex}::integer)`))}
        ), counted as (
          update status_lists set used = status_lists.used + usage.n
          from (values ${values([...countByList(entries)].map(([listId, n]) => sql`(${listId}, ${n}::integer)`))}) as usage(id, n)
          where status_lists.id = usage.id
        )${
          outbox.length
            ? sql`, queued_mail as (
          insert into outbox (id, org_id, kind, credential_id, recipient, language, payload, state, next_attempt_at, created_at)
          values ${values(outbox.map((m) => sql`(${m.id}, ${m.orgId}, ${m.kind}, ${m.credentialId}, ${m.recipient}, ${m.language}, ${m.payload === null ? null : JSON.stringify(m.payload)}::jsonb, 'queued', ${m.nextAttemptAt}, ${m.createdAt})`))}
        )`
            : sql``
        }${
          audit
            ? sql`, audited as (
          insert into audit_log (id, org_id, actor, action, subject, details, at)
          values (${audit.id}, ${audit.orgId}, ${audit.actor}, ${audit.action}, ${audit.subject}, ${audit.details === null ? null : JSON.stringify(audit.details)}::jsonb, ${audit.at})
        )`
            : sql``
        }${
          reminders.length
            ? sql`, reminded as (
          insert into expiry_reminders (credential_id, org_id, valid_until, due, next_due_at, address, keep_until)
          values ${values(reminders.map((r) => sql`(${r.credentialId}, ${r.orgId}, ${r.validUntil}, ${JSON.stringify(r.due)}::jsonb, ${r.due[0] ?? null}, ${r.address}, ${r.keepUntil})`))}
        )`
            : sql``
        }
        ${
          idempotency
            ? sql`insert into idempotency_keys (provider_id, key, request_hash, credential_ids, created_at)
                values (${idempotency.orgId}, ${idempotency.key}, ${idempotency.requestHash}, ${JSON.stringify(idempotency.credentialIds)}::jsonb, ${idempotency.createdAt})`
            : sql`select 1`
        }`;
      try {
        // Small issuances (one credential, with or without a key, with or without its e-mail) repeat
        // one text: prepared per connection. The name says everything the text depends on.
        const name = `insert_issued_${rows.length}${idempotency ? '_keyed' : ''}${outbox.length ? `_mail${outbox.length}` : ''}${audit ? '_audited' : ''}${reminders.length ? `_remind${reminders.length}` : ''}`;
        await named(rows.length <= 8 && outbox.length <= 8 ? name : undefined, statement);
      } catch (e) {
        throw fromPostgres(e);
      }
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    close() {
      // Once, however many ask (an app and its test harness may both).
      closing ??= states.close().then(() => db.$client.end());
      return closing;
    },
  };
}
