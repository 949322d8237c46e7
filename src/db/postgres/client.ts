import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../config/paths.js';
import * as schema from './schema.js';

export type PgDb = NodePgDatabase<typeof schema> & { $client: pg.Pool };

export const PG_MIGRATIONS_DIR = join(PROJECT_ROOT, 'drizzle-postgres');

/** One number for the whole service: instances starting together migrate one after another. */
const MIGRATION_LOCK = 728_1953;

/**
 * Connects to PostgreSQL (`DATABASE_URL`) and applies the versioned migrations in
 * `drizzle-postgres/`, under an advisory lock so that several instances starting at once do not race.
 */
export async function openPostgres(url: string, options: { max?: number } = {}): Promise<PgDb> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  // An idle client that errors (the server restarted) must not bring the process down.
  pool.on('error', () => undefined);
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await migrate(drizzle(client, { schema }), { migrationsFolder: PG_MIGRATIONS_DIR });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
  return drizzle(pool, { schema }) as PgDb;
}
