import { ALREADY_ISSUED } from '../../src/issuance-jobs/jobs.js';
import { addProvider, type Caller } from '../../src/organisations/api-keys.js';
import { rawQuery, startTestApp, type TestApp } from '../helpers/app.js';

/**
 * Issuance from a spreadsheet through the domain service, on a real app and database: every row
 * checked before anything is signed; confirmed rows issued once, whatever is uploaded again or
 * however the runner is interrupted; another organisation sees none of it.
 */
const BADGE = 'carer-plus-digital-communication';
const learners = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `learner${from + i}@example.org,Learner ${from + i},it`);
const csv = (lines: string[]) => ['email,name,language', ...lines].join('\n');

describe('spreadsheet jobs', () => {
  let t: TestApp;
  let caller: Caller;
  /** The app's clock runs ahead by this much: a test moves it past a lock rather than waiting. */
  let ahead = 0;
  beforeEach(async () => {
    ahead = 0;
    t = await startTestApp({}, { now: () => new Date(Date.now() + ahead) });
    caller = (await t.ctx.apiKeys.authenticate(t.apiKey))!;
  });
  afterEach(() => t.close());

  const prepare = (text: string, extra: { sendEmail?: boolean; language?: string } = {}) =>
    t.ctx.jobs.prepare(caller, { badgeClass: BADGE, fileName: 'cohort.csv', file: Buffer.from(text), sendEmail: extra.sendEmail ?? true, createdBy: 'api-key:test', language: extra.language });
  const credentials = async () => Number((await rawQuery(t, 'select count(*) as n from credentials'))[0]!.n);
  const messages = async () => Number((await rawQuery(t, "select count(*) as n from outbox where kind = 'award'"))[0]!.n);

  it('checks every row before signing anything, then issues the valid rows once each, with their e-mails', async () => {
    const job = await prepare(csv([...learners(8), 'broken-address,Bad One,it', 'ok@example.org,Past,it'].concat(['dup@example.org,Dup,it', 'dup@example.org,Dup,it'])));
    expect(job).toMatchObject({ state: 'preview', total: 12, valid: 10, issued: 0, alreadyIssued: 0 });
    expect(await credentials()).toBe(0);
    const invalid = await t.ctx.jobs.rows(caller.org.id, job.id, { states: ['invalid'], limit: 50 });
    expect(invalid.map((r) => [r.rowNumber, r.errors])).toEqual([
      [10, [{ column: 'email', code: 'invalid_email' }]],
      [13, [{ column: 'row', code: 'duplicate_row', params: { row: 12 } }]],
    ]);

    await t.ctx.jobs.confirm(caller.org.id, job.id);
    await t.ctx.jobs.drain();
    expect(await t.ctx.jobs.get(caller.org.id, job.id)).toMatchObject({ state: 'done', issued: 10, failed: 0 });
    expect(await credentials()).toBe(10);
    expect(await messages()).toBe(10);
    const issued = await t.ctx.jobs.rows(caller.org.id, job.id, { states: ['issued'], limit: 50 });
    expect(new Set(issued.map((r) => r.credentialId)).size).toBe(10);
    // Nothing personal is left in the job once it is done.
    expect((await rawQuery(t, 'select award from issuance_job_rows')).every((r) => r.award === null)).toBe(true);
  });

  it('recognises rows issued by an earlier upload, and issues only the new ones', async () => {
    const first = await prepare(csv(learners(5)));
    await t.ctx.jobs.confirm(caller.org.id, first.id);
    await t.ctx.jobs.drain();
    const firstIds = (await t.ctx.jobs.rows(caller.org.id, first.id, { limit: 10 })).map((r) => r.credentialId);

    // The same file again, with two learners added and the e-mail turned off: the five are known.
    const again = await prepare(csv(learners(7)), { sendEmail: false });
    expect(again).toMatchObject({ total: 7, valid: 7, issued: 5, alreadyIssued: 5 });
    const known = await t.ctx.jobs.rows(caller.org.id, again.id, { states: ['issued'], limit: 10 });
    expect(known.map((r) => r.credentialId)).toEqual(firstIds);
    expect(known.every((r) => r.errors?.[0]?.code === ALREADY_ISSUED)).toBe(true);
    await t.ctx.jobs.confirm(caller.org.id, again.id);
    await t.ctx.jobs.drain();
    expect(await credentials()).toBe(7);
    expect(await messages()).toBe(5);
  });

  it('goes on where it stopped after a runner died holding the job, issuing nothing twice', async () => {
    const job = await prepare(csv(learners(30)));
    await t.ctx.jobs.confirm(caller.org.id, job.id);
    // A runner that claimed the job, issued some rows through the same service, and died before marking them.
    const claimed = await t.ctx.storage.jobs.claim(new Date().toISOString(), new Date(Date.now() + 60_000).toISOString());
    expect(claimed?.id).toBe(job.id);
    const pending = await t.ctx.storage.jobs.rows(job.id, { states: ['pending'], limit: 12 });
    for (const row of pending) await t.ctx.issuance.issue(caller, [row.award as never], { kind: 'single', idempotencyKey: row.rowKey! });
    for (const row of pending.slice(0, 6)) await t.ctx.storage.jobs.markRow(job.id, row.rowNumber, { state: 'issued', credentialId: 'marked-before-the-stop' });
    expect(await credentials()).toBe(12);

    // Held: nobody takes it until the lock runs out; then this instance does and finishes it.
    await t.ctx.jobs.drain();
    expect(await t.ctx.jobs.get(caller.org.id, job.id)).toMatchObject({ state: 'running', issued: 6 });
    ahead = 61_000;
    await t.ctx.jobs.drain();
    expect(await t.ctx.jobs.get(caller.org.id, job.id)).toMatchObject({ state: 'done', issued: 30, failed: 0 });
    expect(await credentials()).toBe(30);
    expect(await messages()).toBe(30);
  });

  it('fails a row that can no longer be issued without stopping the others', async () => {
    const job = await prepare(csv(learners(4)));
    await t.ctx.jobs.confirm(caller.org.id, job.id);
    await t.ctx.catalog.setArchived(BADGE, true);
    await t.ctx.jobs.drain();
    const done = await t.ctx.jobs.get(caller.org.id, job.id);
    expect(done).toMatchObject({ state: 'done', issued: 0, failed: 4 });
    const failed = await t.ctx.jobs.rows(caller.org.id, job.id, { states: ['failed'], limit: 10 });
    expect(failed[0]!.errors).toEqual([{ column: 'row', code: 'badge_class_archived', params: { message: expect.stringContaining('archived') } }]);
  });

  it('refuses what cannot be a job, and keeps each organisation to its own jobs', async () => {
    await expect(prepare('name\nAna\n')).rejects.toMatchObject({ code: 'spreadsheet_unreadable' });
    const allBad = await prepare(csv(['x,y,it']));
    await expect(t.ctx.jobs.confirm(caller.org.id, allBad.id)).rejects.toMatchObject({ code: 'nothing_to_issue' });
    const job = await prepare(csv(learners(2)));
    const { apiKey: otherKey } = await addProvider(t.ctx, 'Other Academy', ['*']);
    const other = (await t.ctx.apiKeys.authenticate(otherKey))!;
    expect(await t.ctx.jobs.get(other.org.id, job.id)).toBeUndefined();
    await expect(t.ctx.jobs.confirm(other.org.id, job.id)).rejects.toMatchObject({ code: 'issuance_job_not_found' });
    await expect(t.ctx.jobs.rows(other.org.id, job.id, { limit: 5 })).rejects.toMatchObject({ code: 'issuance_job_not_found' });
    await t.ctx.jobs.confirm(caller.org.id, job.id);
    await expect(t.ctx.jobs.confirm(caller.org.id, job.id)).rejects.toMatchObject({ code: 'issuance_job_state' });
    await t.ctx.jobs.cancel(caller.org.id, job.id);
    await t.ctx.jobs.drain();
    expect(await credentials()).toBe(0);
  });

  it('checks the rows against the badge class: its languages, and dates still to come', async () => {
    const { badgeClass } = t.ctx.catalog.get(BADGE)!;
    const only = (texts: Record<string, string>) => ({ en: texts.en!, it: texts.it! });
    await t.ctx.catalog.create(caller.org.id, { ...badgeClass, slug: 'two-languages', name: only(badgeClass.name), description: only(badgeClass.description), criteria: { ...badgeClass.criteria, narrative: only(badgeClass.criteria.narrative) } } as never, { by: null });
    const job = await t.ctx.jobs.prepare(caller, {
      badgeClass: 'two-languages',
      fileName: 'x.csv',
      file: Buffer.from('email,language,valid until\na@example.org,de,\nb@example.org,it,01/01/2020\nc@example.org,,\n'),
      sendEmail: false,
      createdBy: 'api-key:test',
    });
    const rows = await t.ctx.jobs.rows(caller.org.id, job.id, { limit: 10 });
    expect(rows.map((r) => [r.state, r.errors])).toEqual([
      ['invalid', [{ column: 'language', code: 'language_unavailable', params: { language: 'de', available: 'en, it' } }]],
      ['invalid', [{ column: 'validUntil', code: 'date_in_past' }]],
      ['pending', null],
    ]);
  });
});
