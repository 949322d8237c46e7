import type { CredentialRecord, OutboxRecord, Storage } from '../../src/db/repositories.js';
import { BACKENDS, type OpenedBackend } from '../helpers/backends.js';

/**
 * The outbox's contract, on both backends (as test/db/contract.test.ts holds the other repositories
 * to theirs): claiming is exclusive even between two instances on one database, a lock that ran out
 * can be claimed again, and a message sent or given up keeps no address.
 */

const T0 = Date.parse('2027-03-14T09:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const MINUTE = 60_000;

const message = (id: string, overrides: Partial<OutboxRecord> = {}): OutboxRecord => ({
  id,
  orgId: 'p1',
  kind: 'award',
  credentialId: `c-${id}`,
  recipient: `learner-${id}@example.org`,
  language: 'it',
  payload: null,
  createdAt: at(0),
  nextAttemptAt: at(0),
  ...overrides,
});

const credential = (id: string, badgeClass: string, orgId = 'p1'): CredentialRecord => ({
  id,
  orgId,
  badgeClass,
  badgeClassVersion: '1.0.0',
  language: 'en',
  issuedAt: '2027-03-14T09:00:00Z',
  validUntil: null,
  document: `{"id":"${id}"}`,
  jwt: null,
});

const organisation = (id: string) => ({ id, slug: id, name: id, profile: {}, isInstance: false, createdAt: '2027-01-01T00:00:00.000Z' });

describe.each(BACKENDS)('the outbox on $name', (backend) => {
  let store: OpenedBackend;
  let storage: Storage;
  beforeEach(async () => {
    store = await backend.open();
    storage = store.storage;
    await storage.organisations.insertOrganisation(organisation('p1'), []);
    await storage.organisations.insertOrganisation(organisation('p2'), []);
  });
  afterEach(() => store.close());

  it('claims the messages that are due, oldest first, with what they need, each locked until the claim ends', async () => {
    await storage.outbox.insert([
      message('b', { nextAttemptAt: at(-MINUTE) }),
      message('a', { payload: { link: 'https://badges.example.org/console/invitations/t' }, kind: 'invitation', credentialId: null }),
      message('later', { nextAttemptAt: at(MINUTE) }),
    ]);
    const claimed = await storage.outbox.claim(at(0), at(15 * MINUTE), 10);
    expect(claimed).toEqual([
      { ...message('b', { nextAttemptAt: at(-MINUTE) }), attempts: 0, lockedUntil: at(15 * MINUTE) },
      { ...message('a', { payload: { link: 'https://badges.example.org/console/invitations/t' }, kind: 'invitation', credentialId: null }), attempts: 0, lockedUntil: at(15 * MINUTE) },
    ]);
    // Held: the same instant, or any time before the lock ends, claims nothing more than the one now due.
    expect(await storage.outbox.claim(at(0), at(15 * MINUTE), 10)).toEqual([]);
    expect((await storage.outbox.claim(at(MINUTE), at(16 * MINUTE), 10)).map((m) => m.id)).toEqual(['later']);
  });

  it('claims no more than asked', async () => {
    await storage.outbox.insert(['m1', 'm2', 'm3', 'm4', 'm5'].map((id) => message(id)));
    const first = await storage.outbox.claim(at(0), at(MINUTE), 2);
    const second = await storage.outbox.claim(at(0), at(MINUTE), 2);
    expect(first.map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(second.map((m) => m.id)).toEqual(['m3', 'm4']);
  });

  it('never gives one message to two claimers, even two instances claiming at once', async () => {
    const ids = Array.from({ length: 60 }, (_, i) => `m${String(i).padStart(2, '0')}`);
    await storage.outbox.insert(ids.map((id) => message(id)));
    const other = await store.other();
    const claims: string[][] = [];
    for (let round = 0; round < 10; round++) {
      const batches = await Promise.all([storage, other, storage, other].map((s) => s.outbox.claim(at(0), at(MINUTE), 3)));
      claims.push(...batches.map((b) => b.map((m) => m.id)));
    }
    const all = claims.flat();
    expect(all).toHaveLength(ids.length);
    expect([...new Set(all)].sort()).toEqual(ids);
  });

  it('lets a message whose lock ran out be claimed again, and a stale claim cannot give it back', async () => {
    await storage.outbox.insert([message('m1')]);
    expect((await storage.outbox.claim(at(0), at(5 * MINUTE), 10)).map((m) => m.lockedUntil)).toEqual([at(5 * MINUTE)]);
    expect(await storage.outbox.claim(at(5 * MINUTE - 1), at(10 * MINUTE), 10)).toEqual([]);
    // The first claimer stopped without a word: once its lock ends, another takes the message.
    const again = await storage.outbox.claim(at(5 * MINUTE), at(20 * MINUTE), 10);
    expect(again.map((m) => [m.id, m.attempts, m.lockedUntil])).toEqual([['m1', 0, at(20 * MINUTE)]]);
    // The first claim giving it back changes nothing: the second holds it.
    await storage.outbox.release(['m1'], at(5 * MINUTE));
    expect(await storage.outbox.claim(at(6 * MINUTE), at(21 * MINUTE), 10)).toEqual([]);
    // Its own claim gives it back: due at once for anyone.
    await storage.outbox.release(['m1'], at(20 * MINUTE));
    expect((await storage.outbox.claim(at(6 * MINUTE), at(21 * MINUTE), 10)).map((m) => m.id)).toEqual(['m1']);
  });

  it('counts a deferred attempt and offers the message again only when its time comes', async () => {
    await storage.outbox.insert([message('m1')]);
    await storage.outbox.claim(at(0), at(15 * MINUTE), 10);
    await storage.outbox.retryAt('m1', at(MINUTE), 'deferred: the SMTP server refused for now: 451 Try again later');
    expect(await storage.outbox.claim(at(MINUTE - 1), at(15 * MINUTE), 10)).toEqual([]);
    expect(await storage.outbox.deliveryOf(['c-m1'])).toEqual([
      { credentialId: 'c-m1', state: 'queued', attempts: 1, lastError: 'deferred: the SMTP server refused for now: 451 Try again later', nextAttemptAt: at(MINUTE), sentAt: null },
    ]);
    const retried = await storage.outbox.claim(at(MINUTE), at(16 * MINUTE), 10);
    expect(retried.map((m) => [m.id, m.attempts, m.recipient])).toEqual([['m1', 1, 'learner-m1@example.org']]);
  });

  it('keeps no address or payload of a message sent or given up, and never offers it again', async () => {
    await storage.outbox.insert([message('sent'), message('failed', { kind: 'invitation', credentialId: null, payload: { link: 'https://badges.example.org/console/invitations/secret' } })]);
    await storage.outbox.claim(at(0), at(15 * MINUTE), 10);
    await storage.outbox.markSent('sent', at(1000), '<sent@badges.example.org>');
    await storage.outbox.markFailed('failed', 'invalid_recipient: the SMTP server refused the recipient: 550 No such user');
    // Marks apply to queued messages only: a late mark of another outcome changes nothing.
    await storage.outbox.markFailed('sent', 'late');
    await storage.outbox.retryAt('failed', at(MINUTE), 'late');

    const rows = await store.query('select * from outbox order by id');
    expect(rows.map((r) => ({ id: r.id, state: r.state, attempts: r.attempts, recipient: r.recipient, payload: r.payload, messageId: r.message_id, sentAt: r.sent_at, lastError: r.last_error, lockedUntil: r.locked_until }))).toEqual([
      { id: 'failed', state: 'failed', attempts: 1, recipient: null, payload: null, messageId: null, sentAt: null, lastError: 'invalid_recipient: the SMTP server refused the recipient: 550 No such user', lockedUntil: null },
      { id: 'sent', state: 'sent', attempts: 1, recipient: null, payload: null, messageId: '<sent@badges.example.org>', sentAt: at(1000), lastError: null, lockedUntil: null },
    ]);
    expect(JSON.stringify(rows)).not.toContain('@example.org');
    expect(JSON.stringify(rows)).not.toContain('secret');
    expect(await storage.outbox.claim(at(60 * MINUTE), at(75 * MINUTE), 10)).toEqual([]);
  });

  it('tells where each credential\'s award message stands, and counts an organisation\'s per state and badge class', async () => {
    await storage.credentials.insert([credential('c1', 'class-a'), credential('c2', 'class-a'), credential('c3', 'class-b'), credential('c4', 'class-a', 'p2'), credential('c5', 'class-b')]);
    await storage.outbox.insert([
      message('m1', { credentialId: 'c1' }),
      message('m2', { credentialId: 'c2' }),
      message('m3', { credentialId: 'c3' }),
      message('m4', { credentialId: 'c4', orgId: 'p2' }),
      message('m5', { credentialId: 'c5', nextAttemptAt: at(MINUTE) }),
      message('invite', { kind: 'invitation', credentialId: null }),
    ]);
    await storage.outbox.claim(at(0), at(15 * MINUTE), 10);
    await storage.outbox.markSent('m1', at(1000), '<m1@badges.example.org>');
    await storage.outbox.markFailed('m2', 'rejected: the SMTP server refused the message: 554 Spam');
    await storage.outbox.retryAt('m3', at(MINUTE), 'timeout: the SMTP server did not answer in time');
    await storage.outbox.markSent('m4', at(2000), '<m4@badges.example.org>');
    await storage.outbox.markSent('invite', at(3000), '<invite@badges.example.org>');

    const states = await storage.outbox.deliveryOf(['c1', 'c2', 'c3', 'c5', 'no-such-credential']);
    expect(states.sort((a, b) => a.credentialId.localeCompare(b.credentialId))).toEqual([
      { credentialId: 'c1', state: 'sent', attempts: 1, lastError: null, nextAttemptAt: at(0), sentAt: at(1000) },
      { credentialId: 'c2', state: 'failed', attempts: 1, lastError: 'rejected: the SMTP server refused the message: 554 Spam', nextAttemptAt: at(0), sentAt: null },
      { credentialId: 'c3', state: 'queued', attempts: 1, lastError: 'timeout: the SMTP server did not answer in time', nextAttemptAt: at(MINUTE), sentAt: null },
      { credentialId: 'c5', state: 'queued', attempts: 0, lastError: null, nextAttemptAt: at(MINUTE), sentAt: null },
    ]);
    expect(await storage.outbox.deliveryOf([])).toEqual([]);

    // A message sent again for the same credential (a later award message) is the one that counts.
    await storage.outbox.insert([message('m2-again', { credentialId: 'c2', createdAt: at(MINUTE), nextAttemptAt: at(MINUTE) })]);
    expect((await storage.outbox.deliveryOf(['c2'])).map((s) => [s.state, s.attempts])).toEqual([['queued', 0]]);

    expect(await storage.outbox.countsOf('p1')).toEqual({
      queued: 3,
      sent: 1,
      failed: 1,
      byBadgeClass: [
        { badgeClass: 'class-a', queued: 1, sent: 1, failed: 1 },
        { badgeClass: 'class-b', queued: 2, sent: 0, failed: 0 },
      ],
    });
    expect(await storage.outbox.countsOf('p2')).toEqual({ queued: 0, sent: 1, failed: 0, byBadgeClass: [{ badgeClass: 'class-a', queued: 0, sent: 1, failed: 0 }] });
    expect(await storage.outbox.countsOf('nobody')).toEqual({ queued: 0, sent: 0, failed: 0, byBadgeClass: [] });
  });

  it('queues award messages with their issuance, and none of an issuance refused', async () => {
    await storage.status.createList({ id: 'list-1', orgId: 'p1', purpose: 'revocation', size: 131072, createdAt: '2027-01-01T00:00:00.000Z' });
    const issue = (id: string, statusIndex: number, mail: boolean) =>
      storage.insertIssued({
        credentials: [credential(id, 'class-a')],
        entries: [{ credentialId: id, listId: 'list-1', statusIndex }],
        ...(mail ? { outbox: [message(`mail-${id}`, { credentialId: id })] } : {}),
      });
    // With and without a message, one after the other: on PostgreSQL, two statement texts under two names.
    for (let i = 0; i < 6; i++) await issue(`c${i}`, i, i % 2 === 0);
    await expect(issue('refused', 0, true)).rejects.toMatchObject({ name: 'StorageError', code: 'conflict' });
    const claimed = await storage.outbox.claim(at(0), at(MINUTE), 10);
    expect(claimed.map((m) => [m.id, m.credentialId, m.recipient])).toEqual([
      ['mail-c0', 'c0', 'learner-mail-c0@example.org'],
      ['mail-c2', 'c2', 'learner-mail-c2@example.org'],
      ['mail-c4', 'c4', 'learner-mail-c4@example.org'],
    ]);
    expect(await storage.credentials.get('refused')).toBeUndefined();
  });
});
