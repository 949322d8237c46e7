import { createHmac } from 'node:crypto';
import type { CredentialRecord } from '../../src/db/repositories.js';
import { deriveSecrets } from '../../src/keys/key-encryption.js';
import { learnerKey } from '../../src/recipients/identity.js';
import { rekeyLearners } from '../../src/recipients/rekey.js';
import { BACKENDS, type OpenedBackend } from '../helpers/backends.js';

/**
 * A learner's key is the organisation's own: the same address gives the same key in one organisation
 * and different keys in two, and awards stored with the instance-wide key of before are re-keyed.
 */
const secrets = deriveSecrets(Buffer.alloc(32, 3));

describe('learnerKey', () => {
  it('is the same for one address in one organisation, whatever its case and spaces, and differs between organisations', () => {
    const a = learnerKey(secrets, 'org-a', 'Maria.Rossi@example.org ');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(learnerKey(secrets, 'org-a', 'maria.rossi@example.org')).toBe(a);
    expect(learnerKey(secrets, 'org-b', 'maria.rossi@example.org')).not.toBe(a);
    expect(learnerKey(secrets, 'org-a', 'mario.rossi@example.org')).not.toBe(a);
    // Another instance (another key-encryption key) gives another key.
    expect(learnerKey(deriveSecrets(Buffer.alloc(32, 4)), 'org-a', 'maria.rossi@example.org')).not.toBe(a);
  });
});

describe.each(BACKENDS)('re-keying the awards stored before learner keys were per organisation, on $name', (backend) => {
  let db: OpenedBackend;
  beforeEach(async () => {
    db = await backend.open();
    for (const id of ['org-a', 'org-b']) await db.storage.organisations.insertOrganisation({ id, slug: id, name: id, profile: {}, isInstance: false, createdAt: '2026-01-01T00:00:00.000Z' }, []);
  });
  afterEach(() => db.close());

  const credential = (id: string, orgId: string): CredentialRecord => ({
    id, orgId, badgeClass: 'carer-plus-digital-communication', badgeClassVersion: '1', language: 'en', issuedAt: '2026-01-01T00:00:00Z', validUntil: null, document: `{"id":"${id}"}`, jwt: null,
  });
  // What was stored before: one HMAC of the address under the instance's secret, the same in every organisation.
  const oldKey = (email: string) => createHmac('sha256', secrets.recipients).update(email, 'utf8').digest('hex');

  it("gives each award its organisation's key, empties the old one, and finds nothing more to do the second time", async () => {
    await db.storage.credentials.insert([credential('c1', 'org-a'), credential('c2', 'org-b'), credential('c3', 'org-a'), credential('c4', 'org-a')]);
    await db.query(`update credentials set recipient_key = '${oldKey('maria@example.org')}' where id in ('c1', 'c2')`);
    await db.query(`update credentials set recipient_key = '${oldKey('ana@example.org')}' where id = 'c3'`);

    expect(await rekeyLearners(db.storage.credentials, secrets, 2)).toBe(3);
    const rows = await db.query('select id, learner_key, recipient_key from credentials order by id');
    expect(rows).toEqual([
      { id: 'c1', learner_key: learnerKey(secrets, 'org-a', 'maria@example.org'), recipient_key: null },
      { id: 'c2', learner_key: learnerKey(secrets, 'org-b', 'maria@example.org'), recipient_key: null },
      { id: 'c3', learner_key: learnerKey(secrets, 'org-a', 'ana@example.org'), recipient_key: null },
      { id: 'c4', learner_key: null, recipient_key: null },
    ]);
    expect(rows[0]!.learner_key).not.toBe(rows[1]!.learner_key);
    // The console finds them by the address again, in their own organisation only.
    const found = await db.storage.credentials.search('org-a', { now: '2026-06-01T00:00:00Z', limit: 10, learnerKey: learnerKey(secrets, 'org-a', 'maria@example.org') });
    expect(found.map((r) => r.id)).toEqual(['c1']);
    expect(await rekeyLearners(db.storage.credentials, secrets)).toBe(0);
  });
});
