import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A fresh database on the test run's PostgreSQL server (started by test/postgres-server.mjs), for
 * one test file or one test; dropped by `drop()`.
 */
export async function createTestDatabase(): Promise<{ url: string; socketUrl: string; drop(): Promise<void> }> {
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) throw new Error('TEST_DATABASE_URL is not set: the jest global setup starts PostgreSQL');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const url = admin.replace(/\/[^/]*$/, `/${name}`);
  const socketUrl = (process.env.TEST_DATABASE_SOCKET_URL ?? '').replace('/postgres?', `/${name}?`);
  return {
    url,
    socketUrl,
    async drop() {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
