import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openDatabase } from '../../src/db/client.js';
import type { Storage } from '../../src/db/repositories.js';
import { openPostgres } from '../../src/db/postgres/client.js';
import { createPostgresStorage } from '../../src/db/postgres/storage.js';
import { createSqliteStorage } from '../../src/db/sqlite/storage.js';
import { createTestDatabase } from './postgres.js';

/** A storage backend opened for a contract test: its storage, another instance's on the same database, and raw SQL. */
export interface OpenedBackend {
  storage: Storage;
  /** Another instance's storage on the same database (its own connection or pool). */
  other(): Promise<Storage>;
  /** A raw query, to show what the database holds. */
  query(sql: string): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

export interface Backend {
  name: string;
  open(): Promise<OpenedBackend>;
}

/** SQLite in a temporary folder, and PostgreSQL on the test run's throw-away server. */
export const BACKENDS: Backend[] = [
  {
    name: 'SQLite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'backend-'));
      const db = openDatabase(dir);
      const others: Storage[] = [];
      return {
        storage: createSqliteStorage(db),
        async other() {
          const storage = createSqliteStorage(openDatabase(dir));
          others.push(storage);
          return storage;
        },
        query: async (sql) => {
          const statement = db.$client.prepare(sql);
          return statement.reader ? (statement.all() as Array<Record<string, unknown>>) : (statement.run(), []);
        },
        async close() {
          for (const o of others) await o.close();
          db.$client.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'PostgreSQL',
    async open() {
      const database = await createTestDatabase();
      const storage = createPostgresStorage(await openPostgres(database.url, { max: 4 }));
      const others: Storage[] = [];
      return {
        storage,
        async other() {
          const other = createPostgresStorage(await openPostgres(database.url, { max: 4 }));
          others.push(other);
          return other;
        },
        query: (sql) => queryPostgres(database.url, sql),
        async close() {
          for (const o of others) await o.close();
          await storage.close();
          await database.drop();
        },
      };
    },
  },
];

/**
 * A backend for tests that run the service as a process (`startInstance`): the environment that points
 * it at the database, a read of what the database holds once it stopped, and the clean-up.
 */
export interface ProcessBackend {
  name: string;
  setup(dir: string): Promise<{ env: Record<string, string>; query(sql: string): Promise<Array<Record<string, unknown>>>; done(): Promise<void> }>;
}

export const PROCESS_BACKENDS: ProcessBackend[] = [
  {
    name: 'SQLite',
    async setup(dir) {
      const dataDir = join(dir, 'data');
      return {
        env: { DATA_DIR: dataDir },
        async query(sql) {
          const db = new Database(join(dataDir, 'badges.sqlite'), { readonly: true });
          try {
            return db.prepare(sql).all() as Array<Record<string, unknown>>;
          } finally {
            db.close();
          }
        },
        async done() {},
      };
    },
  },
  {
    name: 'PostgreSQL',
    async setup() {
      const database = await createTestDatabase();
      return {
        env: { DATABASE_URL: database.url },
        query: (sql) => queryPostgres(database.url, sql),
        done: () => database.drop(),
      };
    },
  },
];

async function queryPostgres(url: string, sql: string): Promise<Array<Record<string, unknown>>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as Array<Record<string, unknown>>;
  } finally {
    await client.end();
  }
}
