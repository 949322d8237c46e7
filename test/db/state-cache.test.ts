import pg from 'pg';
import { openPostgres } from '../../src/db/postgres/client.js';
import { createStateCache, STATE_CHANNEL } from '../../src/db/postgres/state-cache.js';
import { createPostgresStorage } from '../../src/db/postgres/storage.js';
import type { CredentialState, Storage } from '../../src/db/repositories.js';
import { createTestDatabase } from '../helpers/postgres.js';

/**
 * PostgreSQL instances keep credentials' states while the database tells them of every change
 * (src/db/postgres/state-cache.ts): what is kept, what drops it, and what happens when the telling stops.
 */
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let admin: pg.Client;
beforeAll(async () => {
  database = await createTestDatabase();
  // Applies the migrations, triggers included.
  await createPostgresStorage(await openPostgres(database.url, { max: 1 })).close();
  admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
});
afterAll(async () => {
  await admin.end();
  await database.drop();
});

/** Waits until `check` holds, for at most `ms`; fails with `what` otherwise. */
async function until(what: string, check: () => Promise<boolean> | boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
const listeners = async () => Number((await admin.query(`select count(*) as n from pg_stat_activity where datname = current_database() and query = 'listen ${STATE_CHANNEL}'`)).rows[0].n);

const state = (id: string, revokedAt: string | null = null): CredentialState => ({
  id,
  orgId: 'p1',
  badgeClass: 'b',
  listId: 'l',
  revokedAt,
  reason: null,
  reasonPublic: false,
  suspendedAt: null,
  replacedBy: null,
  renewedBy: null,
  renews: null,
  erasedAt: null,
  learnerKey: null,
  claimedAt: null,
});

describe('the state cache', () => {
  const connection = () => ({ connectionString: database.url });

  it('keeps nothing until it listens, then keeps a read until the database names the credential', async () => {
    const cache = createStateCache(connection());
    const loads: string[] = [];
    const load = async (id: string) => {
      loads.push(id);
      return state(id);
    };
    try {
      // Before LISTEN has been answered every read loads (the first look at `listening` is synchronous).
      expect(cache.listening).toBe(false);
      await cache.read('c1', load);
      await until('it listens', () => cache.listening);
      await cache.read('c1', load);
      await cache.read('c1', load);
      await cache.read('c2', load);
      expect(loads).toEqual(['c1', 'c1', 'c2']);
      // Anyone's notice drops that credential, and only it.
      await admin.query(`select pg_notify($1, 'c1')`, [STATE_CHANNEL]);
      await until('the notice drops c1', async () => {
        await cache.read('c1', load);
        return loads.length === 4;
      });
      await cache.read('c2', load);
      expect(loads).toEqual(['c1', 'c1', 'c2', 'c1']);
      // This instance's own change drops it at once.
      cache.changed(['c2']);
      await cache.read('c2', load);
      expect(loads.at(-1)).toBe('c2');
      expect(loads).toHaveLength(5);
    } finally {
      await cache.close();
    }
  });

  it('does not keep a read that began before a notice, which it may predate', async () => {
    const cache = createStateCache(connection());
    try {
      await until('it listens', () => cache.listening);
      let release: () => void = () => undefined;
      let loads = 0;
      const slowLoad = async (id: string) => {
        loads++;
        await new Promise<void>((r) => (release = r));
        return state(id);
      };
      const reading = cache.read('c1', slowLoad);
      await admin.query(`select pg_notify($1, 'c9')`, [STATE_CHANNEL]);
      // Give the notice time to arrive while the read is still under way.
      await new Promise((r) => setTimeout(r, 200));
      release();
      await reading;
      const second = cache.read('c1', slowLoad);
      await until('the second read loads', () => loads === 2);
      release();
      await second;
    } finally {
      await cache.close();
    }
  });

  it('keeps nothing while its connection is lost, and listens again', async () => {
    const cache = createStateCache(connection(), { retryMs: 100 });
    let loads = 0;
    const load = async (id: string) => {
      loads++;
      return state(id);
    };
    try {
      await until('it listens', () => cache.listening);
      await cache.read('c1', load);
      await cache.read('c1', load);
      expect(loads).toBe(1);
      // The server ends the listening connection (a restart, a failover, an operator).
      await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query = 'listen ${STATE_CHANNEL}'`);
      await until('it notices the loss', () => !cache.listening);
      await cache.read('c1', load);
      await cache.read('c1', load);
      expect(loads).toBe(3);
      await until('it listens again', () => cache.listening);
      await cache.read('c1', load);
      await cache.read('c1', load);
      expect(loads).toBe(4);
    } finally {
      await cache.close();
    }
    await until('its connection is closed', async () => (await listeners()) === 0);
  });

  it('keeps nothing when it cannot connect, and does not stop the process', async () => {
    const cache = createStateCache({ connectionString: database.url.replace(/\/[^/]*$/, '/no_such_database') }, { retryMs: 50 });
    let loads = 0;
    try {
      await new Promise((r) => setTimeout(r, 300));
      expect(cache.listening).toBe(false);
      for (let i = 0; i < 3; i++)
        await cache.read('c1', async (id) => {
          loads++;
          return state(id);
        });
      expect(loads).toBe(3);
    } finally {
      await cache.close();
    }
  });
});

describe('credential states on two instances of one PostgreSQL database', () => {
  let one: Storage;
  let other: Storage;
  const at = '2026-03-01T00:00:00Z';
  beforeAll(async () => {
    one = createPostgresStorage(await openPostgres(database.url, { max: 2 }));
    other = createPostgresStorage(await openPostgres(database.url, { max: 2 }));
    await one.organisations.insertOrganisation(
      { id: 'p1', slug: 'p1', name: 'One', profile: {}, isInstance: false, createdAt: at },
      [],
      { id: 'k1', orgId: 'p1', keyHash: 'h-k1', keyPrefix: 'cb_', badgeClasses: ['*'], createdAt: at },
    );
    await one.status.createList({ id: 'list-1', orgId: 'p1', purpose: 'revocation', size: 131072, createdAt: at });
    const ids = ['c1', 'c2', 'c3', 'c4'];
    await one.insertIssued({
      credentials: ids.map((id) => ({ id, orgId: 'p1', badgeClass: 'b', badgeClassVersion: '1', language: 'en', issuedAt: at, validUntil: null, document: `{"id":"${id}"}`, jwt: null })),
      entries: ids.map((id, i) => ({ credentialId: id, listId: 'list-1', statusIndex: i })),
    });
    await until('both listen', async () => (await listeners()) === 2);
  });
  afterAll(async () => {
    await one.close();
    await other.close();
  });

  it('shows another instance\'s revocation, suspension, erasure and an operator\'s change, as soon as the database tells', async () => {
    for (const id of ['c1', 'c2', 'c3', 'c4']) expect((await one.credentials.stateOf(id))?.revokedAt).toBeNull();
    await other.status.revoke('c1', 'list-1', { revokedAt: at, reason: 'replaced', reasonPublic: true });
    await other.status.suspend({ credentialId: 'c2', listId: 'list-1', statusIndex: 1, suspendedAt: at, reason: null });
    await other.credentials.erase('c3', at);
    await admin.query(`update credentials set replaced_by = 'c1' where id = 'c4'`);
    await until('instance one sees every change', async () => {
      const [c1, c2, c3, c4] = await Promise.all(['c1', 'c2', 'c3', 'c4'].map((id) => one.credentials.stateOf(id)));
      return c1?.revokedAt === at && c2?.suspendedAt === at && c3?.erasedAt === at && c4?.replacedBy === 'c1';
    }, 2_000);
    await other.status.reinstate('c2', 'list-1');
    await until('instance one sees the reinstatement', async () => (await one.credentials.stateOf('c2'))?.suspendedAt === null, 2_000);
  });

  it('keeps what it read: a change that tells no one is not seen until the next notice about it', async () => {
    // Notices of the test before have arrived; this read is kept.
    await new Promise((r) => setTimeout(r, 200));
    expect((await one.credentials.stateOf('c1'))?.reason).toBe('replaced');
    // With triggers off (a replica's session), the database says nothing; the kept state stays.
    await admin.query(`begin; set local session_replication_role = replica; update credential_statuses set reason = 'silent' where credential_id = 'c1'; commit`);
    expect((await one.credentials.stateOf('c1'))?.reason).toBe('replaced');
    // Instance two reads from the database: it had kept nothing of c1 since its own change.
    expect((await other.credentials.stateOf('c1'))?.reason).toBe('silent');
    await admin.query(`select pg_notify($1, 'c1')`, [STATE_CHANNEL]);
    await until('the notice drops it', async () => (await one.credentials.stateOf('c1'))?.reason === 'silent', 2_000);
  });

  it('shows its own change on the next read, without waiting for the notice', async () => {
    expect((await one.credentials.stateOf('c4'))?.claimedAt).toBeNull();
    await one.credentials.markClaimed('c4', at);
    expect((await one.credentials.stateOf('c4'))?.claimedAt).toBe(at);
    await one.transaction(async (tx) => {
      await tx.status.revoke('c4', 'list-1', { revokedAt: at, reason: 'erased', reasonPublic: false });
      await tx.credentials.erase('c4', at);
    });
    expect(await one.credentials.stateOf('c4')).toMatchObject({ revokedAt: at, erasedAt: at });
  });
});
