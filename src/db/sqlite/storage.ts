import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { fromSqlite, translatingErrors } from '../errors.js';
import type { IssuedRecords, Repositories, Storage } from '../repositories.js';
import { createSqliteAccountRepository } from './accounts.js';
import { createSqliteBadgeClassRepository } from './badge-classes.js';
import { startCheckpointer, type Checkpointer } from './checkpointer.js';
import { createSqliteCredentialRepository, createSqliteIdempotencyRepository } from './credentials.js';
import { createSqliteOrganisationRepository } from './organisations.js';
import { createSqliteJobRepository } from './jobs.js';
import { createSqlitePathwayRepository } from './pathways.js';
import { createSqliteProfilingRepository } from './profiling.js';
import { createSqliteEndorsementRepository } from './endorsements.js';
import { createSqliteReminderRepository } from './reminders.js';
import { createSqliteDefinitionRepository } from './definitions.js';
import { frameworks, questionnaires } from '../schema.js';
import { createSqliteOutboxRepository } from './outbox.js';
import { createSqliteStatusRepository } from './status.js';
import { createSqliteUsageRepository } from './usage.js';

/**
 * The repositories on one SQLite connection. better-sqlite3 runs each statement synchronously; a
 * transaction is BEGIN IMMEDIATE … COMMIT around a callback whose repository calls are async only in
 * name. Other requests' work can still run between two of its calls (their promises settle in the
 * same turns), and on one connection their statements would join the open transaction. So while a
 * transaction is open, every call from outside it waits for it to end, and so does another
 * transaction: they run one after another, as SQLite's single writer would have them anyway.
 */
export interface SqliteStorageOptions {
  /**
   * Checkpoint the write-ahead log from a thread of its own (the service does), rather than in the
   * commit that crosses 1,000 pages: copying the log into the database and its fsync then no longer
   * hold the event loop.
   */
  checkpointInBackground?: boolean;
}

export function createSqliteStorage(db: Db, { checkpointInBackground = false }: SqliteStorageOptions = {}): Storage {
  const inTransaction = new AsyncLocalStorage<true>();
  let open = false;
  let ended: Promise<void> = Promise.resolve();
  let end = () => {};
  const untilClosed = async () => {
    while (open) await ended;
  };
  const outsideAnOpenTransaction = () => (open && !inTransaction.getStore() ? untilClosed() : undefined);
  const [begin, commit, rollback, savepoint, releaseSavepoint, rollbackToSavepoint] = [
    'BEGIN IMMEDIATE',
    'COMMIT',
    'ROLLBACK',
    'SAVEPOINT issued',
    'RELEASE issued',
    'ROLLBACK TO issued',
  ].map((text) => db.$client.prepare(text));
  const checkpointer: Checkpointer | undefined = checkpointInBackground ? startCheckpointer(db) : undefined;
  const wrap = <T extends object>(repo: T): T => translatingErrors(repo, fromSqlite, outsideAnOpenTransaction);
  const repos: Repositories = {
    organisations: wrap(createSqliteOrganisationRepository(db)),
    accounts: wrap(createSqliteAccountRepository(db)),
    badgeClasses: wrap(createSqliteBadgeClassRepository(db)),
    credentials: wrap(createSqliteCredentialRepository(db)),
    idempotency: wrap(createSqliteIdempotencyRepository(db)),
    status: wrap(createSqliteStatusRepository(db)),
    outbox: wrap(createSqliteOutboxRepository(db)),
    jobs: wrap(createSqliteJobRepository(db)),
    pathways: wrap(createSqlitePathwayRepository(db)),
    questionnaires: wrap(createSqliteDefinitionRepository(db, questionnaires)),
    frameworks: wrap(createSqliteDefinitionRepository(db, frameworks)),
    profiling: wrap(createSqliteProfilingRepository(db)),
    endorsements: wrap(createSqliteEndorsementRepository(db)),
    reminders: wrap(createSqliteReminderRepository(db)),
    usage: wrap(createSqliteUsageRepository(db)),
  };
  /**
   * Group commit: the issuances stored in one turn of the event loop share one transaction (one WAL
   * commit for all), each in a savepoint of its own, so that one refused (a taken status index, a raced
   * Idempotency-Key) fails alone.
   */
  let waiting: Array<{ records: IssuedRecords; resolve: () => void; reject: (e: unknown) => void }> = [];
  async function commitWaiting(): Promise<void> {
    const group = waiting;
    waiting = [];
    const refused = new Map<number, unknown>();
    try {
      await storage.transaction(async (tx) => {
        for (const [i, { records }] of group.entries()) {
          savepoint!.run();
          try {
            await tx.credentials.insert(records.credentials);
            await tx.status.insertEntries(records.entries);
            if (records.idempotency) await tx.idempotency.insert(records.idempotency);
            if (records.outbox?.length) await tx.outbox.insert(records.outbox);
            if (records.audit) await tx.accounts.insertAudit(records.audit);
            if (records.reminders?.length) await tx.reminders.insert(records.reminders);
            releaseSavepoint!.run();
          } catch (e) {
            rollbackToSavepoint!.run();
            releaseSavepoint!.run();
            refused.set(i, e);
          }
        }
      });
    } catch (e) {
      for (const { reject } of group) reject(e);
      return;
    }
    group.forEach(({ resolve, reject }, i) => (refused.has(i) ? reject(refused.get(i)) : resolve()));
  }

  const storage: Storage = {
    ...repos,
    async transaction(fn) {
      if (inTransaction.getStore()) throw new Error('SQLite transactions do not nest');
      // Checked and taken in one turn: no await between the last check and `open = true`.
      while (open) await ended;
      open = true;
      ended = new Promise((resolve) => (end = resolve));
      begin!.run();
      try {
        const result = await inTransaction.run(true, () => fn(repos));
        commit!.run();
        return result;
      } catch (e) {
        if (db.$client.inTransaction) rollback!.run();
        throw e;
      } finally {
        open = false;
        end();
      }
    },
    insertIssued(records) {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ records, resolve, reject });
        if (waiting.length === 1) setImmediate(() => void commitWaiting());
      });
    },
    async ping() {
      db.get(sql`select 1`);
    },
    async close() {
      await checkpointer?.close();
      db.$client.close();
    },
  };
  return storage;
}
