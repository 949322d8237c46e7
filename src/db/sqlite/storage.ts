import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { fromSqlite, translatingErrors } from '../errors.js';
import type { Repositories, Storage } from '../repositories.js';
import { createSqliteCredentialRepository, createSqliteIdempotencyRepository } from './credentials.js';
import { createSqliteProviderRepository } from './providers.js';
import { createSqliteStatusRepository } from './status.js';

/**
 * The repositories on one SQLite connection. better-sqlite3 runs each statement synchronously, so a
 * transaction is BEGIN IMMEDIATE … COMMIT around a callback whose repository calls all complete
 * without giving the event loop a turn: no other request's statement can slip in between. A call
 * from outside the transaction while one is open would join it, so it is refused as a bug (a
 * transaction callback must not wait on anything but its repositories).
 */
export function createSqliteStorage(db: Db): Storage {
  const inTransaction = new AsyncLocalStorage<true>();
  let open = false;
  const outsideAnOpenTransaction = () =>
    open && !inTransaction.getStore() ? new Error('a storage call was made from outside an open SQLite transaction') : undefined;
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
      if (open) throw new Error('SQLite transactions do not nest');
      open = true;
      db.$client.exec('BEGIN IMMEDIATE');
      try {
        const result = await inTransaction.run(true, () => fn(repos));
        db.$client.exec('COMMIT');
        return result;
      } catch (e) {
        db.$client.exec('ROLLBACK');
        throw e;
      } finally {
        open = false;
      }
    },
    async ping() {
      db.get(sql`select 1`);
    },
    async close() {
      db.$client.close();
    },
  };
}
