import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openPostgres } from '../../src/db/postgres/client.js';
import { createPostgresStorage } from '../../src/db/postgres/storage.js';
import { generateMissingKeys } from '../../src/keys/key-store.js';
import { addProviderTo } from '../helpers/app.js';
import { startInstance, type Instance } from '../helpers/instance.js';
import { createTestDatabase } from '../helpers/postgres.js';

/**
 * Two service processes on one PostgreSQL database, as behind a load balancer: issuing through both
 * at once, replaying Idempotency-Keys across them, revoking on one and verifying on the other. The
 * database decides what must be unique; neither process may lose, duplicate or hide a credential.
 */
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let dir = '';
let apiKey = '';
const instances: Instance[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'two-instances-'));
  const keysDir = join(dir, 'keys');
  await generateMissingKeys(keysDir);
  const storage = createPostgresStorage(await openPostgres(database.url, { max: 2 }));
  apiKey = await addProviderTo(storage, keysDir, 'Consortium');
  await storage.close();
  const env = { DATABASE_URL: database.url, KEYS_DIR: keysDir, DATA_DIR: join(dir, 'unused'), PUBLIC_URL: 'https://badges.example.org', NODE_ENV: 'development' };
  instances.push(...(await Promise.all([startInstance(env), startInstance(env)])));
}, 60_000);

afterAll(async () => {
  await Promise.all(instances.map((i) => i.stop()));
  rmSync(dir, { recursive: true, force: true });
  await database.drop();
});

const issue = (base: string, key?: string) =>
  fetch(`${base}/api/v1/credentials`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify({ badgeClass: 'i-care-intercultural-competence', recipient: { email: 'learner@example.org' } }),
  });

describe('two instances on one PostgreSQL', () => {
  it('issue concurrently with shared Idempotency-Keys: no lost, duplicated or hidden credential, no duplicate status index', async () => {
    const [a, b] = instances as [(typeof instances)[0], (typeof instances)[0]];
    const keyed = Array.from({ length: 32 }, (_, i) => ({ base: i % 2 ? a.base : b.base, key: `key-${i % 8}` }));
    const plain = Array.from({ length: 16 }, (_, i) => ({ base: i % 2 ? a.base : b.base, key: undefined }));
    const responses = await Promise.all([...keyed, ...plain].map(async ({ base, key }) => ({ key, res: await issue(base, key) })));
    expect(responses.map((r) => r.res.status)).toEqual(responses.map(() => 201));
    const bodies = await Promise.all(responses.map(async ({ key, res }) => ({ key, body: (await res.json()) as { id: string; credential: Record<string, unknown> } })));

    // Each key gave one credential, whichever instance answered.
    const byKey = new Map<string, Set<string>>();
    for (const { key, body } of bodies) if (key) byKey.set(key, (byKey.get(key) ?? new Set()).add(body.id));
    expect([...byKey.values()].map((ids) => ids.size)).toEqual(Array.from({ length: 8 }, () => 1));
    const ids = new Set(bodies.map((b) => b.body.id));
    expect(ids.size).toBe(8 + 16);

    // Every answered credential is stored once and readable from both instances.
    for (const id of ids) {
      for (const { base } of instances) expect((await fetch(`${base}/credentials/${id}.json`)).status).toBe(200);
    }
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      expect(Number((await client.query('select count(*) from credentials')).rows[0].count)).toBe(ids.size);
      expect((await client.query('select list_id, status_index from credential_statuses group by 1, 2 having count(*) > 1')).rows).toEqual([]);
    } finally {
      await client.end();
    }

    // A revocation made through one instance is seen by the other: its verifier and its signed list.
    const [first] = bodies;
    const revoked = await fetch(`${a.base}/api/v1/credentials/${first!.body.id}/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'issued in error' }),
    });
    expect(revoked.status).toBe(200);
    const report = (await (await fetch(`${b.base}/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(first!.body.credential) })).json()) as {
      checks: Array<{ id: string; code: string }>;
    };
    expect(report.checks.find((c) => c.id === 'status')?.code).toBe('revoked');
    const entry = first!.body.credential.credentialStatus as { statusListCredential: string; statusListIndex: string };
    const list = (await (await fetch(`${b.base}${new URL(entry.statusListCredential).pathname}`)).json()) as { credentialSubject: { encodedList: string } };
    const { gunzipSync } = await import('node:zlib');
    const bits = gunzipSync(Buffer.from(list.credentialSubject.encodedList.slice(1), 'base64url'));
    const index = Number(entry.statusListIndex);
    expect(((bits[index >> 3]! >> (7 - (index & 7))) & 1) === 1).toBe(true);
  }, 120_000);
});
