import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import request from 'supertest';
import { closeAppContext, createAppContext } from '../../src/app-context.js';
import { loadConfig } from '../../src/config/config.js';
import { MIGRATIONS_DIR } from '../../src/config/paths.js';
import { buildCredential } from '../../src/credentials/build.js';
import { createSigners } from '../../src/credentials/secure.js';
import { DATABASE_FILE } from '../../src/db/client.js';
import { bundledFrameworks } from '../../src/frameworks/frameworks.js';
import { loadCatalog } from '../../src/badge-classes/catalog.js';
import { createApp } from '../../src/http/app.js';
import { generateMissingKeys, loadKeys } from '../../src/keys/key-store.js';
import { ed25519PrivateKey, rsaPrivateKey } from '../../src/keys/signers.js';
import { createLogger } from '../../src/logger.js';
import { hashApiKey } from '../../src/organisations/api-keys.js';
import { PUBLIC_URL, offlineFetcher } from '../helpers/app.js';

/**
 * An instance that issued before organisations existed is upgraded in place: its database gets the
 * organisations' tables at start-up, its key files become the instance organisation's keys, and
 * everything it issued is served byte for byte, verifies, and can still be revoked by its provider.
 */
const OLD_API_KEY = 'obk_legacyLegacyLegacyLegacyLegacyLegacyLegacy1';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'upgrade-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The migrations as they were before organisations (the first three). */
function migrationsBeforeOrganisations(): string {
  const folder = join(dir, 'old-migrations');
  cpSync(MIGRATIONS_DIR, folder, { recursive: true });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: Array<{ tag: string }> };
  const cut = journal.entries.findIndex((e) => e.tag.endsWith('_organisations'));
  expect(cut).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, cut);
  writeFileSync(journalPath, JSON.stringify(journal));
  return folder;
}

it('keeps credentials issued before organisations byte for byte, verifying and revocable; the provider gets an identity of its own', async () => {
  const keysDir = join(dir, 'keys');
  const dataDir = join(dir, 'data');
  await generateMissingKeys(keysDir);
  const keys = await loadKeys(keysDir);

  // A credential as the instance issued it then: the host's did:web, signed with the key files.
  const catalog = loadCatalog(join(process.cwd(), 'badge-classes'), { frameworks: bundledFrameworks(PUBLIC_URL) });
  const entry = catalog.list()[0]!;
  const multibase = keys.ed25519.publicKeyMultibase;
  const issuer = { id: 'did:web:badges.example.org', type: ['Profile'] as ['Profile'], name: 'Care Skills Badges', url: PUBLIC_URL };
  const unsigned = buildCredential({
    uuid: '00000000-0000-4000-8000-000000000001',
    publicUrl: PUBLIC_URL,
    issuer,
    entry,
    award: { badgeClass: entry.badgeClass.slug, recipient: { email: 'learner@example.org' } },
    language: 'en',
    issuedAt: new Date('2026-11-01T10:00:00Z'),
    credentialStatus: { id: `${PUBLIC_URL}/status/old-list#7`, type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: '7', statusListCredential: `${PUBLIC_URL}/status/old-list` },
  });
  const signers = createSigners({ id: 'files', ed25519: await ed25519PrivateKey(keys.ed25519), verificationMethod: `did:web:badges.example.org#${multibase}`, rsa: rsaPrivateKey(keys.rsa.privateKey), jwtKid: `${PUBLIC_URL}/keys/${keys.rsa.thumbprint}` });
  const [signed] = await signers.secure([unsigned], { created: new Date('2026-11-01T10:00:00Z'), jwt: false });
  const document = signed!.document;

  // The database as it was: a provider, its API key, a status list and the credential.
  const sqlite = new Database(join(await import('node:fs').then((fs) => (fs.mkdirSync(dataDir, { recursive: true }), dataDir)), DATABASE_FILE));
  migrate(drizzle(sqlite), { migrationsFolder: migrationsBeforeOrganisations() });
  const at = '2026-11-01T10:00:00Z';
  sqlite.prepare('insert into providers (id, name, created_at) values (?, ?, ?)').run('prov-1', 'Casa di Cura Roma', at);
  sqlite.prepare("insert into api_keys (id, provider_id, key_hash, key_prefix, badge_classes, created_at) values ('key-1', 'prov-1', ?, 'obk_leg', '[\"*\"]', ?)").run(hashApiKey(OLD_API_KEY), at);
  sqlite.prepare("insert into status_lists (id, purpose, size, used, created_at) values ('old-list', 'revocation', 131072, 1, ?)").run(at);
  sqlite
    .prepare("insert into credentials (id, provider_id, badge_class, badge_class_version, language, issued_at, valid_until, document, jwt) values (?, 'prov-1', ?, '1.0.0', 'en', ?, null, ?, '')")
    .run('00000000-0000-4000-8000-000000000001', entry.badgeClass.slug, at, document);
  sqlite.prepare("insert into credential_statuses (credential_id, list_id, status_index) values ('00000000-0000-4000-8000-000000000001', 'old-list', 7)").run();
  sqlite.close();

  // The new version starts on it.
  const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL, DATA_DIR: dataDir, KEYS_DIR: keysDir, ISSUER_NAME: 'Care Skills Badges', LOG_LEVEL: 'silent', RATE_LIMITS: 'off' });
  const ctx = await createAppContext({ config, logger: createLogger('silent'), keys: () => loadKeys(keysDir), fetcher: offlineFetcher() });
  const app = createApp(ctx);
  try {
    expect(ctx.instance.did).toBe('did:web:badges.example.org');
    expect(ctx.instance.signing.verificationMethod).toBe(`did:web:badges.example.org#${multibase}`);
    const served = await request(app).get('/credentials/00000000-0000-4000-8000-000000000001').set('Accept', 'application/ld+json').expect(200);
    expect(served.text).toBe(document);
    const verify = async () => (await request(app).post('/verify').set('Accept', 'application/json').send({ credential: JSON.parse(document) }).expect(200)).body;
    expect((await verify()).verified).toBe(true);

    // The old provider's key still works; it revokes its old credential, which its list (now the instance organisation's) shows.
    await request(app).post('/api/v1/credentials/00000000-0000-4000-8000-000000000001/revoke').set('Authorization', `Bearer ${OLD_API_KEY}`).send({ reason: 'error' }).expect(200);
    const after = await verify();
    expect(after.checks.find((c: { id: string }) => c.id === 'status')).toMatchObject({ status: 'failed', code: 'revoked' });

    // It now issues under an identity of its own.
    const fresh = await request(app)
      .post('/api/v1/credentials')
      .set('Authorization', `Bearer ${OLD_API_KEY}`)
      .send({ badgeClass: entry.badgeClass.slug, recipient: { email: 'learner@example.org' } })
      .expect(201);
    expect(fresh.body.credential.issuer).toMatchObject({ id: 'did:web:badges.example.org:orgs:org-prov1', name: 'Casa di Cura Roma' });
    expect((await request(app).post('/verify').set('Accept', 'application/json').send({ credential: fresh.body.credential }).expect(200)).body.verified).toBe(true);
  } finally {
    closeAppContext(ctx);
    await ctx.storage.close().catch(() => undefined);
  }
});

it('refuses to start when the key-encryption key does not open the stored keys, and says so', async () => {
  const keysDir = join(dir, 'keys');
  await generateMissingKeys(keysDir);
  const base = { NODE_ENV: 'test', PUBLIC_URL, DATA_DIR: join(dir, 'data'), KEYS_DIR: keysDir, LOG_LEVEL: 'silent' };
  const start = async (kek: string) => {
    const config = loadConfig({ ...base, KEY_ENCRYPTION_KEY: kek });
    const ctx = await createAppContext({ config, logger: createLogger('silent'), keys: () => loadKeys(keysDir), fetcher: offlineFetcher() });
    closeAppContext(ctx);
    await ctx.storage.close().catch(() => undefined);
  };
  await start(Buffer.alloc(32, 1).toString('base64'));
  await expect(start(Buffer.alloc(32, 2).toString('base64'))).rejects.toThrow(/encrypted under another key-encryption key/);
  await expect(start('too-short')).rejects.toThrow(/KEY_ENCRYPTION_KEY must be 32 random bytes/);
});

it('starts two instances together on a new database: both take the one instance organisation', async () => {
  const keysDir = join(dir, 'keys');
  await generateMissingKeys(keysDir);
  const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL, DATA_DIR: join(dir, 'data'), KEYS_DIR: keysDir, LOG_LEVEL: 'silent', KEY_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64') });
  const start = () => createAppContext({ config, logger: createLogger('silent'), keys: () => loadKeys(keysDir), fetcher: offlineFetcher() });
  const [a, b] = await Promise.all([start(), start()]);
  try {
    expect(a.instance.id).toBe(b.instance.id);
    expect((await a.organisations.list()).filter((o) => o.isInstance)).toHaveLength(1);
    expect(a.catalog.list().length).toBe(b.catalog.list().length);
  } finally {
    for (const ctx of [a, b]) {
      closeAppContext(ctx);
      await ctx.storage.close().catch(() => undefined);
    }
  }
});
