import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadConfig } from '../../src/config/config.js';
import { ensureKeys } from '../../src/keys/ensure-keys.js';
import { ED25519_FILE, KeyError, loadKeys, RSA_FILE } from '../../src/keys/key-store.js';
import { createLogger } from '../../src/logger.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const silent = createLogger('silent');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'keys-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('signing keys', () => {
  it('are generated on first start in development, private files readable by the owner only', async () => {
    const config = loadConfig({ KEYS_DIR: join(dir, 'keys'), NODE_ENV: 'development' });
    const keys = await ensureKeys(config, silent);
    expect(keys.ed25519.publicKeyMultibase).toMatch(/^z6Mk/);
    for (const file of [ED25519_FILE, RSA_FILE]) expect(statSync(join(dir, 'keys', file)).mode & 0o777).toBe(0o600);
    const again = await ensureKeys(config, silent);
    expect(again.ed25519.publicKeyMultibase).toBe(keys.ed25519.publicKeyMultibase);
    expect(again.rsa.thumbprint).toBe(keys.rsa.thumbprint);
  });

  it('stop a production start when they are missing, naming KEYS_DIR', async () => {
    const config = loadConfig({ KEYS_DIR: join(dir, 'none'), NODE_ENV: 'production' });
    await expect(ensureKeys(config, silent)).rejects.toThrow(KeyError);
    await expect(ensureKeys(config, silent)).rejects.toThrow(/signing keys are missing in KEYS_DIR/);
  });

  it('refuse a damaged key file, naming it', async () => {
    const config = loadConfig({ KEYS_DIR: dir });
    await ensureKeys(config, silent);
    const path = join(dir, ED25519_FILE);
    writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), publicKeyMultibase: 'zNotAKey' }));
    await expect(loadKeys(dir)).rejects.toThrow(`key file ${path} is invalid`);
  });
});

describe('the CLI', () => {
  const env = () => ({ ...process.env, NODE_OPTIONS: '', KEYS_DIR: join(dir, 'keys'), DATA_DIR: join(dir, 'data'), BADGE_CLASSES_DIR: join(ROOT, 'badge-classes') });

  it('generates keys, and never overwrites them', async () => {
    const first = await run(TSX, ['src/cli/main.ts', 'keys', 'generate'], { cwd: ROOT, env: env() });
    expect(first.stdout).toContain(ED25519_FILE);
    const before = readFileSync(join(dir, 'keys', RSA_FILE), 'utf8');
    const second = await run(TSX, ['src/cli/main.ts', 'keys', 'generate'], { cwd: ROOT, env: env() });
    expect(second.stdout).toContain('nothing written');
    expect(readFileSync(join(dir, 'keys', RSA_FILE), 'utf8')).toBe(before);
  });

  it('adds a provider and prints its API key as the last line, which then authenticates', async () => {
    const { stdout } = await run(TSX, ['src/cli/main.ts', 'providers', 'add', '--name', 'Casa di Cura Roma', '--badge-classes', 'carer-plus-digital-communication'], { cwd: ROOT, env: env() });
    const lines = stdout.trim().split('\n');
    const key = lines.at(-1)!;
    expect(key).toMatch(/^obk_[\w-]{43}$/);
    const { openDatabase } = await import('../../src/db/client.js');
    const { createApiKeyStore } = await import('../../src/organisations/api-keys.js');
    const { createSqliteOrganisationRepository } = await import('../../src/db/sqlite/organisations.js');
    const db = openDatabase(join(dir, 'data'));
    try {
      const caller = await createApiKeyStore(createSqliteOrganisationRepository(db)).authenticate(key);
      expect(caller?.org.name).toBe('Casa di Cura Roma');
      expect(caller?.badgeClasses).toEqual(['carer-plus-digital-communication']);
    } finally {
      db.$client.close();
    }
  });

  it('refuses an unknown badge class slug with a usage error', async () => {
    await expect(run(TSX, ['src/cli/main.ts', 'providers', 'add', '--name', 'X', '--badge-classes', 'no-such-badge'], { cwd: ROOT, env: env() })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown badge class(es): no-such-badge'),
    });
  });
});

describe('configuration', () => {
  it('stops with a message naming the wrong variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ PUBLIC_URL: 'ftp://x' })).toThrow(/PUBLIC_URL/);
    expect(() => loadConfig({ ISSUER_DID: 'ion' })).toThrow(/ISSUER_DID/);
  });

  it('defaults to the embedded development setup', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, publicUrl: 'http://localhost:3000', issuerDid: 'web', env: 'development' });
  });
});
