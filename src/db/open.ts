import type { Config } from '../config/config.js';
import { openDatabase, type Db } from './client.js';
import { openPostgres } from './postgres/client.js';
import { createPostgresStorage } from './postgres/storage.js';
import type { Storage } from './repositories.js';
import { createSqliteStorage } from './sqlite/storage.js';

/** The configured backend: PostgreSQL when `DATABASE_URL` is set, else SQLite in `DATA_DIR`. */
export async function openStorage(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<{ storage: Storage; sqlite?: Db }> {
  if (config.databaseUrl) return { storage: createPostgresStorage(await openPostgres(config.databaseUrl)) };
  const sqlite = openDatabase(config.dataDir);
  return { storage: createSqliteStorage(sqlite, { checkpointInBackground: true }), sqlite };
}
