/**
 * A throw-away PostgreSQL server for the benchmarks, the way test/postgres-server.mjs starts one for
 * the tests: Debian's `postgresql` package (/usr/lib/postgresql/<version>/bin, the newest there), a
 * cluster in a temporary folder, a free port of 127.0.0.1, removed by `stop()`. initdb refuses to run
 * as root, so as root the server runs as the `postgres` system user. If the package is missing:
 * `apt-get install -y postgresql`.
 *
 * Settings, unlike the tests' (which turn fsync off): durability is kept as a production server would
 * have it, fsync and full_page_writes on, with one relaxation, synchronous_commit=off. A commit then
 * returns before its WAL record is flushed (flushed within ~3 × wal_writer_delay = 600 ms); a crash
 * can lose the last commits but never corrupts. That is the fair match for the SQLite backend, which
 * runs WAL with synchronous=NORMAL (src/db/client.ts): there too a commit does not wait for an fsync.
 * max_wal_size is raised to 4GB so that a bulk seed of a million rows is not dominated by forced
 * checkpoints (the 1GB default checkpoints every few tens of thousands of credentials); everything
 * else, shared_buffers (128MB) included, is the package default.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { freePort } from './net.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const ROOT = '/usr/lib/postgresql';
const USER = 'badges';
const DATABASE = 'bench';

/** The settings passed with `-c`; see the comment at the top for why each. */
export const POSTGRES_SETTINGS: Readonly<Record<string, string>> = {
  listen_addresses: '127.0.0.1',
  fsync: 'on',
  full_page_writes: 'on',
  synchronous_commit: 'off',
  max_wal_size: '4GB',
  max_connections: '50',
};

export interface PostgresServer {
  /** `postgres://badges@127.0.0.1:<port>/bench`: an empty database, owned by the connecting role. */
  url: string;
  /**
   * The same database through the server's unix socket (in `dir`), the way a service on the same
   * machine connects to Debian's PostgreSQL by default: no TCP stack on either side of each query.
   */
  socketUrl: string;
  /** The cluster's folder (its data in `data/`). */
  dir: string;
  /** Stops the server (fast shutdown) and removes its folder unless it was given. */
  stop(): Promise<void>;
}

function binaries(): string {
  const version = existsSync(ROOT)
    ? readdirSync(ROOT)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))[0]
    : undefined;
  const bin = version ? join(ROOT, version, 'bin') : undefined;
  if (!bin || !existsSync(join(bin, 'initdb'))) {
    throw new Error(`no PostgreSQL server under ${ROOT}: install Debian's package (apt-get install -y postgresql)`);
  }
  return bin;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export interface PostgresOptions {
  /**
   * Where to put the cluster (created if missing; must not hold one already), kept by `stop()`.
   * Default: a temporary folder, removed by `stop()`. As root its parent must be searchable by `postgres`.
   */
  dir?: string;
}

export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresServer> {
  const bin = binaries();
  const keep = options.dir !== undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'bench-pg-'));
  mkdirSync(dir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  const ids: { uid?: number; gid?: number } = asRoot
    ? { uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()) }
    : {};
  if (ids.uid !== undefined && ids.gid !== undefined) {
    chmodSync(dir, 0o700);
    chownSync(dir, ids.uid, ids.gid);
  }
  const data = join(dir, 'data');
  // --no-sync: only initdb's own writes go unsynced; the server itself keeps fsync on.
  execFileSync(join(bin, 'initdb'), ['-D', data, '-U', USER, '--auth=trust', '-E', 'UTF8', '--no-sync'], { stdio: 'pipe', ...ids });

  const port = await freePort();
  const settings = Object.entries(POSTGRES_SETTINGS).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
  const server = spawn(join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, ...settings], { stdio: ['ignore', 'ignore', 'pipe'], ...ids });
  // The server logs to stderr; the tail is kept for an error message.
  let log = '';
  server.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  // If the benchmark dies, the server must not outlive it.
  const onExit = () => {
    server.kill('SIGKILL');
    if (!keep) rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);

  const base = `postgres://${USER}@127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (server.exitCode !== null) throw new Error(`PostgreSQL exited at start-up (code ${server.exitCode}):\n${log}`);
    try {
      const client = new pg.Client({ connectionString: `${base}/postgres` });
      await client.connect();
      try {
        await client.query(`create database ${DATABASE}`);
      } finally {
        await client.end();
      }
      break;
    } catch (e) {
      if (i >= 200) {
        server.kill('SIGKILL');
        throw new Error(`PostgreSQL did not answer on port ${port} within 20 s (${e instanceof Error ? e.message : String(e)}):\n${log}`);
      }
      await sleep(100);
    }
  }

  let stopped = false;
  return {
    url: `${base}/${DATABASE}`,
    socketUrl: `postgres://${USER}@localhost/${DATABASE}?host=${encodeURIComponent(dir)}&port=${port}`,
    dir,
    async stop() {
      if (stopped) return;
      stopped = true;
      server.kill('SIGINT'); // fast shutdown: ends sessions, checkpoints, exits
      if (!(await exited(server, 30_000))) {
        server.kill('SIGKILL');
        await exited(server, 5_000);
      }
      process.removeListener('exit', onExit);
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  };
}
