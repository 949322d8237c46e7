// Jest global setup and teardown: one throw-away PostgreSQL server for the whole test run, from
// Debian's `postgresql` package (`.ci/run` installs it), in a temporary folder, on a free port of
// 127.0.0.1, removed afterwards. initdb refuses to run as root, so as root the server runs as the
// `postgres` system user. Tests create their own databases in it (test/helpers/postgres.ts).
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = '/usr/lib/postgresql';

function binaries() {
  const version = existsSync(ROOT) ? readdirSync(ROOT).sort((a, b) => Number(b) - Number(a))[0] : undefined;
  const bin = version && join(ROOT, version, 'bin');
  if (!bin || !existsSync(join(bin, 'initdb'))) {
    throw new Error('PostgreSQL is needed for the tests: install Debian\'s "postgresql" package (bash .ci/run does)');
  }
  return bin;
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

export default async function setup() {
  const bin = binaries();
  const dir = mkdtempSync(join(tmpdir(), 'badges-pg-'));
  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? Number(execFileSync('id', ['-u', 'postgres']).toString().trim()) : undefined;
  const group = asRoot ? Number(execFileSync('id', ['-g', 'postgres']).toString().trim()) : undefined;
  if (asRoot) {
    chmodSync(dir, 0o700);
    chownSync(dir, user, group);
  }
  const data = join(dir, 'data');
  const run = (file, args) => execFileSync(join(bin, file), args, { stdio: 'pipe', ...(asRoot ? { uid: user, gid: group } : {}) });
  run('initdb', ['-D', data, '-U', 'badges', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const server = spawn(
    join(bin, 'postgres'),
    ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'],
    { stdio: 'ignore', detached: false, ...(asRoot ? { uid: user, gid: group } : {}) },
  );
  const url = `postgres://badges@127.0.0.1:${port}/postgres`;
  for (let i = 0; i < 100; i++) {
    try {
      execFileSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  process.env.TEST_DATABASE_URL = url;
  // The same server through its unix socket (in `dir`), as a service on the database's machine connects.
  process.env.TEST_DATABASE_SOCKET_URL = `postgres://badges@localhost/postgres?host=${encodeURIComponent(dir)}&port=${port}`;
  globalThis.__postgres = { server, dir };
}

export async function teardown() {
  const { server, dir } = globalThis.__postgres ?? {};
  if (server) {
    server.kill('SIGINT');
    await new Promise((resolve) => (server.exitCode !== null ? resolve() : server.once('exit', resolve)));
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
}
