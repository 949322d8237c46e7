import type { IssuanceJobRecord, IssuanceJobRowRecord } from '../../src/db/repositories.js';
import { BACKENDS, type OpenedBackend } from '../helpers/backends.js';

/**
 * Spreadsheet jobs' storage, on both backends: a job is claimed by one runner at a time, even by two
 * instances on one database; a lock that ran out can be taken again; a row is counted once; issued
 * rows and finished jobs keep no learner's address.
 */
const T0 = Date.parse('2027-03-14T09:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const MINUTE = 60_000;

const job = (id: string, overrides: Partial<IssuanceJobRecord> = {}): IssuanceJobRecord => ({
  id,
  orgId: 'org-1',
  createdBy: 'user:u1',
  badgeClass: 'carer-plus-digital-communication',
  fileName: 'cohort.csv',
  state: 'preview',
  sendEmail: true,
  total: 3,
  valid: 2,
  issued: 0,
  failed: 0,
  createdAt: at(0),
  confirmedAt: null,
  finishedAt: null,
  ...overrides,
});
const rows = (jobId: string): IssuanceJobRowRecord[] => [
  { jobId, rowNumber: 2, award: { recipient: { email: 'ana@example.org' } }, rowKey: `sheet:${jobId}-2`, state: 'pending', errors: null, credentialId: null },
  { jobId, rowNumber: 3, award: null, rowKey: null, state: 'invalid', errors: [{ column: 'email', code: 'invalid_email' }], credentialId: null },
  { jobId, rowNumber: 4, award: { recipient: { email: 'ion@example.org' } }, rowKey: `sheet:${jobId}-4`, state: 'pending', errors: null, credentialId: null },
];

async function withOrg(opened: OpenedBackend, id = 'org-1'): Promise<void> {
  await opened.storage.organisations.insertOrganisation({ id, slug: id, name: id, profile: {}, isInstance: false, createdAt: at(0) }, []);
}

describe.each(BACKENDS)('issuance jobs on $name', (backend) => {
  let opened: OpenedBackend;
  beforeEach(async () => {
    opened = await backend.open();
    await withOrg(opened);
    await withOrg(opened, 'org-2');
  });
  afterEach(() => opened.close());

  it('stores a job with its rows, each organisation seeing only its own', async () => {
    await opened.storage.jobs.insert(job('j1'), rows('j1'));
    expect(await opened.storage.jobs.get('org-1', 'j1')).toEqual(job('j1'));
    expect(await opened.storage.jobs.get('org-2', 'j1')).toBeUndefined();
    expect(await opened.storage.jobs.list('org-2', 10)).toEqual([]);
    expect((await opened.storage.jobs.rows('j1', { limit: 10 })).map((r) => [r.rowNumber, r.state])).toEqual([
      [2, 'pending'],
      [3, 'invalid'],
      [4, 'pending'],
    ]);
    expect(await opened.storage.jobs.rows('j1', { states: ['invalid'], limit: 10 })).toEqual([rows('j1')[1]]);
    expect((await opened.storage.jobs.rows('j1', { afterRow: 2, limit: 1 })).map((r) => r.rowNumber)).toEqual([3]);
  });

  it('claims only confirmed jobs, one runner at a time, and again once the lock ran out', async () => {
    await opened.storage.jobs.insert(job('j1'), rows('j1'));
    expect(await opened.storage.jobs.claim(at(0), at(MINUTE))).toBeUndefined();
    expect(await opened.storage.jobs.confirm('org-2', 'j1', at(1))).toBe(false);
    expect(await opened.storage.jobs.confirm('org-1', 'j1', at(1))).toBe(true);
    expect(await opened.storage.jobs.confirm('org-1', 'j1', at(2))).toBe(false);

    const other = await opened.other();
    const claims = await Promise.all([opened.storage.jobs.claim(at(2), at(MINUTE)), other.jobs.claim(at(2), at(MINUTE))]);
    expect(claims.filter(Boolean).map((j) => j!.state)).toEqual(['running']);
    // Held: nobody takes it before the lock runs out; afterwards another runner does, and the first loses it.
    expect(await other.jobs.claim(at(MINUTE - 1), at(2 * MINUTE))).toBeUndefined();
    expect(await opened.storage.jobs.renew('j1', at(MINUTE), at(MINUTE + 30_000))).toBe(true);
    const retaken = await other.jobs.claim(at(MINUTE + 30_000), at(3 * MINUTE));
    expect(retaken?.id).toBe('j1');
    expect(await opened.storage.jobs.renew('j1', at(MINUTE + 30_000), at(4 * MINUTE))).toBe(false);
  });

  it('counts each row once, forgets the award of an issued row, and nothing of a finished job', async () => {
    await opened.storage.jobs.insert(job('j1'), rows('j1'));
    await opened.storage.jobs.confirm('org-1', 'j1', at(1));
    await opened.storage.jobs.claim(at(2), at(MINUTE));
    await opened.storage.jobs.markRow('j1', 2, { state: 'issued', credentialId: 'c-2' });
    await opened.storage.jobs.markRow('j1', 2, { state: 'issued', credentialId: 'c-other' });
    await opened.storage.jobs.markRow('j1', 3, { state: 'failed', errors: [{ column: 'row', code: 'x' }] });
    await opened.storage.jobs.markRow('j1', 4, { state: 'failed', errors: [{ column: 'row', code: 'badge_class_archived', params: { message: 'archived' } }] });
    expect(await opened.storage.jobs.get('org-1', 'j1')).toMatchObject({ state: 'running', issued: 1, failed: 1 });
    const [two, three, four] = await opened.storage.jobs.rows('j1', { limit: 10 });
    expect(two).toMatchObject({ state: 'issued', credentialId: 'c-2', award: null });
    expect(three).toMatchObject({ state: 'invalid' });
    expect(four).toMatchObject({ state: 'failed', errors: [{ column: 'row', code: 'badge_class_archived', params: { message: 'archived' } }] });

    await opened.storage.jobs.finish('j1', at(3));
    expect(await opened.storage.jobs.get('org-1', 'j1')).toMatchObject({ state: 'done', finishedAt: at(3) });
    const stored = await opened.query("select award from issuance_job_rows where job_id = 'j1'");
    expect(stored.map((r) => r.award)).toEqual([null, null, null]);
    expect(await opened.storage.jobs.claim(at(4), at(MINUTE))).toBeUndefined();
  });

  it('cancels a job not yet done, forgetting the awards not issued; removes stale previews', async () => {
    await opened.storage.jobs.insert(job('j1'), rows('j1'));
    await opened.storage.jobs.insert(job('j2', { createdAt: at(10 * MINUTE) }), rows('j2'));
    expect(await opened.storage.jobs.cancel('org-2', 'j1', at(1))).toBe(false);
    expect(await opened.storage.jobs.cancel('org-1', 'j1', at(1))).toBe(true);
    expect(await opened.storage.jobs.cancel('org-1', 'j1', at(2))).toBe(false);
    expect(await opened.storage.jobs.confirm('org-1', 'j1', at(2))).toBe(false);
    expect((await opened.query("select award from issuance_job_rows where job_id = 'j1'")).every((r) => r.award === null)).toBe(true);

    expect(await opened.storage.jobs.deleteStalePreviews(at(5 * MINUTE))).toBe(0);
    expect(await opened.storage.jobs.deleteStalePreviews(at(11 * MINUTE))).toBe(1);
    expect(await opened.storage.jobs.get('org-1', 'j2')).toBeUndefined();
    expect(await opened.storage.jobs.rows('j2', { limit: 10 })).toEqual([]);
    expect(await opened.storage.jobs.get('org-1', 'j1')).toMatchObject({ state: 'cancelled' });
  });

  it('finds which row keys an organisation has used', async () => {
    await opened.storage.idempotency.insert({ orgId: 'org-1', key: 'sheet:a', requestHash: 'h', credentialIds: [], createdAt: at(0) });
    expect(await opened.storage.idempotency.findMany('org-1', ['sheet:a', 'sheet:b'])).toEqual([{ key: 'sheet:a', credentialIds: [] }]);
    expect(await opened.storage.idempotency.findMany('org-2', ['sheet:a'])).toEqual([]);
    expect(await opened.storage.idempotency.findMany('org-1', [])).toEqual([]);
  });
});
