import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import pg from 'pg';
import { closeAppContext, createAppContext, type AppContext } from '../../src/app-context.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { createApp } from '../../src/http/app.js';
import { generateMissingKeys, loadKeys } from '../../src/keys/key-store.js';
import { createLogger, type Logger } from '../../src/logger.js';
import type { JobRunnerOptions } from '../../src/issuance-jobs/jobs.js';
import type { OutboxOptions } from '../../src/mail/outbox.js';
import { createTestDatabase } from './postgres.js';
import { openDatabase } from '../../src/db/client.js';
import { openPostgres } from '../../src/db/postgres/client.js';
import { createPostgresStorage } from '../../src/db/postgres/storage.js';
import { createSqliteStorage } from '../../src/db/sqlite/storage.js';
import type { Storage } from '../../src/db/repositories.js';
import { createKeyEncryption, loadKeyEncryptionKey } from '../../src/keys/key-encryption.js';
import { addProvider, createApiKeyStore } from '../../src/organisations/api-keys.js';
import { createOrganisations } from '../../src/organisations/organisations.js';
import { createGuardedFetcher, type GuardedFetcher, type LookupAll } from '../../src/net/guarded-fetch.js';

/** Name resolution that finds nothing: other issuers' hosts "do not answer", and no DNS query leaves the machine. */
export const unresolvable: LookupAll = (hostname, _options, callback) =>
  callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);

/** The real guarded fetcher, with host names that resolve nowhere. */
export const offlineFetcher = (): GuardedFetcher => createGuardedFetcher({}, { lookup: unresolvable });

export const PUBLIC_URL = 'https://badges.example.org';

/**
 * The key-encryption key of test apps: one for all, as one deployment's instances share theirs, so
 * that two apps on one database open each other's organisation keys.
 */
export const TEST_KEK = Buffer.alloc(32, 7).toString('base64');

export interface TestApp {
  ctx: AppContext;
  app: Express;
  config: Config;
  dir: string;
  /** An API key allowed to award every badge class. */
  apiKey: string;
  close(): Promise<void>;
}

/**
 * The backend the storage-touching suites run on: SQLite by default; PostgreSQL in the jest project
 * `postgres`, which sets the global TEST_BACKEND (each app gets a fresh database on the run's server).
 */
const backend = (): 'sqlite' | 'postgres' => ((globalThis as { TEST_BACKEND?: string }).TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite');

/** A real app on a real database (a SQLite file in a temporary folder, or PostgreSQL), with fresh keys and the starter catalog. */
export interface TestAppOptions {
  now?: () => Date;
  fetcher?: GuardedFetcher;
  /** Start the mail sender (off by default: issuances queue their messages, and nothing is sent). */
  sendMail?: boolean;
  /** The sender's batch size, polling interval, locks and retry schedule. */
  mail?: Partial<OutboxOptions>;
  /** Start the spreadsheet jobs' runner (off by default: tests drain jobs with `ctx.jobs.drain()`). */
  runJobs?: boolean;
  jobs?: Partial<JobRunnerOptions>;
  /** The app's logger (default: silent). */
  logger?: Logger;
}

export async function startTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'badges-test-'));
  const database = backend() === 'postgres' && env.DATABASE_URL === undefined ? await createTestDatabase() : undefined;
  const config = loadConfig({
    NODE_ENV: 'test',
    PUBLIC_URL,
    DATA_DIR: join(dir, 'data'),
    KEYS_DIR: join(dir, 'keys'),
    ISSUER_NAME: 'Test Care Academy',
    ISSUER_EMAIL: 'badges@example.org',
    LOG_LEVEL: 'silent',
    RATE_LIMITS: 'off',
    KEY_ENCRYPTION_KEY: TEST_KEK,
    ...(database ? { DATABASE_URL: database.url } : {}),
    ...env,
  });
  await generateMissingKeys(config.keysDir);
  const ctx = await createAppContext({
    config,
    logger: options.logger ?? createLogger('silent'),
    keys: await loadKeys(config.keysDir),
    ...(options.now ? { now: options.now } : {}),
    fetcher: options.fetcher ?? offlineFetcher(),
    ...(options.mail ? { mail: options.mail } : {}),
    ...(options.jobs ? { jobs: options.jobs } : {}),
  });
  if (options.sendMail) ctx.mail.start();
  if (options.runJobs) ctx.jobs.start();
  // The default key belongs to the instance's own organisation (the issuer named ISSUER_NAME above).
  const apiKey = (await ctx.apiKeys.addKey(ctx.instance.id, ['*']))!;
  return {
    ctx,
    app: createApp(ctx),
    config,
    dir,
    apiKey,
    async close() {
      await closeAppContext(ctx);
      rmSync(dir, { recursive: true, force: true });
      await ctx.storage.close().catch(() => undefined);
      await database?.drop();
    },
  };
}

/** Credentials stored for the test app's own provider, whichever backend holds them. */
export async function countCredentials(t: TestApp): Promise<number> {
  const caller = await t.ctx.apiKeys.authenticate(t.apiKey);
  return (await t.ctx.issuance.list(caller!, { limit: 1, withTotal: true })).total ?? 0;
}

/** A raw SQL query on the test app's database (to show what is, and is not, stored). */
export async function rawQuery(t: TestApp, sql: string): Promise<Array<Record<string, unknown>>> {
  if (t.ctx.sqlite) return t.ctx.sqlite.$client.prepare(sql).all() as Array<Record<string, unknown>>;
  const client = new pg.Client({ connectionString: t.config.databaseUrl! });
  await client.connect();
  try {
    return (await client.query(sql)).rows as Array<Record<string, unknown>>;
  } finally {
    await client.end();
  }
}

/** Another instance's storage on the test app's database (its own connection or pool, its own caches); close it after use. */
export async function anotherInstanceStorage(t: TestApp): Promise<Storage> {
  if (t.ctx.sqlite) return createSqliteStorage(openDatabase(t.config.dataDir));
  return createPostgresStorage(await openPostgres(t.config.databaseUrl!, { max: 2 }));
}

/**
 * A new organisation with an API key, made straight in a database before any service runs on it (as
 * `npm run cli -- providers add` does); its private keys are encrypted with the development
 * key-encryption key in `keysDir`, which the services started later read.
 */
export async function addProviderTo(storage: Storage, keysDir: string, name: string): Promise<string> {
  const organisations = createOrganisations({
    repo: storage.organisations,
    encryption: createKeyEncryption(loadKeyEncryptionKey({ env: 'development', keysDir })),
    publicUrl: PUBLIC_URL,
    instanceDid: 'web',
  });
  return (await addProvider({ organisations, apiKeys: createApiKeyStore(storage.organisations) }, name, ['*'])).apiKey;
}
