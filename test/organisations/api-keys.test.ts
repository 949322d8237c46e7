import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/db/client.js';
import { createSqliteOrganisationRepository } from '../../src/db/sqlite/organisations.js';
import type { OrganisationRepository } from '../../src/db/repositories.js';
import { createApiKeyStore, type ApiKeyStore } from '../../src/organisations/api-keys.js';

/**
 * A successful key check is remembered for a few seconds (one database look-up per key, not per
 * request); a key revoked in the database then stops working within that time, on every instance.
 */
let dir: string;
let db: Db;
let repo: OrganisationRepository;
let lookups: number;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'api-keys-'));
  db = openDatabase(dir);
  const inner = createSqliteOrganisationRepository(db);
  lookups = 0;
  repo = {
    ...inner,
    findKeyByHash: (hash) => {
      lookups++;
      return inner.findKeyByHash(hash);
    },
  };
});
/** An organisation and a key for it. */
async function organisationWithKey(store: ApiKeyStore, name: string): Promise<{ apiKey: string }> {
  await repo.insertOrganisation({ id: 'o1', slug: 'o1', name, profile: {}, isInstance: false, createdAt: '2026-12-06T10:00:00Z' }, []);
  return { apiKey: (await store.addKey('o1', ['*']))! };
}

afterEach(() => {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

it('remembers a key that matched for rememberFor ms, then asks the database again and sees a revocation', async () => {
  let clock = Date.parse('2026-12-06T10:00:00Z');
  const store = createApiKeyStore(repo, { now: () => new Date(clock), rememberFor: 5_000 });
  const { apiKey } = await organisationWithKey(store, 'Casa di Cura Roma');
  expect((await store.authenticate(apiKey))?.org.name).toBe('Casa di Cura Roma');
  expect(lookups).toBe(1);
  // Revoked in the database (by another instance or the operator).
  db.$client.prepare('update api_keys set revoked_at = ?').run('2026-12-06T10:00:01Z');
  clock += 4_999;
  expect(await store.authenticate(apiKey)).toBeDefined();
  expect(lookups).toBe(1);
  clock += 1;
  expect(await store.authenticate(apiKey)).toBeUndefined();
  expect(lookups).toBe(2);
});

it('never remembers a key that did not match, and with rememberFor 0 asks every time', async () => {
  const store = createApiKeyStore(repo, { rememberFor: 0 });
  const { apiKey } = await organisationWithKey(store, 'Provider');
  const wrong = `${apiKey.slice(0, -2)}xx`;
  expect(await store.authenticate(wrong)).toBeUndefined();
  expect(await store.authenticate(wrong)).toBeUndefined();
  expect(lookups).toBe(2);
  await store.authenticate(apiKey);
  await store.authenticate(apiKey);
  expect(lookups).toBe(4);

  const remembering = createApiKeyStore(repo);
  expect(await remembering.authenticate(wrong)).toBeUndefined();
  expect(await remembering.authenticate(wrong)).toBeUndefined();
  expect(lookups).toBe(6);
});
