import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/client.js';
import type { ApiKeyRecord, CredentialRecord, Storage } from '../../src/db/repositories.js';
import { openPostgres } from '../../src/db/postgres/client.js';
import { createPostgresStorage } from '../../src/db/postgres/storage.js';
import { createSqliteStorage } from '../../src/db/sqlite/storage.js';
import { createTestDatabase } from '../helpers/postgres.js';

/**
 * One contract for every storage backend: each repository is held to the same behaviour, whatever
 * database is behind it. SQLite, and PostgreSQL on the test run's throw-away server.
 */
interface Backend {
  name: string;
  open(): Promise<{ storage: Storage; close(): Promise<void> }>;
}

const BACKENDS: Backend[] = [
  {
    name: 'SQLite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'contract-'));
      const db = openDatabase(dir);
      return {
        storage: createSqliteStorage(db),
        async close() {
          db.$client.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'PostgreSQL',
    async open() {
      const database = await createTestDatabase();
      const db = await openPostgres(database.url, { max: 4 });
      const storage = createPostgresStorage(db);
      return {
        storage,
        async close() {
          await storage.close();
          await database.drop();
        },
      };
    },
  },
];

const key = (id: string, orgId: string, keyHash = `hash-${id}`): ApiKeyRecord => ({
  id,
  orgId,
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
    await store.storage.organisations.insertOrganisation({ id: 'p1', slug: 'p1', name: 'Casa di Cura', profile: {}, isInstance: false, createdAt: '2026-01-01T00:00:00.000Z' }, [], key('k1', 'p1'));
    expect(await store.storage.organisations.findKeyByHash('hash-k1')).toEqual({ keyId: 'k1', badgeClasses: ['*'], revoked: false, org: { id: 'p1', name: 'Casa di Cura' } });
    expect(await store.storage.organisations.findKeyByHash('hash-unknown')).toBeUndefined();
    expect(await store.storage.organisations.exists('p1')).toBe(true);
    expect(await store.storage.organisations.exists('p2')).toBe(false);
  });

  it('lists providers with their keys, scopes kept', async () => {
    await store.storage.organisations.insertOrganisation({ id: 'p1', slug: 'p1', name: 'One', profile: {}, isInstance: false, createdAt: '2026-01-01T00:00:00.000Z' }, [], key('k1', 'p1'));
    await store.storage.organisations.insertKey({ ...key('k2', 'p1'), badgeClasses: ['carer-plus-digital-communication'] });
    await store.storage.organisations.insertOrganisation({ id: 'p2', slug: 'p2', name: 'Two', profile: {}, isInstance: false, createdAt: '2026-01-02T00:00:00.000Z' }, [], key('k3', 'p2'));
    const listed = await store.storage.organisations.listWithKeys();
    expect(listed.map((p) => [p.name, p.keys.map((k) => k.badgeClasses)])).toEqual([
      ['One', [['*'], ['carer-plus-digital-communication']]],
      ['Two', [['*']]],
    ]);
  });

  it('refuses a second key with the same hash, and then stores neither the provider nor its key', async () => {
    await store.storage.organisations.insertOrganisation({ id: 'p1', slug: 'p1', name: 'One', profile: {}, isInstance: false, createdAt: '2026-01-01T00:00:00.000Z' }, [], key('k1', 'p1', 'same'));
    await expect(store.storage.organisations.insertOrganisation({ id: 'p2', slug: 'p2', name: 'Two', profile: {}, isInstance: false, createdAt: '2026-01-01T00:00:00.000Z' }, [], key('k2', 'p2', 'same'))).rejects.toMatchObject({ name: 'StorageError', code: 'conflict' });
    expect(await store.storage.organisations.exists('p2')).toBe(false);
    expect((await store.storage.organisations.findKeyByHash('same'))?.org.id).toBe('p1');
  });

  it('refuses a key for a provider that does not exist', async () => {
    await expect(store.storage.organisations.insertKey(key('k9', 'nobody'))).rejects.toMatchObject({ name: 'StorageError', code: 'missing_reference' });
  });
});

const credential = (id: string, orgId = 'p1', issuedAt = '2026-01-01T00:00:00Z'): CredentialRecord => ({
  id,
  orgId,
  badgeClass: 'carer-plus-digital-communication',
  badgeClassVersion: '1.0.0',
  language: 'en',
  issuedAt,
  validUntil: null,
  document: `{"id":"${id}"}`,
  jwt: `jwt.${id}.sig`,
});

describe.each(BACKENDS)('credentials, idempotency and status on $name', (backend) => {
  let store: Awaited<ReturnType<Backend['open']>>;
  let storage: Storage;
  beforeEach(async () => {
    store = await backend.open();
    storage = store.storage;
    await storage.organisations.insertOrganisation({ id: 'p1', slug: 'p1', name: 'One', profile: {}, isInstance: false, createdAt: '2026-01-01T00:00:00.000Z' }, [], key('k1', 'p1'));
    await storage.status.createList({ id: 'list-1', orgId: 'p1', purpose: 'revocation', size: 131072, createdAt: '2026-01-01T00:00:00.000Z' });
  });
  afterEach(() => store.close());

  it('stores credentials with their status entries and idempotency record in one transaction', async () => {
    await storage.transaction(async (tx) => {
      await tx.credentials.insert([credential('c1'), credential('c2', 'p1', '2026-01-02T00:00:00Z')]);
      await tx.status.insertEntries([
        { credentialId: 'c1', listId: 'list-1', statusIndex: 7 },
        { credentialId: 'c2', listId: 'list-1', statusIndex: 9 },
      ]);
      await tx.idempotency.insert({ orgId: 'p1', key: 'k', requestHash: 'h', credentialIds: ['c1', 'c2'], createdAt: '2026-01-01T00:00:00Z' });
    });
    expect(await storage.credentials.get('c1')).toEqual({ id: 'c1', orgId: 'p1', badgeClass: 'carer-plus-digital-communication', document: '{"id":"c1"}', jwt: 'jwt.c1.sig' });
    expect((await storage.credentials.getMany(['c2', 'c1'])).map((c) => c.id).sort()).toEqual(['c1', 'c2']);
    expect(await storage.idempotency.find('p1', 'k')).toMatchObject({ requestHash: 'h', credentialIds: ['c1', 'c2'] });
    const page = await storage.credentials.list('p1', { limit: 1, withTotal: true });
    expect({ total: page.total, first: page.items[0]?.id }).toEqual({ total: 2, first: 'c2' });
    expect(await storage.status.listsInUse('p1', 'revocation')).toEqual([{ id: 'list-1', used: 2 }]);
    expect((await storage.status.takenIndexes('list-1', [7, 8, 9, 10])).sort()).toEqual([7, 9]);
    expect(await storage.status.takenIndexes('list-1', [])).toEqual([]);
    expect(await storage.status.listWithRoom('p1', 'revocation', 3, [9, 10, 7])).toEqual({ id: 'list-1', used: 2, taken: expect.arrayContaining([7, 9]) });
    expect((await storage.status.listWithRoom('p1', 'revocation', 3, [9, 10, 7]))?.taken).toHaveLength(2);
    expect(await storage.status.listWithRoom('p1', 'revocation', 3, [])).toEqual({ id: 'list-1', used: 2, taken: [] });
    expect(await storage.status.listWithRoom('p1', 'revocation', 2, [7])).toBeUndefined();
  });

  it('stores an issuance at once, or nothing of it when an index or the Idempotency-Key is taken', async () => {
    const idempotency = { orgId: 'p1', key: 'k', requestHash: 'h', credentialIds: ['c1', 'c2'], createdAt: '2026-01-01T00:00:00Z' };
    await storage.insertIssued({
      credentials: [credential('c1'), { ...credential('c2'), jwt: null }],
      entries: [
        { credentialId: 'c1', listId: 'list-1', statusIndex: 1 },
        { credentialId: 'c2', listId: 'list-1', statusIndex: 2 },
      ],
      idempotency,
    });
    expect((await storage.credentials.getMany(['c1', 'c2'])).map((c) => [c.id, c.jwt]).sort()).toEqual([
      ['c1', 'jwt.c1.sig'],
      ['c2', null],
    ]);
    expect(await storage.status.listsInUse('p1', 'revocation')).toEqual([{ id: 'list-1', used: 2 }]);
    expect(await storage.idempotency.find('p1', 'k')).toMatchObject({ requestHash: 'h', credentialIds: ['c1', 'c2'] });
    expect(await storage.status.entryAt('list-1', 2)).toMatchObject({ revokedAt: null });

    // A taken index, then a taken key: each refused whole.
    await expect(storage.insertIssued({ credentials: [credential('c3')], entries: [{ credentialId: 'c3', listId: 'list-1', statusIndex: 2 }] })).rejects.toMatchObject({ name: 'StorageError', code: 'conflict' });
    await expect(
      storage.insertIssued({ credentials: [credential('c4')], entries: [{ credentialId: 'c4', listId: 'list-1', statusIndex: 4 }], idempotency: { ...idempotency, credentialIds: ['c4'] } }),
    ).rejects.toMatchObject({ name: 'StorageError', code: 'conflict' });
    expect(await storage.credentials.getMany(['c3', 'c4'])).toEqual([]);
    expect(await storage.status.takenIndexes('list-1', [2, 4])).toEqual([2]);
    expect(await storage.status.listsInUse('p1', 'revocation')).toEqual([{ id: 'list-1', used: 2 }]);
  });

  it('stores issuances that arrive together each on its own: a refused one fails alone', async () => {
    await storage.insertIssued({ credentials: [credential('c0')], entries: [{ credentialId: 'c0', listId: 'list-1', statusIndex: 5 }] });
    const one = (id: string, statusIndex: number) => storage.insertIssued({ credentials: [credential(id)], entries: [{ credentialId: id, listId: 'list-1', statusIndex }] });
    // Started in one turn: SQLite commits them as one group; PostgreSQL stores each in its statement.
    // c1 and c4 race for index 1: one of them wins (SQLite: the first; PostgreSQL: either).
    const results = await Promise.allSettled([one('c1', 1), one('c2', 5), one('c3', 3), one('c4', 1)]);
    const status = results.map((r) => r.status);
    expect([status[1], status[2]]).toEqual(['rejected', 'fulfilled']);
    expect([status[0], status[3]].sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)).toEqual([
      expect.objectContaining({ name: 'StorageError', code: 'conflict' }),
      expect.objectContaining({ name: 'StorageError', code: 'conflict' }),
    ]);
    const winner = status[0] === 'fulfilled' ? 'c1' : 'c4';
    expect((await storage.credentials.getMany(['c0', 'c1', 'c2', 'c3', 'c4'])).map((c) => c.id).sort()).toEqual(['c0', 'c3', winner].sort());
    expect((await storage.status.takenIndexes('list-1', [1, 3, 5])).sort()).toEqual([1, 3, 5]);
    expect(await storage.status.listsInUse('p1', 'revocation')).toEqual([{ id: 'list-1', used: 3 }]);
  });

  it('keeps a VC-JWT signed after issuance, once: a second save changes nothing', async () => {
    await storage.credentials.insert([{ ...credential('c1'), jwt: null }, credential('c2')]);
    expect(await storage.credentials.get('c1')).toEqual({ id: 'c1', orgId: 'p1', badgeClass: 'carer-plus-digital-communication', document: '{"id":"c1"}', jwt: null });
    expect((await storage.credentials.getMany(['c1'])).map((c) => c.jwt)).toEqual([null]);
    await storage.credentials.saveJwt('c1', 'jwt.first');
    await storage.credentials.saveJwt('c1', 'jwt.second');
    await storage.credentials.saveJwt('c2', 'jwt.other');
    await storage.credentials.saveJwt('missing', 'jwt.none');
    expect((await storage.credentials.get('c1'))?.jwt).toBe('jwt.first');
    expect((await storage.credentials.get('c2'))?.jwt).toBe('jwt.c2.sig');
    expect(await storage.credentials.get('missing')).toBeUndefined();
  });

  it('keeps nothing of a transaction that fails half way', async () => {
    await expect(
      storage.transaction(async (tx) => {
        await tx.credentials.insert([credential('c1')]);
        // The same index twice in one list: the database refuses it.
        await tx.status.insertEntries([{ credentialId: 'c1', listId: 'list-1', statusIndex: 7 }]);
        await tx.credentials.insert([credential('c2')]);
        await tx.status.insertEntries([{ credentialId: 'c2', listId: 'list-1', statusIndex: 7 }]);
      }),
    ).rejects.toMatchObject({ name: 'StorageError', code: 'conflict' });
    expect(await storage.credentials.get('c1')).toBeUndefined();
    expect(await storage.status.takenIndexes('list-1', [7])).toEqual([]);
  });

  it('revokes an entry and marks the signed list stale together; a signed list is kept only if nothing changed meanwhile', async () => {
    await storage.transaction(async (tx) => {
      await tx.credentials.insert([credential('c1'), credential('c2')]);
      await tx.status.insertEntries([
        { credentialId: 'c1', listId: 'list-1', statusIndex: 7 },
        { credentialId: 'c2', listId: 'list-1', statusIndex: 8 },
      ]);
    });
    await storage.status.saveSignedList('list-1', 'signed-0', 0);
    expect((await storage.status.getList('list-1'))?.signedCredential).toBe('signed-0');
    expect(await storage.status.credentialEntry('c1')).toEqual({ orgId: 'p1', listId: 'list-1', statusIndex: 7, revokedAt: null, reason: null, reasonPublic: false });
    await storage.status.revoke('c1', 'list-1', { revokedAt: '2026-02-01T00:00:00Z', reason: 'error', reasonPublic: true });
    expect((await storage.status.getList('list-1'))?.signedCredential).toBeNull();
    expect(await storage.status.entryAt('list-1', 7)).toEqual({ revokedAt: '2026-02-01T00:00:00Z', reason: 'error', reasonPublic: true });
    expect(await storage.status.entryOf('c2')).toEqual({ revokedAt: null, reason: null, reasonPublic: false, suspendedAt: null });
    expect(await storage.status.revokedIndexes('list-1')).toEqual([7]);
    // A list signed before the revocation (0 revoked) is not stored over the change.
    await storage.status.saveSignedList('list-1', 'stale', 0);
    expect((await storage.status.getList('list-1'))?.signedCredential).toBeNull();
    await storage.status.saveSignedList('list-1', 'signed-1', 1);
    expect((await storage.status.getList('list-1'))?.signedCredential).toBe('signed-1');
  });

  it('suspends and reinstates in a parallel suspension list made once, marking its signed list stale each time', async () => {
    await storage.insertIssued({
      credentials: [credential('c1'), credential('c2')],
      entries: [
        { credentialId: 'c1', listId: 'list-1', statusIndex: 7 },
        { credentialId: 'c2', listId: 'list-1', statusIndex: 8 },
      ],
    });
    const list = { id: 'list-1/suspension', orgId: 'p1', purpose: 'suspension', size: 131072, createdAt: '2026-01-02T00:00:00.000Z' };
    await storage.status.ensureList(list);
    await storage.status.ensureList({ ...list, createdAt: '2026-01-03T00:00:00.000Z' });
    expect(await storage.status.getList('list-1/suspension')).toMatchObject({ ...list, signedCredential: null });
    // Not a list to hand out indexes from.
    expect(await storage.status.listsInUse('p1', 'revocation')).toEqual([{ id: 'list-1', used: 2 }]);

    await storage.status.saveSignedSuspensions('list-1/suspension', 'signed-0', []);
    expect((await storage.status.getList('list-1/suspension'))?.signedCredential).toBe('signed-0');
    await storage.transaction((tx) => tx.status.suspend({ credentialId: 'c1', listId: 'list-1/suspension', statusIndex: 7, suspendedAt: '2026-02-01T00:00:00Z', reason: 'investigation' }));
    expect((await storage.status.getList('list-1/suspension'))?.signedCredential).toBeNull();
    expect((await storage.status.getList('list-1'))?.signedCredential).toBeNull();
    expect(await storage.status.suspensionOf('c1')).toEqual({ credentialId: 'c1', listId: 'list-1/suspension', statusIndex: 7, suspendedAt: '2026-02-01T00:00:00Z', reason: 'investigation' });
    expect(await storage.status.suspensionOf('c2')).toBeUndefined();
    expect(await storage.status.suspensionAt('list-1/suspension', 7)).toEqual({ suspendedAt: '2026-02-01T00:00:00Z' });
    expect(await storage.status.suspensionAt('list-1/suspension', 8)).toBeUndefined();
    expect(await storage.status.entryOf('c1')).toEqual({ revokedAt: null, reason: null, reasonPublic: false, suspendedAt: '2026-02-01T00:00:00Z' });
    // Suspending again replaces the suspension; the entry stays one.
    await storage.status.suspend({ credentialId: 'c1', listId: 'list-1/suspension', statusIndex: 7, suspendedAt: '2026-02-02T00:00:00Z', reason: null });
    expect(await storage.status.suspensionOf('c1')).toMatchObject({ suspendedAt: '2026-02-02T00:00:00Z', reason: null });
    await storage.status.suspend({ credentialId: 'c2', listId: 'list-1/suspension', statusIndex: 8, suspendedAt: '2026-02-03T00:00:00Z', reason: null });
    expect(await storage.status.suspendedIndexes('list-1/suspension')).toEqual([7, 8]);

    // Signed from [7, 8]; then 7 is reinstated and 9 would make the count the same: the indexes are compared.
    await storage.status.reinstate('c1', 'list-1/suspension');
    expect(await storage.status.suspensionOf('c1')).toBeUndefined();
    expect(await storage.status.entryOf('c1')).toMatchObject({ suspendedAt: null });
    expect(await storage.status.suspendedIndexes('list-1/suspension')).toEqual([8]);
    await storage.status.saveSignedSuspensions('list-1/suspension', 'stale', [7, 8]);
    expect((await storage.status.getList('list-1/suspension'))?.signedCredential).toBeNull();
    await storage.status.saveSignedSuspensions('list-1/suspension', 'stale', [7]);
    expect((await storage.status.getList('list-1/suspension'))?.signedCredential).toBeNull();
    await storage.status.saveSignedSuspensions('list-1/suspension', 'signed-1', [8]);
    expect((await storage.status.getList('list-1/suspension'))?.signedCredential).toBe('signed-1');
    // Another credential cannot take a suspended index of the list.
    await expect(storage.status.suspend({ credentialId: 'c1', listId: 'list-1/suspension', statusIndex: 8, suspendedAt: '2026-02-04T00:00:00Z', reason: null })).rejects.toMatchObject({
      name: 'StorageError',
      code: 'conflict',
    });
  });
});

describe.each(BACKENDS)('re-issue and erasure on $name', (backend) => {
  let store: Awaited<ReturnType<Backend['open']>>;
  let storage: Storage;
  const at = '2026-03-01T00:00:00Z';
  beforeEach(async () => {
    store = await backend.open();
    storage = store.storage;
    await storage.organisations.insertOrganisation({ id: 'p1', slug: 'p1', name: 'One', profile: {}, isInstance: false, createdAt: '2026-01-01T00:00:00.000Z' }, [], key('k1', 'p1'));
    await storage.status.createList({ id: 'list-1', orgId: 'p1', purpose: 'revocation', size: 131072, createdAt: '2026-01-01T00:00:00.000Z' });
    const rows = ['c1', 'c2', 'c3'].map((id) => ({ ...credential(id), recipientName: `Name ${id}`, learnerKey: `key-${id}` }));
    await storage.insertIssued({
      credentials: [...rows, { ...credential('c4'), jwt: null }],
      entries: ['c1', 'c2', 'c3', 'c4'].map((id, i) => ({ credentialId: id, listId: 'list-1', statusIndex: i })),
      outbox: [
        { id: 'm1', orgId: 'p1', kind: 'award', credentialId: 'c1', recipient: 'learner@example.org', language: 'en', payload: null, createdAt: at, nextAttemptAt: at },
        { id: 'm2', orgId: 'p1', kind: 'award', credentialId: 'c2', recipient: 'other@example.org', language: 'en', payload: null, createdAt: at, nextAttemptAt: at },
      ],
    });
  });
  afterEach(() => store.close());

  it('reads a credential\'s state with its status entry, in a transaction with its row held too', async () => {
    const fresh = { id: 'c1', orgId: 'p1', badgeClass: 'carer-plus-digital-communication', listId: 'list-1', revokedAt: null, reason: null, reasonPublic: false, replacedBy: null, renewedBy: null, renews: null, erasedAt: null, learnerKey: 'key-c1', suspendedAt: null, claimedAt: null };
    expect(await storage.credentials.stateOf('c1')).toEqual(fresh);
    expect(await storage.credentials.stateOf('missing')).toBeUndefined();
    await storage.status.revoke('c1', 'list-1', { revokedAt: at, reason: 'replaced', reasonPublic: true });
    expect(await storage.transaction((tx) => tx.credentials.stateOf('c1', { lock: true }))).toEqual({ ...fresh, revokedAt: at, reason: 'replaced', reasonPublic: true });
  });

  it('answers many state reads at once each with its own credential\'s state, and a change committed before a read is always seen', async () => {
    const ids = ['c1', 'missing', 'c2', 'c3', 'c1', 'c4'];
    const states = await Promise.all(ids.map((id) => storage.credentials.stateOf(id)));
    expect(states.map((s) => s?.id)).toEqual(['c1', undefined, 'c2', 'c3', 'c1', 'c4']);
    expect(states.map((s) => s?.learnerKey)).toEqual(['key-c1', undefined, 'key-c2', 'key-c3', 'key-c1', null]);
    // Reads in flight while a change commits, then reads asked after it: those see it, whatever was in flight.
    const before = Promise.all(['c1', 'c2'].map((id) => storage.credentials.stateOf(id)));
    await storage.credentials.erase('c2', at);
    const after = await Promise.all(['c2', 'c1', 'c2'].map((id) => storage.credentials.stateOf(id)));
    expect(after.map((s) => s?.erasedAt)).toEqual([at, null, at]);
    expect((await before).map((s) => s?.id)).toEqual(['c1', 'c2']);
  });

  it('notes when a credential was first claimed, counts claimed ones per class, and never an erased one', async () => {
    await storage.credentials.markClaimed('c1', '2026-03-02T00:00:00.000Z');
    await storage.credentials.markClaimed('c1', '2026-03-03T00:00:00.000Z');
    expect((await storage.credentials.stateOf('c1'))?.claimedAt).toBe('2026-03-02T00:00:00.000Z');
    await storage.credentials.erase('c2', at);
    await storage.credentials.markClaimed('c2', '2026-03-02T00:00:00.000Z');
    expect((await storage.credentials.stateOf('c2'))?.claimedAt).toBeNull();
    expect(await storage.credentials.countByBadgeClass('p1')).toEqual([{ badgeClass: 'carer-plus-digital-communication', awarded: 4, claimed: 1 }]);
  });

  it('links a credential to its renewal once, and never a replaced or erased one', async () => {
    await storage.credentials.insert([{ ...credential('r1'), renews: 'c1' }]);
    expect(await storage.credentials.markRenewed('c1', 'r1')).toBe(true);
    expect(await storage.credentials.markRenewed('c1', 'r2')).toBe(false);
    expect(await storage.credentials.stateOf('c1')).toMatchObject({ renewedBy: 'r1', renews: null, revokedAt: null });
    expect(await storage.credentials.stateOf('r1')).toMatchObject({ renewedBy: null, renews: 'c1' });
    await storage.credentials.markReplaced('c2', 'c3');
    expect(await storage.credentials.markRenewed('c2', 'r1')).toBe(false);
    await storage.credentials.erase('c4', at);
    expect(await storage.credentials.markRenewed('c4', 'r1')).toBe(false);
  });

  it('keeps expiry reminders: due ones with their credential, moved on once, dropped, purged', async () => {
    const row = (id: string, due: string[], keepUntil = '2030-01-01T00:00:00.000Z') => ({ credentialId: id, orgId: 'p1', validUntil: '2029-01-01T00:00:00Z', due, address: id === 'c1' ? 'sealed' : null, keepUntil });
    await storage.insertIssued({
      credentials: [credential('c5')],
      entries: [{ credentialId: 'c5', listId: 'list-1', statusIndex: 5 }],
      reminders: [row('c5', ['2028-11-02T00:00:00.000Z'], '2026-03-01T00:00:00.000Z')],
    });
    await storage.reminders.insert([row('c1', ['2028-11-01T00:00:00.000Z', '2028-12-01T00:00:00.000Z']), row('c2', [])]);
    expect(await storage.reminders.get('c1')).toEqual(row('c1', ['2028-11-01T00:00:00.000Z', '2028-12-01T00:00:00.000Z']));
    expect(await storage.reminders.due('2028-10-31T00:00:00.000Z', 10)).toEqual([]);
    const due = await storage.reminders.due('2028-11-05T00:00:00.000Z', 10);
    expect(due.map((d) => [d.credentialId, d.badgeClass, d.recipientName])).toEqual([['c1', 'carer-plus-digital-communication', 'Name c1'], ['c5', 'carer-plus-digital-communication', null]]);
    expect(await storage.reminders.due('2028-11-05T00:00:00.000Z', 1)).toHaveLength(1);
    // Moved on once: a second instance's attempt from the same due time changes nothing.
    expect(await storage.reminders.advance('c1', '2028-11-01T00:00:00.000Z', ['2028-12-01T00:00:00.000Z'])).toBe(true);
    expect(await storage.reminders.advance('c1', '2028-11-01T00:00:00.000Z', [])).toBe(false);
    expect((await storage.reminders.get('c1'))?.due).toEqual(['2028-12-01T00:00:00.000Z']);
    expect(await storage.reminders.advance('c1', '2028-12-01T00:00:00.000Z', [])).toBe(true);
    expect((await storage.reminders.due('2030-01-01T00:00:00.000Z', 10)).map((d) => d.credentialId)).toEqual(['c5']);
    await storage.reminders.drop('c2');
    expect(await storage.reminders.get('c2')).toBeUndefined();
    expect(await storage.reminders.purge('2026-03-02T00:00:00.000Z')).toBe(1);
    expect(await storage.reminders.get('c5')).toBeUndefined();
    expect(await storage.reminders.get('c1')).toBeDefined();
  });

  it('links a credential to its replacement once, and never an erased one', async () => {
    expect(await storage.credentials.markReplaced('c1', 'c2')).toBe(true);
    expect(await storage.credentials.markReplaced('c1', 'c3')).toBe(false);
    expect((await storage.credentials.stateOf('c1'))?.replacedBy).toBe('c2');
    await storage.credentials.erase('c3', at);
    expect(await storage.credentials.markReplaced('c3', 'c2')).toBe(false);
    expect((await storage.credentials.stateOf('c3'))?.replacedBy).toBeNull();
    const found = await storage.credentials.search('p1', { now: at, limit: 10 });
    expect(found.find((r) => r.id === 'c1')).toMatchObject({ replacedBy: 'c2', erasedAt: null });
  });

  it('erases the document, the VC-JWT, the name and the lookup key once; the status entry stays, and no VC-JWT is saved afterwards', async () => {
    expect(await storage.credentials.erase('c1', at)).toBe(true);
    expect(await storage.credentials.erase('c1', '2026-04-01T00:00:00Z')).toBe(false);
    expect(await storage.credentials.get('c1')).toEqual({ id: 'c1', orgId: 'p1', badgeClass: 'carer-plus-digital-communication', document: '', jwt: null });
    expect((await storage.credentials.stateOf('c1'))?.erasedAt).toBe(at);
    expect(await storage.status.entryAt('list-1', 0)).toEqual({ revokedAt: null, reason: null, reasonPublic: false });
    expect(await storage.credentials.search('p1', { now: at, limit: 10, name: 'Name c1' })).toEqual([]);
    expect(await storage.credentials.search('p1', { now: at, limit: 10, learnerKey: 'key-c1' })).toEqual([]);
    expect((await storage.credentials.search('p1', { now: at, limit: 10 })).find((r) => r.id === 'c1')).toMatchObject({ recipientName: null, erasedAt: at });
    // The other credentials keep theirs.
    expect((await storage.credentials.search('p1', { now: at, limit: 10, learnerKey: 'key-c2' })).map((r) => r.id)).toEqual(['c2']);
    // A VC-JWT signed from a copy read before the erasure is not stored over it.
    await storage.credentials.erase('c4', at);
    await storage.credentials.saveJwt('c4', 'jwt.late');
    expect(await storage.credentials.get('c4')).toEqual({ id: 'c4', orgId: 'p1', badgeClass: 'carer-plus-digital-communication', document: '', jwt: null });
  });

  it('drops a credential\'s queued award messages with their addresses, and keeps the others', async () => {
    await storage.outbox.markSent('m2', at, '<m2@example.org>');
    expect(await storage.outbox.dropQueued('c1')).toBe(1);
    expect(await storage.outbox.dropQueued('c2')).toBe(0);
    expect(await storage.outbox.deliveryOf(['c1', 'c2'])).toEqual([expect.objectContaining({ credentialId: 'c2', state: 'sent' })]);
    expect(await storage.outbox.claim('2026-12-01T00:00:00Z', '2026-12-01T00:15:00Z', 10)).toEqual([]);
  });
});

describe('the SQLite transaction', () => {
  const createdAt = '2026-01-01T00:00:00Z';
  const key = (id: string, orgId: string) => ({ id, orgId, keyHash: `h-${id}`, keyPrefix: 'cb_', badgeClasses: ['*'], createdAt });

  it('holds a call from outside until the transaction ends, rather than letting it join', async () => {
    const store = await BACKENDS[0]!.open();
    try {
      const order: string[] = [];
      // Another request's code, scheduled from outside, that runs while the callback waits on a timer.
      const outside = new Promise((resolve) => setImmediate(resolve)).then(async () => {
        order.push('outside asks');
        const seen = await store.storage.organisations.exists('p9');
        order.push('outside answered');
        return seen;
      });
      await expect(
        store.storage.transaction(async (tx) => {
          await tx.organisations.insertOrganisation({ id: 'p9', slug: 'p9', name: 'Uncommitted', profile: {}, isInstance: false, createdAt }, [], key('k9', 'p9'));
          await new Promise((resolve) => setTimeout(resolve, 20));
          order.push('transaction ends');
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      // It neither saw the uncommitted row nor ran inside the transaction.
      expect(await outside).toBe(false);
      expect(order).toEqual(['outside asks', 'transaction ends', 'outside answered']);
    } finally {
      await store.close();
    }
  });

  it('runs two transactions that arrive together one after the other', async () => {
    const store = await BACKENDS[0]!.open();
    try {
      const slow = (id: string) =>
        store.storage.transaction(async (tx) => {
          await tx.organisations.insertOrganisation({ id, slug: id, name: id, profile: {}, isInstance: false, createdAt }, [], key(`k-${id}`, id));
          await new Promise((resolve) => setTimeout(resolve, 10));
          return id;
        });
      expect(await Promise.all([slow('a'), slow('b'), slow('c')])).toEqual(['a', 'b', 'c']);
      expect((await store.storage.organisations.listWithKeys()).map((p) => p.id).sort()).toEqual(['a', 'b', 'c']);
    } finally {
      await store.close();
    }
  });
});

describe.each(BACKENDS)('listing at any depth on $name', (backend) => {
  it('walks a provider credentials newest first by keyset, the same rows as by offset, and counts only when asked', async () => {
    const store = await backend.open();
    try {
      const storage = store.storage;
      await storage.organisations.insertOrganisation({ id: 'p1', slug: 'p1', name: 'One', profile: {}, isInstance: false, createdAt: '2026-01-01T00:00:00.000Z' }, [], key('k1', 'p1'));
      // Five share one issuedAt (a batch): the id breaks the tie.
      const rows = Array.from({ length: 12 }, (_, i) => credential(`c${String(i).padStart(2, '0')}`, 'p1', i < 5 ? '2026-01-01T00:00:00Z' : `2026-01-0${Math.min(9, i - 3)}T00:00:00Z`));
      await storage.credentials.insert(rows);
      const walked: string[] = [];
      let after: { issuedAt: string; id: string } | undefined;
      for (;;) {
        const page = await storage.credentials.list('p1', { limit: 5, ...(after ? { after } : {}) });
        expect(page.total).toBeUndefined();
        walked.push(...page.items.map((r) => r.id));
        if (page.items.length < 5) break;
        const last = page.items.at(-1)!;
        after = { issuedAt: last.issuedAt, id: last.id };
      }
      const byOffset = (await storage.credentials.list('p1', { limit: 50, offset: 0, withTotal: true }));
      expect(walked).toEqual(byOffset.items.map((r) => r.id));
      expect(new Set(walked).size).toBe(12);
      expect(byOffset.total).toBe(12);
    } finally {
      await store.close();
    }
  });
});

describe.each(BACKENDS)('finding awards on $name', (backend) => {
  it('finds by name part (any case, % and _ literal), by lookup key, badge class, dates and state, newest first', async () => {
    const store = await backend.open();
    try {
      const s = store.storage;
      await s.organisations.insertOrganisation({ id: 'p1', slug: 'p1', name: 'One', profile: {}, isInstance: false, createdAt: '2026-01-01T00:00:00.000Z' }, [], key('k1', 'p1'));
      await s.organisations.insertOrganisation({ id: 'p2', slug: 'p2', name: 'Two', profile: {}, isInstance: false, createdAt: '2026-01-01T00:00:00.000Z' }, [], key('k2', 'p2'));
      await s.status.createList({ id: 'list-1', orgId: 'p1', purpose: 'revocation', size: 131072, createdAt: '2026-01-01T00:00:00.000Z' });
      const rows: CredentialRecord[] = [
        { ...credential('a', 'p1', '2026-01-01T00:00:00Z'), recipientName: 'Maria Rossi', learnerKey: 'key-maria' },
        { ...credential('b', 'p1', '2026-01-02T00:00:00Z'), recipientName: 'Ana 100%_Pop', learnerKey: 'key-ana', validUntil: '2026-01-10T00:00:00Z' },
        { ...credential('c', 'p1', '2026-01-03T00:00:00Z'), badgeClass: 'other', recipientName: 'Marius', learnerKey: 'key-marius' },
        { ...credential('d', 'p2', '2026-01-04T00:00:00Z'), recipientName: 'Maria Rossi', learnerKey: 'key-maria' },
      ];
      await s.insertIssued({ credentials: rows, entries: rows.map((r, i) => ({ credentialId: r.id, listId: 'list-1', statusIndex: i })) });
      await s.status.revoke('c', 'list-1', { revokedAt: '2026-01-05T00:00:00Z', reason: 'mistake', reasonPublic: false });
      await s.status.createList({ id: 'list-1/suspension', orgId: 'p1', purpose: 'suspension', size: 131072, createdAt: '2026-01-01T00:00:00.000Z' });
      // Suspended: 'b' (expired too: suspended comes first) and 'c' (revoked too: revoked comes first).
      await s.status.suspend({ credentialId: 'b', listId: 'list-1/suspension', statusIndex: 1, suspendedAt: '2026-01-06T00:00:00Z', reason: 'check' });
      await s.status.suspend({ credentialId: 'c', listId: 'list-1/suspension', statusIndex: 2, suspendedAt: '2026-01-04T00:00:00Z', reason: null });
      const find = async (q: Partial<Parameters<Storage['credentials']['search']>[1]>) =>
        (await s.credentials.search('p1', { now: '2026-01-20T00:00:00Z', limit: 10, ...q })).map((r) => r.id);
      expect(await find({})).toEqual(['c', 'b', 'a']);
      expect(await find({ name: 'MARI' })).toEqual(['c', 'a']);
      expect(await find({ name: '%_' })).toEqual(['b']);
      expect(await find({ name: '_' })).toEqual(['b']);
      expect(await find({ learnerKey: 'key-maria' })).toEqual(['a']);
      expect(await find({ badgeClass: 'other' })).toEqual(['c']);
      expect(await find({ from: '2026-01-02T00:00:00Z', to: '2026-01-02T23:59:59Z' })).toEqual(['b']);
      expect(await find({ state: 'revoked' })).toEqual(['c']);
      expect(await find({ state: 'suspended' })).toEqual(['b']);
      expect(await find({ state: 'expired' })).toEqual([]);
      expect(await find({ state: 'active' })).toEqual(['a']);
      expect(await find({ state: 'suspended', now: '2026-01-08T00:00:00Z' })).toEqual(['b']);
      await s.status.reinstate('b', 'list-1/suspension');
      expect(await find({ state: 'suspended' })).toEqual([]);
      expect(await find({ state: 'expired' })).toEqual(['b']);
      expect(await find({ after: { issuedAt: '2026-01-03T00:00:00Z', id: 'c' }, limit: 1 })).toEqual(['b']);
      expect((await s.credentials.search('p1', { now: '2026-01-20T00:00:00Z', limit: 1, state: 'revoked' }))[0]).toMatchObject({
        recipientName: 'Marius',
        revokedAt: '2026-01-05T00:00:00Z',
        reason: 'mistake',
        suspendedAt: '2026-01-04T00:00:00Z',
        suspensionReason: null,
      });
      await s.status.suspend({ credentialId: 'a', listId: 'list-1/suspension', statusIndex: 0, suspendedAt: '2026-01-07T00:00:00Z', reason: 'pending review' });
      expect(await s.credentials.search('p1', { now: '2026-01-20T00:00:00Z', limit: 1, state: 'suspended' })).toEqual([
        expect.objectContaining({ id: 'a', revokedAt: null, suspendedAt: '2026-01-07T00:00:00Z', suspensionReason: 'pending review' }),
      ]);
    } finally {
      await store.close();
    }
  });
});

describe.each(BACKENDS)('usage counts on $name', (backend) => {
  let store: Awaited<ReturnType<Backend['open']>>;
  beforeEach(async () => {
    store = await backend.open();
  });
  afterEach(() => store.close());

  it('adds increments to the stored counts rather than overwriting them, per organisation, badge class and metric', async () => {
    const { usage } = store.storage;
    await usage.add([
      { orgId: 'p1', badgeClass: 'class-b', metric: 'views', count: 3 },
      { orgId: 'p1', badgeClass: 'class-a', metric: 'downloads', count: 2 },
      { orgId: 'p2', badgeClass: 'class-a', metric: 'views', count: 7 },
    ]);
    await usage.add([
      { orgId: 'p1', badgeClass: 'class-b', metric: 'views', count: 4 },
      { orgId: 'p1', badgeClass: 'class-a', metric: 'verifications', count: 1 },
    ]);
    expect(await usage.countsOf('p1')).toEqual([
      { badgeClass: 'class-a', metric: 'downloads', count: 2 },
      { badgeClass: 'class-a', metric: 'verifications', count: 1 },
      { badgeClass: 'class-b', metric: 'views', count: 7 },
    ]);
    expect(await usage.countsOf('p2')).toEqual([{ badgeClass: 'class-a', metric: 'views', count: 7 }]);
    expect(await usage.countsOf('nobody')).toEqual([]);
  });

  it('adds up increments that two writers send at the same moment (instances sharing a database)', async () => {
    const { usage } = store.storage;
    const one = (metric: 'views' | 'downloads', count: number) => [
      { orgId: 'p1', badgeClass: 'class-a', metric, count },
      { orgId: 'p1', badgeClass: 'class-b', metric, count },
    ];
    // Overlapping keys, given in opposite orders: neither writer's rows are lost, nor do they deadlock.
    await Promise.all(Array.from({ length: 10 }, (_, i) => usage.add(i % 2 ? one('views', 1) : one('views', 2).reverse())));
    expect(await usage.countsOf('p1')).toEqual([
      { badgeClass: 'class-a', metric: 'views', count: 15 },
      { badgeClass: 'class-b', metric: 'views', count: 15 },
    ]);
  });

  it('writes nothing for no increments, and many keys at once in more than one statement', async () => {
    const { usage } = store.storage;
    await usage.add([]);
    await usage.add([{ orgId: 'p1', badgeClass: 'class-a', metric: 'views', count: 0 }]);
    expect(await usage.countsOf('p1')).toEqual([]);
    const many = Array.from({ length: 1203 }, (_, i) => ({ orgId: 'p1', badgeClass: `class-${String(i).padStart(4, '0')}`, metric: 'downloads' as const, count: i + 1 }));
    await usage.add(many);
    await usage.add(many);
    const counts = await usage.countsOf('p1');
    expect(counts).toHaveLength(1203);
    expect(counts[1202]).toEqual({ badgeClass: 'class-1202', metric: 'downloads', count: 2406 });
  });
});
