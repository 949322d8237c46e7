import request from 'supertest';
import { addProvider } from '../../src/organisations/api-keys.js';
import { rawQuery, startTestApp, type TestApp } from '../helpers/app.js';
import { ConsoleBrowser } from '../helpers/console.js';

/**
 * Awarded badges in the console: found by learner (part of the name, or the e-mail address, which is
 * kept only as a keyed hash), badge, dates and state; suspended, reinstated and revoked with a reason; exported as CSV.
 */
let t: TestApp;
let clock = Date.parse('2026-12-06T10:00:00Z');
let b: ConsoleBrowser;
let other: { apiKey: string };
beforeAll(async () => {
  t = await startTestApp({}, { now: () => new Date(clock) });
  await t.ctx.accounts.createUser({ email: 'issuer@example.org', password: 'rilascio badge tutti i giorni', name: 'Ida', orgId: t.ctx.instance.id, role: 'issuer' });
  b = new ConsoleBrowser(t.app);
  await b.signIn('issuer@example.org', 'rilascio badge tutti i giorni');
  const award = (body: object, key = t.apiKey) => request(t.app).post('/api/v1/credentials').set('Authorization', `Bearer ${key}`).send(body).expect(201);
  await award({ badgeClass: 'carer-plus-digital-communication', recipient: { email: 'Maria.Rossi@Example.org', name: 'Maria Rossi' }, language: 'it' });
  clock += 60_000;
  await award({ badgeClass: 'i-care-intercultural-competence', recipient: { email: 'jonas@example.org', name: 'Jonas Petraitis' }, language: 'lt', validUntil: '2026-12-20T00:00:00Z' });
  clock += 60_000;
  await award({ badgeClass: 'carer-plus-digital-communication', recipient: { email: 'ana@example.org', name: 'Ana 100%_Popescu' }, language: 'ro' });
  other = await addProvider(t.ctx, 'Other Provider', ['*']);
  await award({ badgeClass: 'carer-plus-digital-communication', recipient: { email: 'maria.rossi@example.org', name: 'Maria Rossi' } }, other.apiKey);
});
afterAll(() => t.close());

const names = (html: string): string[] => [...html.matchAll(/<td><a href="[^"]*\/credentials\/[^"]*">([^<]*)<\/a><\/td>/g)].map((m) => m[1]!);

describe('finding awards', () => {
  it('lists the organisation’s awards newest first, and none of another organisation', async () => {
    const page = await b.get('/console/awards');
    expect(page.status).toBe(200);
    expect(names(page.text)).toEqual(['Ana 100%_Popescu', 'Jonas Petraitis', 'Maria Rossi']);
  });

  it('finds by part of the name, in any case, with % and _ taken literally', async () => {
    expect(names((await b.get('/console/awards?q=rOSS')).text)).toEqual(['Maria Rossi']);
    expect(names((await b.get('/console/awards?q=%25_')).text)).toEqual(['Ana 100%_Popescu']);
    expect(names((await b.get('/console/awards?q=_')).text)).toEqual(['Ana 100%_Popescu']);
  });

  it('finds by the whole e-mail address, which is stored only as a keyed hash', async () => {
    expect(names((await b.get('/console/awards?q=maria.rossi%40example.org')).text)).toEqual(['Maria Rossi']);
    const rows = await rawQuery(t, 'select learner_key from credentials');
    expect(JSON.stringify(rows)).not.toMatch(/example\.org/i);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(String(r.learner_key)))).toBe(true);
  });

  it('finds by badge, by dates, and by state: expired once the date passed, revoked once revoked', async () => {
    expect(names((await b.get('/console/awards?badgeClass=i-care-intercultural-competence')).text)).toEqual(['Jonas Petraitis']);
    expect(names((await b.get('/console/awards?from=2026-12-07')).text)).toEqual([]);
    expect(names((await b.get('/console/awards?to=2026-12-06&state=active')).text)).toHaveLength(3);
    clock = Date.parse('2026-12-21T10:00:00Z');
    // Fifteen days later the session has ended too: sign in again.
    expect((await b.get('/console/awards')).status).toBe(303);
    await b.signIn('issuer@example.org', 'rilascio badge tutti i giorni');
    expect(names((await b.get('/console/awards?state=expired')).text)).toEqual(['Jonas Petraitis']);
    const maria = (await t.ctx.storage.credentials.search(t.ctx.instance.id, { name: 'maria', now: new Date(clock).toISOString(), limit: 5 }))[0]!;
    await b.get('/console/awards');
    const revoked = await b.post(`/console/awards/${maria.id}/revoke`, { reason: 'Awarded by mistake' });
    expect(revoked.status).toBe(200);
    expect(revoked.text).toContain('Revoked');
    expect(names((await b.get('/console/awards?state=revoked')).text)).toEqual(['Maria Rossi']);
    expect(names((await b.get('/console/awards?state=active')).text)).toEqual(['Ana 100%_Popescu']);
    expect((await t.ctx.accounts.auditOf(t.ctx.instance.id, { limit: 5 })).map((e) => e.action)).toContain('credential.revoked');
  });
});

describe('exporting', () => {
  it('downloads the filtered list as CSV, with names and states, never an address', async () => {
    const res = await request(t.app).get('/console/awards.csv?badgeClass=carer-plus-digital-communication').set('Cookie', [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ')).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.text.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^id,url,Name,badge_class,Badge,language,/);
    expect(lines).toHaveLength(3);
    expect(res.text).toContain('Ana 100%_Popescu');
    expect(res.text).not.toMatch(/@example\.org/);
  });
});

describe('suspending and reinstating', () => {
  const ana = async () => (await t.ctx.storage.credentials.search(t.ctx.instance.id, { name: 'ana', now: new Date(clock).toISOString(), limit: 1 }))[0]!;
  const csv = async (query: string) =>
    (await request(t.app).get(`/console/awards.csv?${query}`).set('Cookie', [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ')).expect(200)).text.replace(/^\uFEFF/, '').trim().split(/\r?\n/);

  it('suspends a badge with a private reason: its state, its filter, its page and the audit log say so', async () => {
    const { id } = await ana();
    const list = await b.get('/console/awards');
    expect(list.text).toContain(`action="/console/awards/${id}/suspend"`);
    expect(list.text).not.toContain(`action="/console/awards/${id}/reinstate"`);
    const done = await b.post(`/console/awards/${id}/suspend`, { reason: 'Assessor under review' });
    expect(done.status).toBe(200);
    expect(done.text).toContain('Suspended. The badge is not valid until it is reinstated.');
    expect(done.text).toContain('Assessor under review');
    expect(done.text).toContain(`action="/console/awards/${id}/reinstate"`);
    expect(done.text).not.toContain(`action="/console/awards/${id}/suspend"`);
    expect(names((await b.get('/console/awards?state=suspended')).text)).toEqual(['Ana 100%_Popescu']);
    expect(names((await b.get('/console/awards?state=active')).text)).toEqual([]);
    expect((await request(t.app).get(`/credentials/${id}`).set('Accept', 'text/html')).text).toMatch(/Suspended since/);
    const audit = (await t.ctx.accounts.auditOf(t.ctx.instance.id, { limit: 5 })).find((e) => e.subject === id);
    expect(audit).toMatchObject({ action: 'credential.suspended', actor: expect.stringMatching(/^user:/), details: null });
    expect(JSON.stringify(audit)).not.toMatch(/Ana|Assessor/);
  });

  it('exports the suspension: its state, translated and as a word, and when', async () => {
    const lines = await csv('state=suspended');
    expect(lines[0]).toBe('id,url,Name,badge_class,Badge,language,Awarded on,Valid until,Status,state,revoked_at,suspended_at,E-mail');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/,Suspended,suspended,,\d{4}-\d{2}-\d{2}T[\d:]+Z,/);
    const all = await csv('');
    expect(all.filter((l) => /,Revoked,revoked,\d{4}-/.test(l))).toHaveLength(1);
  });

  it('refuses to reinstate twice, and to suspend a revoked badge, with a page that says why', async () => {
    const { id } = await ana();
    await b.get('/console/awards');
    const back = await b.post(`/console/awards/${id}/reinstate`, {});
    expect(back.status).toBe(200);
    expect(back.text).toContain('Reinstated. The badge is valid again.');
    expect(names((await b.get('/console/awards?state=active')).text)).toEqual(['Ana 100%_Popescu']);
    expect((await t.ctx.accounts.auditOf(t.ctx.instance.id, { limit: 10 })).filter((e) => e.subject === id).map((e) => e.action).sort()).toEqual(['credential.awarded', 'credential.reinstated', 'credential.suspended']);
    expect((await b.post(`/console/awards/${id}/reinstate`, {})).status).toBe(409);
    const maria = (await t.ctx.storage.credentials.search(t.ctx.instance.id, { state: 'revoked', now: new Date(clock).toISOString(), limit: 1 }))[0]!;
    await b.get('/console/awards');
    expect((await b.post(`/console/awards/${maria.id}/suspend`, { reason: 'x' })).status).toBe(410);
    await b.get('/console/awards');
    const noReason = await b.post(`/console/awards/${id}/suspend`, { reason: '  ' });
    expect(noReason.status).toBe(422);
  });

  it('answers 404 for another organisation’s award', async () => {
    const theirs = (await t.ctx.storage.credentials.search((await t.ctx.storage.organisations.list()).find((o) => o.name === 'Other Provider')!.id, { now: new Date(clock).toISOString(), limit: 1 }))[0]!;
    await b.get('/console/awards');
    expect((await b.post(`/console/awards/${theirs.id}/suspend`, { reason: 'x' })).status).toBe(404);
    expect((await b.post(`/console/awards/${theirs.id}/reinstate`, {})).status).toBe(404);
  });
});

describe('who may do what', () => {
  it('lets a viewer find but not revoke, suspend or reinstate', async () => {
    await t.ctx.accounts.createUser({ email: 'viewer@example.org', password: 'guardo soltanto io', name: 'V', orgId: t.ctx.instance.id, role: 'viewer' });
    const viewer = new ConsoleBrowser(t.app);
    await viewer.signIn('viewer@example.org', 'guardo soltanto io');
    const page = await viewer.get('/console/awards');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('/revoke"');
    const id = (await t.ctx.storage.credentials.search(t.ctx.instance.id, { name: 'ana', now: new Date(clock).toISOString(), limit: 1 }))[0]!.id;
    expect((await viewer.post(`/console/awards/${id}/revoke`, { reason: 'x' })).status).toBe(403);
    expect(page.text).not.toContain('/suspend"');
    expect((await viewer.post(`/console/awards/${id}/suspend`, { reason: 'x' })).status).toBe(403);
    expect((await viewer.post(`/console/awards/${id}/reinstate`, {})).status).toBe(403);
    expect(await t.ctx.storage.status.suspensionOf(id)).toBeUndefined();
  });
});
