import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/client.js';
import { createSqliteStorage } from '../../src/db/sqlite/storage.js';
import type { Storage } from '../../src/db/repositories.js';
import { createStatusService, STATUS_LIST_SIZE } from '../../src/status/status-lists.js';

/**
 * Status index allocation: random, unused, never handed out twice while reserved, checked against the
 * database one query per round (not one per index), and a list retired once half of it is used.
 */
let dir: string;
let storage: Storage;
const service = (randomIndex?: () => number) =>
  createStatusService({
    ...(randomIndex ? { randomIndex } : {}),
    storage,
    publicUrl: 'https://badges.example.org',
    signerOf: async () => ({ issuer: 'did:web:badges.example.org', dataIntegrity: { format: 'data-integrity', secure: () => Promise.reject(new Error('not signing here')) } }),
  });

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'allocate-'));
  storage = createSqliteStorage(openDatabase(dir));
  const createdAt = '2026-01-01T00:00:00Z';
  await storage.organisations.insertOrganisation({ id: 'p', slug: 'p', name: 'Provider', profile: {}, isInstance: false, createdAt }, [], { id: 'k', orgId: 'p', keyHash: 'h', keyPrefix: 'cb_', badgeClasses: ['*'], createdAt });
});
afterEach(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

it('hands out distinct indexes that no stored entry holds, with one query per round', async () => {
  const status = service();
  const first = await status.allocate(500, 'p');
  // Store them, as issuance would, then ask for more.
  await storage.transaction(async (tx) => {
    await tx.credentials.insert(first.map((a, i) => ({ id: `c${i}`, orgId: 'p', badgeClass: 'b', badgeClassVersion: '1', language: 'en', issuedAt: '2026-01-01T00:00:00Z', validUntil: null, document: '{}', jwt: 'j' })));
    await tx.status.insertEntries(first.map((a, i) => ({ credentialId: `c${i}`, listId: a.listId, statusIndex: a.index })));
  });
  status.release(first);
  let queries = 0;
  const takenIndexes = storage.status.takenIndexes.bind(storage.status);
  storage.status.takenIndexes = async (listId, indexes) => {
    queries++;
    return takenIndexes(listId, indexes);
  };
  const second = await status.allocate(1000, 'p');
  const all = [...first, ...second].map((a) => `${a.listId}#${a.index}`);
  expect(new Set(all).size).toBe(1500);
  expect(second.every((a) => a.index >= 0 && a.index < STATUS_LIST_SIZE && a.entry.statusListIndex === String(a.index))).toBe(true);
  expect(queries).toBeLessThanOrEqual(3);
});

it('never hands out an index that is reserved for a request still signing', async () => {
  const status = service();
  const [a, b] = await Promise.all([status.allocate(3000, 'p'), status.allocate(3000, 'p')]);
  expect(new Set([...a!, ...b!].map((x) => `${x.listId}#${x.index}`)).size).toBe(6000);
});

it('retires a list at half use and continues in a new one', async () => {
  const status = service();
  const [probe] = await status.allocate(1, 'p');
  status.release([probe!]);
  // The list is 10 short of half full.
  await storage.transaction(async (tx) => {
    await tx.credentials.insert([{ id: 'filler', orgId: 'p', badgeClass: 'b', badgeClassVersion: '1', language: 'en', issuedAt: '2026-01-01T00:00:00Z', validUntil: null, document: '{}', jwt: 'j' }]);
    await tx.status.insertEntries([{ credentialId: 'filler', listId: probe!.listId, statusIndex: probe!.index }]);
  });
  const lists = await storage.status.listsInUse('p', 'revocation');
  expect(lists).toEqual([{ id: probe!.listId, used: 1 }]);
  const half = STATUS_LIST_SIZE / 2;
  const spread = await status.allocate(half + 9, 'p');
  const byList = new Map<string, number>();
  for (const x of spread) byList.set(x.listId, (byList.get(x.listId) ?? 0) + 1);
  expect(byList.get(probe!.listId)).toBe(half - 1);
  expect([...byList.values()].reduce((s, n) => s + n, 0)).toBe(half + 9);
  expect(byList.size).toBe(2);
});

it('serves most single allocations from free indexes checked with an earlier query, never one twice', async () => {
  const status = service();
  let queries = 0;
  const listWithRoom = storage.status.listWithRoom.bind(storage.status);
  storage.status.listWithRoom = async (...args) => {
    queries++;
    return listWithRoom(...args);
  };
  const handed: string[] = [];
  for (let i = 0; i < 200; i++) {
    const [a] = await status.allocate(1, 'p');
    handed.push(`${a!.listId}#${a!.index}`);
    // Stored, as issuance would, so that a later query sees it taken.
    await storage.insertIssued({
      credentials: [{ id: `c${i}`, orgId: 'p', badgeClass: 'b', badgeClassVersion: '1', language: 'en', issuedAt: '2026-01-01T00:00:00Z', validUntil: null, document: '{}', jwt: null }],
      entries: [{ credentialId: `c${i}`, listId: a!.listId, statusIndex: a!.index }],
    });
    status.release([a!]);
  }
  expect(new Set(handed).size).toBe(200);
  // The first query finds no list yet; after it, 64 spare indexes per query: 5 queries, not 200.
  expect(queries).toBeLessThanOrEqual(5);
  expect(queries).toBeGreaterThanOrEqual(4);

  // After a store met a taken index, the spare ones are forgotten and the next allocation asks again.
  status.discardCandidates('p');
  await status.allocate(1, 'p');
  expect(queries).toBeGreaterThanOrEqual(4);
  const before = queries;
  status.discardCandidates('p');
  await status.allocate(1, 'p');
  expect(queries).toBe(before + 1);
});

it('a spare index another instance took meanwhile: the store refuses it, and after discarding, allocation asks again', async () => {
  // Both instances draw from known sequences: this one 5, 6, 7, …; the other one 6 first.
  const sequence = (start: number) => {
    let next = start;
    return () => next++;
  };
  await storage.status.createList({ id: 'list', orgId: 'p', purpose: 'revocation', size: STATUS_LIST_SIZE, createdAt: '2026-01-01T00:00:00Z' });
  const mine = service(sequence(5));
  const other = service(sequence(6));
  const stored = (id: string, a: { listId: string; index: number }) =>
    storage.insertIssued({
      credentials: [{ id, orgId: 'p', badgeClass: 'b', badgeClassVersion: '1', language: 'en', issuedAt: '2026-01-01T00:00:00Z', validUntil: null, document: '{}', jwt: null }],
      entries: [{ credentialId: id, listId: a.listId, statusIndex: a.index }],
    });
  const [first] = await mine.allocate(1, 'p');
  expect(first!.index).toBe(5);
  await stored('mine-1', first!);
  mine.release([first!]);
  const [theirs] = await other.allocate(1, 'p');
  expect(theirs).toMatchObject({ listId: first!.listId, index: 6 });
  await stored('theirs', theirs!);

  // This instance still holds 6 as spare: handed out without a query, refused by the store.
  const [stale] = await mine.allocate(1, 'p');
  expect(stale!.index).toBe(6);
  await expect(stored('mine-2', stale!)).rejects.toMatchObject({ code: 'conflict' });
  mine.release([stale!]);
  mine.discardCandidates('p');
  const [fresh] = await mine.allocate(1, 'p');
  expect(fresh!.index).not.toBe(6);
  await stored('mine-2', fresh!);
});
