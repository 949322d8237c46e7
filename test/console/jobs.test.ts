import request from 'supertest';
import { addProvider } from '../../src/organisations/api-keys.js';
import { rawQuery, startTestApp, type TestApp } from '../helpers/app.js';
import { ConsoleBrowser } from '../helpers/console.js';

/**
 * Awarding from a spreadsheet in the console: upload, a preview in which every bad row is explained
 * in the reader's language, confirmation, progress (a page that refreshes itself, and server-sent
 * events for the script), the outcome; viewers and other organisations kept out.
 */
let t: TestApp;
let issuer: ConsoleBrowser;
let viewer: ConsoleBrowser;
const BADGE = 'carer-plus-digital-communication';
const csv = (lines: string[]) => Buffer.from(['E-mail;Nome;Lingua;Data fine', ...lines].join('\r\n'));
const file = (data: Buffer, filename = 'coorte.csv') => ({ file: { data, filename, contentType: 'text/csv' } });

beforeAll(async () => {
  t = await startTestApp();
  await t.ctx.accounts.createUser({ email: 'issuer@example.org', password: 'rilascio badge tutti i giorni', name: 'Ida', orgId: t.ctx.instance.id, role: 'issuer' });
  await t.ctx.accounts.createUser({ email: 'viewer@example.org', password: 'guardo soltanto ogni giorno', name: 'Vera', orgId: t.ctx.instance.id, role: 'viewer' });
  issuer = new ConsoleBrowser(t.app);
  await issuer.signIn('issuer@example.org', 'rilascio badge tutti i giorni');
  viewer = new ConsoleBrowser(t.app);
  await viewer.signIn('viewer@example.org', 'guardo soltanto ogni giorno');
});
afterAll(() => t.close());

const credentials = async () => Number((await rawQuery(t, 'select count(*) as n from credentials'))[0]!.n);

describe('a spreadsheet in the console', () => {
  let jobUrl = '';

  it('explains each bad row in the reader’s language before anything is awarded', async () => {
    await issuer.get('/console/jobs/new?lang=it');
    const rows = [...Array.from({ length: 6 }, (_, i) => `studente${i}@example.org;Studente ${i};it;30/06/2026`), 'non-un-indirizzo;Rotto;it;', 'ok@example.org;Data;it;31/02/2026x'];
    const res = await issuer.postMultipart('/console/jobs/new', { badgeClass: BADGE, language: 'it', notify: '1' }, file(csv(rows)));
    expect(res.status).toBe(303);
    jobUrl = res.headers.location as string;
    expect(jobUrl).toMatch(/^\/console\/jobs\/[\w-]+$/);
    const page = await issuer.get(`${jobUrl}?lang=it`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('8 righe');
    expect(page.text).toMatch(/Riga 8<\/th><td data-label="[^"]+">E-mail<\/td><td data-label="[^"]+">[^<]*indirizzo e-mail/);
    expect(page.text).toMatch(/Riga 9<\/th>[^]*?31\/12\/2026/);
    expect(page.text).not.toContain('non-un-indirizzo');
    expect(await credentials()).toBe(0);
  });

  it('keeps viewers and other organisations from the job', async () => {
    const page = await viewer.get(jobUrl);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(`action="${jobUrl}/confirm"`);
    expect((await viewer.post(`${jobUrl}/confirm`, {})).status).toBe(403);
    expect((await viewer.get('/console/jobs/new')).status).toBe(403);
    const { apiKey } = await addProvider(t.ctx, 'Other Academy', ['*']);
    const id = jobUrl.split('/').at(-1)!;
    const other = await request(t.app).get(`/api/v1/issuance-jobs/${id}`).set('Authorization', `Bearer ${apiKey}`);
    expect([other.status, other.body.error.code]).toEqual([404, 'issuance_job_not_found']);
  });

  it('awards the valid rows once confirmed, showing progress that refreshes itself and events for the script', async () => {
    const confirmed = await issuer.post(`${jobUrl}/confirm`, {});
    expect([confirmed.status, confirmed.headers.location]).toEqual([303, jobUrl]);
    const running = await issuer.get(`${jobUrl}?lang=en`);
    expect(running.text).toMatch(/<progress id="job-progress" max="6" value="0"/);
    expect(running.text).toContain('<noscript><meta http-equiv="refresh" content="3"></noscript>');
    expect(running.headers['content-security-policy']).toContain("script-src 'self'");
    const script = await request(t.app).get('/console/assets/job-progress.js');
    expect([script.status, script.headers['content-type']]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect(script.text).toContain('EventSource');

    await t.ctx.jobs.drain();
    const events = await request(t.app).get(`${jobUrl}/events?lang=it`).set('Cookie', [...issuer.cookies].map(([k, v]) => `${k}=${v}`).join('; ')).buffer(true);
    expect(events.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(events.text).toContain('event: done');
    expect(events.text).toContain('"issued":6');
    expect(events.text).toContain('6 di 6');

    const done = await issuer.get(`${jobUrl}?lang=en`);
    expect(done.text).toContain('Done: 6 badges awarded.');
    expect(done.text).toMatch(/<progress id="job-progress" max="6" value="6"/);
    expect(done.text).not.toContain('http-equiv="refresh"');
    expect(done.headers['content-security-policy']).not.toContain('script-src');
    expect(await credentials()).toBe(6);
    expect(Number((await rawQuery(t, "select count(*) as n from outbox where kind = 'award'"))[0]!.n)).toBe(6);
    const list = await issuer.get('/console/jobs?lang=en');
    expect(list.text).toContain('coorte.csv');
    expect(list.text).toContain('6 of 6 awarded');
  });

  it('recognises the rows of the corrected file that were awarded before, and awards only the rest', async () => {
    const rows = [...Array.from({ length: 6 }, (_, i) => `studente${i}@example.org;Studente ${i};it;30/06/2026`), 'corretto@example.org;Rotto;it;', 'ok@example.org;Data;it;31/12/2026'];
    const res = await issuer.postMultipart('/console/jobs/new', { badgeClass: BADGE, language: 'it', notify: '1' }, file(csv(rows), 'coorte-corretta.csv'));
    const page = await issuer.get(`${res.headers.location as string}?lang=en`);
    expect(page.text).toContain('8 rows: 8 can be awarded, 0 have problems.');
    expect(page.text).toContain('6 of them were awarded from an earlier upload and will not be awarded again.');
    expect(page.text).toContain('Award 2 badges');
    await issuer.post(`${res.headers.location as string}/confirm`, {});
    await t.ctx.jobs.drain();
    expect(await credentials()).toBe(8);
  });

  it('refuses a file that is not a sheet of learners in plain words, without a server error', async () => {
    await issuer.get('/console/jobs/new?lang=en');
    const noFile = await issuer.postMultipart('/console/jobs/new', { badgeClass: BADGE, language: 'en', notify: '1' });
    expect(noFile.status).toBe(422);
    expect(noFile.text).toContain('Choose a file to upload.');
    const noEmail = await issuer.postMultipart('/console/jobs/new', { badgeClass: BADGE, language: 'en', notify: '1' }, file(Buffer.from('name\nAna\n')));
    expect(noEmail.status).toBe(422);
    expect(noEmail.text).toContain('no column holds the e-mail address');
    const binary = await issuer.postMultipart('/console/jobs/new', { badgeClass: BADGE, language: 'en', notify: '1' }, file(Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x9f])));
    expect(binary.status).toBe(422);
  });
});
