import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { fromSqlite, translatingErrors } from '../errors.js';
import type { Repositories, Storage } from '../repositories.js';
import { createSqliteCredentialRepository, createSqliteIdempotencyRepository } from './credentials.js';
import { createSqliteProviderRepository } from './providers.js';
import { createSqliteStatusRepository } from './status.js';

/**
 * The repositories on one SQLite connection. better-sqlite3 runs each statement synchronously; a
 * transaction is BEGIN IMMEDIATE … COMMIT around a callback whose repository calls are async only in
 * name. Other requests' work can still run between two of its calls (their promises settle in the
 * same turns), and on one connection their statements would join the open transaction. So while a
 * transaction is open, every call from outside it waits for it to end, and so does another
 * transaction: they run one after another, as SQLite's single writer would have them anyway.
 */
export function createSqliteStorage(db: Db): Storage {
  const inTransaction = new AsyncLocalStorage<true>();
  let open = false;
  let ended: Promise<void> = Promise.resolve();
  let end = () => {};
  const untilClosed = async () => {
    while (open) await ended;
  };
  const outsideAnOpenTransaction = () => (open && !inTransaction.getStore() ? untilClosed() : undefined);
  const [begin, commit, rollback] = ['BEGIN IMMEDIATE', 'COMMIT', 'ROLLBACK'].map((text) => db.$client.prepare(text));
  const wrap = <T extends object>(repo: T): T => translatingErrors(repo, fromSqlite, outsideAnOpenTransaction);
  const repos: Repositories = {
    providers: wrap(createSqliteProviderRepository(db)),
    credentials: wrap(createSqliteCredentialRepository(db)),
    idempotency: wrap(createSqliteIdempotencyRepository(db)),
    status: wrap(createSqliteStatusRepository(db)),
  };
  return {
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
    insertIssued({ credentials, entries, idempotency }) {
      return this.transaction(async (tx) => {
        await tx.credentials.insert(credentials);
        await tx.status.insertEntries(entries);
        if (idempotency) await tx.idempotency.insert(idempotency);
      });
    },
    async ping() {
      db.get(sql`select 1`);
    },
    async close() {
      db.$client.close();
    },
  };
}
