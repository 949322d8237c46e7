/**
 * What bench/growth.ts and bench/memory.ts share: an app context on either storage backend (as
 * src/main.ts builds it, from loadConfig), providers with API keys, awards that go round the
 * catalog, a timing split of issuance, percentiles and number formatting.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createAppContext, type AppContext } from '../../src/app-context.js';
import { loadConfig } from '../../src/config/config.js';
import type { AwardRequest } from '../../src/credentials/award-request.js';
import { DATABASE_FILE } from '../../src/db/client.js';
import type { Repositories } from '../../src/db/repositories.js';
import { generateMissingKeys, loadKeys } from '../../src/keys/key-store.js';
import { createLogger } from '../../src/logger.js';
import { addProvider, type Caller } from '../../src/organisations/api-keys.js';
import { startPostgres, type PostgresServer } from './postgres.js';

export type Backend = 'sqlite' | 'postgres';
export const BACKENDS: readonly Backend[] = ['sqlite', 'postgres'];

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PUBLIC_URL = 'https://badges.example.org';

export interface BenchSetup {
  backend: Backend;
  /** The folder with `data/` (SQLite) and `keys/`. */
  dir: string;
  /** The environment the app reads (as src/main.ts would get it), without PORT/HOST. */
  env: Record<string, string>;
  pg?: PostgresServer;
  /** Bytes the database takes: the SQLite file with its WAL, or pg_database_size. */
  databaseBytes(): Promise<number>;
  /** Stops PostgreSQL and removes the folders, unless they are kept. */
  dispose(): Promise<void>;
}

/** A folder for one backend's data and keys; a fresh temporary one unless `keepDir` is given. */
export async function prepareBackend(backend: Backend, keepDir?: string): Promise<BenchSetup> {
  const dir = keepDir ? join(keepDir, backend) : mkdtempSync(join(tmpdir(), `bench-${backend}-`));
  mkdirSync(dir, { recursive: true });
  const removeOnExit = () => {
    if (!keepDir) rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', removeOnExit);
  const pgServer = backend === 'postgres' ? await startPostgres(keepDir ? { dir: join(dir, 'postgres') } : {}) : undefined;
  const env: Record<string, string> = {
    PUBLIC_URL,
    LOG_LEVEL: 'silent',
    DATA_DIR: join(dir, 'data'),
    KEYS_DIR: join(dir, 'keys'),
    // Through the unix socket, as a service on the database's machine connects (bench/http.ts says more).
    ...(pgServer ? { DATABASE_URL: pgServer.socketUrl } : {}),
  };
  // Thread counts are the caller's to choose, as with bench/issue.ts: SIGNING_THREADS=0 signs inline.
  for (const name of ['SIGNING_THREADS', 'VERIFY_THREADS']) {
    const value = process.env[name];
    if (value !== undefined && value !== '') env[name] = value;
  }
  await generateMissingKeys(env.KEYS_DIR!);
  return {
    backend,
    dir,
    env,
    ...(pgServer ? { pg: pgServer } : {}),
    async databaseBytes() {
      if (!pgServer) {
        const size = (file: string) => {
          try {
            return statSync(join(env.DATA_DIR!, file)).size;
          } catch {
            return 0;
          }
        };
        return size(DATABASE_FILE) + size(`${DATABASE_FILE}-wal`);
      }
      const client = new pg.Client({ connectionString: pgServer.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ n: string }>('select pg_database_size(current_database()) as n');
        return Number(rows[0]!.n);
      } finally {
        await client.end();
      }
    },
    async dispose() {
      await pgServer?.stop();
      removeOnExit();
      process.removeListener('exit', removeOnExit);
    },
  };
}

/** The app context as src/main.ts builds it from this environment. */
export async function openContext(setup: BenchSetup): Promise<AppContext> {
  const config = loadConfig(setup.env);
  return createAppContext({ config, logger: createLogger('silent'), keys: await loadKeys(config.keysDir) });
}

/**
 * The signing step of issuance (worker threads, SIGNING_THREADS), where the context has one: read
 * loosely, so these benchmarks also build against a context that signs inline.
 */
interface SigningStep {
  secure: (...args: never[]) => Promise<unknown>;
  close: () => unknown;
}
const signingOf = (ctx: AppContext): SigningStep | undefined => (ctx as unknown as { signing?: SigningStep }).signing;

/** closeAppContext does not wait; a benchmark that opens the database again must. */
export async function closeContext(ctx: AppContext): Promise<void> {
  await ctx.storage.close();
  await ctx.cpu.close();
  await signingOf(ctx)?.close();
}

/** What the environment says about threads, for the header of a report. */
export function threadsNote(): string {
  const cores = availableParallelism();
  const signing = process.env.SIGNING_THREADS ?? `unset (cores - 1 = ${Math.max(1, cores - 1)})`;
  return `${cores} cores; SIGNING_THREADS=${signing}; VERIFY_THREADS=${process.env.VERIFY_THREADS ?? 'unset'}`;
}

/** `count` providers, each with one key for every badge class, as callers of the issuance service. */
export async function addProviders(ctx: AppContext, count: number): Promise<Caller[]> {
  const callers: Caller[] = [];
  for (let i = 0; i < count; i++) {
    const { apiKey } = await addProvider(ctx, `Bench provider ${i + 1}`, ['*']);
    const caller = await ctx.apiKeys.authenticate(apiKey);
    if (!caller) throw new Error('a fresh API key did not authenticate');
    callers.push(caller);
  }
  return callers;
}

/** Award number `i`: the catalog's badge classes in turn, and each class's languages in turn. */
export function awardMaker(ctx: AppContext): (i: number) => AwardRequest {
  const entries = ctx.catalog.list();
  return (i) => {
    const entry = entries[i % entries.length]!;
    const language = entry.languages[Math.floor(i / entries.length) % entry.languages.length]!;
    return {
      badgeClass: entry.badgeClass.slug,
      recipient: { email: `learner${i}@example.org`, name: `Learner ${i}` },
      evidence: [{ narrative: `Completed module ${i % 97} of the course, with the practical assessment.` }],
      language,
    };
  };
}

/**
 * Where issuance spends its time, measured from outside: the status-index allocation, the signing step
 * (waiting for the signing workers, or signing inline) and the storage transaction (the writes) are
 * wrapped on the very objects the issuance service holds; the rest is building the credentials and
 * everything else on the event loop. When the context has no separate signing step, signing is in
 * the rest. `active` stays false if the service stops calling `allocate`, and no split is shown.
 */
export interface IssuanceSplit {
  allocateMs: number;
  storeMs: number;
  /** Undefined when the context signs inside the issuance service (no `ctx.signing`). */
  signMs: number | undefined;
  active: boolean;
  reset(): void;
}

export function instrumentIssuance(ctx: AppContext): IssuanceSplit {
  const signing = signingOf(ctx);
  const split: IssuanceSplit = {
    allocateMs: 0,
    storeMs: 0,
    signMs: signing ? 0 : undefined,
    active: false,
    reset() {
      split.allocateMs = 0;
      split.storeMs = 0;
      if (split.signMs !== undefined) split.signMs = 0;
    },
  };
  if (signing) {
    const secure = signing.secure.bind(signing);
    signing.secure = async (...args: never[]) => {
      const start = performance.now();
      try {
        return await secure(...args);
      } finally {
        split.signMs! += performance.now() - start;
      }
    };
  }
  const allocate = ctx.status.allocate.bind(ctx.status);
  ctx.status.allocate = async (n, orgId) => {
    const start = performance.now();
    try {
      return await allocate(n, orgId);
    } finally {
      split.allocateMs += performance.now() - start;
      split.active = true;
    }
  };
  const transaction = ctx.storage.transaction.bind(ctx.storage);
  ctx.storage.transaction = async <T>(fn: (tx: Repositories) => Promise<T>): Promise<T> => {
    const start = performance.now();
    try {
      return await transaction(fn);
    } finally {
      split.storeMs += performance.now() - start;
    }
  };
  return split;
}

/** Nearest-rank percentile of already sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const int = (n: number): string => Math.round(n).toLocaleString('en-US');
export const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
export const ms = (n: number): string => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));

export function duration(msTotal: number): string {
  const s = Math.round(msTotal / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** `1000000`, `1,000,000`, `1_000_000`, `1e6`, `20k`, `1M`. */
export function parseCount(text: string, name: string): number {
  const m = /^([\d.,_e+]+)\s*([kKmM]?)$/.exec(text.trim());
  const n = m ? Number(m[1]!.replace(/[,_]/g, '')) * (m[2] ? (m[2].toLowerCase() === 'k' ? 1e3 : 1e6) : 1) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number, not "${text}"`);
  return n;
}

export function parseBackends(text: string, allowBoth: boolean): Backend[] {
  if (text === 'both' && allowBoth) return [...BACKENDS];
  if (text === 'sqlite' || text === 'postgres') return [text];
  throw new Error(`--backend must be sqlite or postgres${allowBoth ? ' or both' : ''}, not "${text}"`);
}

/** A Ctrl-C still runs the exit hooks (temporary folders, the PostgreSQL server). */
export function exitOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
}
