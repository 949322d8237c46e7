import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/client.js';
import type { ApiKeyRecord, ProviderRepository } from '../../src/db/repositories.js';
import { createSqliteProviderRepository } from '../../src/db/sqlite/providers.js';

/**
 * One contract for every storage backend: each repository is held to the same behaviour, whatever
 * database is behind it. SQLite runs here; further backends add themselves to BACKENDS.
 */
interface Backend {
  name: string;
  open(): Promise<{ providers: ProviderRepository; close(): void }>;
}

const BACKENDS: Backend[] = [
  {
    name: 'SQLite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'contract-'));
      const db = openDatabase(dir);
      return {
        providers: createSqliteProviderRepository(db),
        close() {
          db.$client.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
];

// The drivers' own messages (an error class would not do: native drivers' errors come from another realm under jest).
const UNIQUE = /UNIQUE|unique|duplicate key/;
const FOREIGN_KEY = /FOREIGN KEY|foreign key/;

const key = (id: string, providerId: string, keyHash = `hash-${id}`): ApiKeyRecord => ({
  id,
  providerId,
  keyHash,
  keyPrefix: `obk_${id.slice(0, 6)}`,
  badgeClasses: ['*'],
  createdAt: '2026-01-01T00:00:00.000Z',
});

describe.each(BACKENDS)('the provider repository on $name', (backend) => {
  let store: Awaited<ReturnType<Backend['open']>>;
  beforeEach(async () => {
    store = await backend.open();
  });
  afterEach(() => store.close());

  it('stores a provider with its first key, and finds the key by its hash', async () => {
    await store.providers.insertProvider({ id: 'p1', name: 'Casa di Cura', createdAt: '2026-01-01T00:00:00.000Z' }, key('k1', 'p1'));
    expect(await store.providers.findKeyByHash('hash-k1')).toEqual({ keyId: 'k1', badgeClasses: ['*'], revoked: false, provider: { id: 'p1', name: 'Casa di Cura' } });
    expect(await store.providers.findKeyByHash('hash-unknown')).toBeUndefined();
    expect(await store.providers.exists('p1')).toBe(true);
    expect(await store.providers.exists('p2')).toBe(false);
  });

  it('lists providers with their keys, scopes kept', async () => {
    await store.providers.insertProvider({ id: 'p1', name: 'One', createdAt: '2026-01-01T00:00:00.000Z' }, key('k1', 'p1'));
    await store.providers.insertKey({ ...key('k2', 'p1'), badgeClasses: ['carer-plus-digital-communication'] });
    await store.providers.insertProvider({ id: 'p2', name: 'Two', createdAt: '2026-01-02T00:00:00.000Z' }, key('k3', 'p2'));
    const listed = await store.providers.listWithKeys();
    expect(listed.map((p) => [p.name, p.keys.map((k) => k.badgeClasses)])).toEqual([
      ['One', [['*'], ['carer-plus-digital-communication']]],
      ['Two', [['*']]],
    ]);
  });

  it('refuses a second key with the same hash, and then stores neither the provider nor its key', async () => {
    await store.providers.insertProvider({ id: 'p1', name: 'One', createdAt: '2026-01-01T00:00:00.000Z' }, key('k1', 'p1', 'same'));
    await expect(store.providers.insertProvider({ id: 'p2', name: 'Two', createdAt: '2026-01-01T00:00:00.000Z' }, key('k2', 'p2', 'same'))).rejects.toMatchObject({ message: expect.stringMatching(UNIQUE) });
    expect(await store.providers.exists('p2')).toBe(false);
    expect((await store.providers.findKeyByHash('same'))?.provider.id).toBe('p1');
  });

  it('refuses a key for a provider that does not exist', async () => {
    await expect(store.providers.insertKey(key('k9', 'nobody'))).rejects.toMatchObject({ message: expect.stringMatching(FOREIGN_KEY) });
  });
});
