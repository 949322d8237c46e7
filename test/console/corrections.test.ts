import request from 'supertest';
import { addProvider } from '../../src/organisations/api-keys.js';
import { rawQuery, startTestApp, type TestApp } from '../helpers/app.js';
import { ConsoleBrowser } from '../helpers/console.js';

/**
 * Correcting awards in the console: owners and issuers re-issue an award from a form filled from the
 * stored badge; owners erase one after a confirmation page; viewers do neither; nobody touches another
 * organisation's awards.
 */
let t: TestApp;
const clock = Date.parse('2026-12-06T10:00:00Z');
const browsers: Record<'owner' | 'issuer' | 'viewer', ConsoleBrowser> = {} as never;
let theirs: string;
beforeAll(async () => {
  t = await startTestApp({}, { now: () => new Date(clock) });
  for (const role of ['owner', 'issuer', 'viewer'] as const) {
    await t.ctx.accounts.createUser({ email: `${role}@example.org`, password: `una password per ${role} lunga`, name: role, orgId: t.ctx.instance.id, role });
    browsers[role] = new ConsoleBrowser(t.app);
    await browsers[role].signIn(`${role}@example.org`, `una password per ${role} lunga`);
  }
  const other = await addProvider(t.ctx, 'Other Provider', ['*']);
  theirs = (await award({ recipient: { email: 'x@example.org', name: 'Someone Else' } }, other.apiKey)).id;
});
afterAll(() => t.close());

async function award(extra: object = {}, key = t.apiKey): Promise<{ id: string; url: string }> {
  const body = {
    badgeClass: 'carer-plus-digital-communication',
    recipient: { email: 'maria.rossi@example.org', name: 'Maria Rosi' },
    language: 'it',
    results: [{ value: '27/30' }],
    evidence: [{ id: 'https://lms.example.org/portfolio/7', name: 'E-portfolio' }],
    activityStartDate: '2026-09-01T00:00:00Z',
    ...extra,
  };
  return (await request(t.app).post('/api/v1/credentials').set('Authorization', `Bearer ${key}`).send(body).expect(201)).body;
}
const rowOf = (html: string, id: string) => html.split('<tr>').find((row) => row.includes(id)) ?? '';

describe('the actions on the awards list', () => {
  it('offers re-issue to owners and issuers, erasure to owners, and nothing to viewers', async () => {
    const { id } = await award();
    const owner = rowOf((await browsers.owner.get('/console/awards')).text, id);
    expect(owner).toContain(`href="/console/awards/${id}/reissue"`);
    expect(owner).toContain(`href="/console/awards/${id}/erase"`);
    const issuer = rowOf((await browsers.issuer.get('/console/awards')).text, id);
    expect(issuer).toContain(`href="/console/awards/${id}/reissue"`);
    expect(issuer).not.toContain('/erase"');
    const viewer = rowOf((await browsers.viewer.get('/console/awards')).text, id);
    expect(viewer).not.toContain('/reissue"');
    expect(viewer).not.toContain('/erase"');
  });
});

describe('re-issuing from the console', () => {
  it('fills the form from the stored badge, and re-issues the correction, the original shown as replaced', async () => {
    const { id } = await award();
    const b = browsers.issuer;
    const form = await b.get(`/console/awards/${id}/reissue`);
    expect(form.status).toBe(200);
    expect(form.text).toContain(`action="/console/awards/${id}/reissue"`);
    expect(form.text).toContain('name="name" value="Maria Rosi"');
    expect(form.text).toContain('name="result" value="27/30"');
    expect(form.text).toContain('name="evidenceUrl" value="https://lms.example.org/portfolio/7"');
    expect(form.text).toContain('name="activityStartDate" value="2026-09-01"');
    expect(form.text).toMatch(/<option value="it" lang="it" selected>/);
    expect(form.text).toContain('name="email" value=""');
    expect(form.text).not.toContain('name="badgeClass"');

    const done = await b.post(`/console/awards/${id}/reissue`, { language: 'it', name: 'Maria Rossi', result: '28/30', evidenceUrl: 'https://lms.example.org/portfolio/7', activityStartDate: '2026-09-01', notify: '1' });
    expect(done.status).toBe(201);
    expect(done.text).toContain('Corrected badge issued to Maria Rossi.');
    const [row] = await rawQuery(t, `select replaced_by from credentials where id = '${id}'`);
    const newId = String(row!.replaced_by);
    const credential = JSON.parse((await request(t.app).get(`/credentials/${newId}`).expect(200)).text);
    expect([credential.credentialSubject.name, credential.credentialSubject.activityStartDate]).toEqual(['Maria Rossi', '2026-09-01T00:00:00Z']);
    const list = (await b.get('/console/awards')).text;
    expect(rowOf(list, id)).toContain('Replaced');
    expect(rowOf(list, id)).not.toContain('/reissue"');
    expect((await t.ctx.accounts.auditOf(t.ctx.instance.id, { limit: 20 })).find((e) => e.subject === newId)).toMatchObject({ action: 'credential.reissued', actor: expect.stringMatching(/^user:/) });
    // Once replaced, it is not re-issued again.
    expect((await b.get(`/console/awards/${id}/reissue`)).status).toBe(409);
    expect((await b.post(`/console/awards/${id}/reissue`, { name: 'Maria Rossi' })).status).toBe(409);
  });

  it('shows what is wrong in the form, and refuses viewers', async () => {
    const { id } = await award();
    const bad = await browsers.issuer.post(`/console/awards/${id}/reissue`, { name: 'Maria Rossi', evidenceUrl: 'not a url' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('must be an absolute URI');
    expect((await browsers.viewer.get(`/console/awards/${id}/reissue`)).status).toBe(403);
    expect((await browsers.viewer.post(`/console/awards/${id}/reissue`, { name: 'X' })).status).toBe(403);
    expect(await rawQuery(t, `select replaced_by from credentials where id = '${id}'`)).toEqual([{ replaced_by: null }]);
  });
});

describe('renewing from the console', () => {
  it('offers renewal for a badge that expires, starts from its learner, needs the evidence, and leaves the renewed one valid', async () => {
    const { id } = await award();
    const b = browsers.issuer;
    expect(rowOf((await b.get('/console/awards')).text, id)).toContain(`href="/console/awards/${id}/renew"`);
    const form = await b.get(`/console/awards/${id}/renew`);
    expect(form.status).toBe(200);
    expect(form.text).toContain(`action="/console/awards/${id}/renew"`);
    expect(form.text).toContain('name="name" value="Maria Rosi"');
    // Its evidence is new: nothing of the renewed award's.
    expect(form.text).toContain('name="evidenceUrl" value=""');
    expect(form.text).toContain('A renewal issues a new badge to the same learner');

    const missing = await b.post(`/console/awards/${id}/renew`, { language: 'it', name: 'Maria Rosi' });
    expect(missing.status).toBe(422);
    expect(missing.text).toContain('A renewal needs its evidence: a link to it, or a result.');
    expect(missing.text).toMatch(/id="a-evidenceUrl-error"/);

    const done = await b.post(`/console/awards/${id}/renew`, { language: 'it', name: 'Maria Rosi', evidenceUrl: 'https://lms.example.org/records/311', evidenceName: 'Refresher course' });
    expect(done.status).toBe(201);
    expect(done.text).toContain('Renewed badge issued to Maria Rosi.');
    const [row] = await rawQuery(t, `select renewed_by from credentials where id = '${id}'`);
    const newId = String(row!.renewed_by);
    const renewal = JSON.parse((await request(t.app).get(`/credentials/${newId}`).expect(200)).text);
    expect(renewal.evidence.map((e: { id: string }) => e.id)).toEqual(['https://lms.example.org/records/311', `https://badges.example.org/credentials/${id}`]);
    const list = (await b.get('/console/awards')).text;
    expect(rowOf(list, id)).toContain('Valid<br>');
    expect(rowOf(list, id)).toContain(`<a href="/credentials/${newId}">Renewed</a>`);
    expect(rowOf(list, id)).not.toContain('/renew"');
    expect((await t.ctx.accounts.auditOf(t.ctx.instance.id, { limit: 20 })).find((e) => e.subject === newId)).toMatchObject({ action: 'credential.renewed', details: { renews: id } });
    expect((await b.post(`/console/awards/${id}/renew`, { name: 'X', result: 'passed' })).status).toBe(409);
    expect((await browsers.viewer.get(`/console/awards/${newId}/renew`)).status).toBe(403);
  });

  it('is not offered for a badge that does not expire', async () => {
    const { id } = await award({ badgeClass: 'i-care-intercultural-competence', language: 'en' });
    expect(rowOf((await browsers.owner.get('/console/awards')).text, id)).not.toContain('/renew"');
  });
});

describe('erasing from the console', () => {
  it('asks first, then erases: the badge answers 410 and the list says erased, without the name', async () => {
    const { id } = await award();
    const b = browsers.owner;
    const confirm = await b.get(`/console/awards/${id}/erase`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain(`<form method="post" action="/console/awards/${id}/erase">`);
    expect(confirm.text).toContain('Maria Rosi');
    const done = await b.post(`/console/awards/${id}/erase`, {});
    expect(done.status).toBe(200);
    expect(done.text).toContain('The badge is erased.');
    // Its row says erased, with neither the name nor a link or action naming it.
    expect(done.text).toMatch(/<td>\(erased\)<\/td>[\s\S]*?<td data-label="Status">Erased/);
    expect(done.text).not.toContain(id);
    expect((await request(t.app).get(`/credentials/${id}`)).status).toBe(410);
    expect((await t.ctx.accounts.auditOf(t.ctx.instance.id, { limit: 20 })).find((e) => e.subject === id && e.action !== 'credential.awarded')).toMatchObject({ action: 'credential.erased', actor: expect.stringMatching(/^user:/), details: null });
    // Erasing again changes nothing and says so.
    expect((await b.post(`/console/awards/${id}/erase`, {})).status).toBe(200);
  });

  it('is for owners only', async () => {
    const { id } = await award();
    for (const role of ['issuer', 'viewer'] as const) {
      expect([role, (await browsers[role].get(`/console/awards/${id}/erase`)).status]).toEqual([role, 403]);
      expect([role, (await browsers[role].post(`/console/awards/${id}/erase`, {})).status]).toEqual([role, 403]);
    }
    await request(t.app).get(`/credentials/${id}`).expect(200);
  });
});

describe('another organisation\'s awards', () => {
  it('are not found, whatever is asked, and stay as they were', async () => {
    const b = browsers.owner;
    expect((await b.get(`/console/awards/${theirs}/reissue`)).status).toBe(404);
    expect((await b.post(`/console/awards/${theirs}/reissue`, { name: 'X' })).status).toBe(404);
    expect((await b.get(`/console/awards/${theirs}/erase`)).status).toBe(404);
    expect((await b.post(`/console/awards/${theirs}/erase`, {})).status).toBe(404);
    expect((await b.post(`/console/awards/${theirs}/revoke`, { reason: 'x' })).status).toBe(403);
    const [row] = await rawQuery(t, `select recipient_name, replaced_by, erased_at from credentials where id = '${theirs}'`);
    expect(row).toEqual({ recipient_name: 'Someone Else', replaced_by: null, erased_at: null });
    await request(t.app).get(`/credentials/${theirs}`).expect(200);
  });
});
