import request from 'supertest';
import { addProvider } from '../../src/organisations/api-keys.js';
import { learnerKey } from '../../src/recipients/identity.js';
import { EXAMPLE_BADGE_CLASS_INPUT } from '../../src/http/openapi/examples.js';
import { rawQuery, startTestApp, type TestApp } from '../helpers/app.js';

/**
 * Learning pathways over the API: defined and checked, progress counted from a learner's awards (by
 * their key in the organisation, never their address), the capstone awarded automatically when the
 * last step is complete (once, with the components as evidence) or after a coordinator's approval, and
 * the learner's private progress page.
 */
let t: TestApp;
let clock = Date.parse('2026-12-06T10:00:00Z');
beforeAll(async () => {
  t = await startTestApp({}, { now: () => new Date((clock += 1000)) });
  for (const slug of ['pw-intro', 'pw-care-a', 'pw-care-b', 'pw-care-c', 'pw-capstone', 'pw-other-capstone']) {
    await request(t.app).post('/api/v1/badge-classes').set(auth()).send({ ...EXAMPLE_BADGE_CLASS_INPUT, slug, name: { en: `Badge ${slug}`, it: `Badge ${slug} (it)` } }).expect(201);
  }
});
afterAll(() => t.close());

type Json = Record<string, any>;
const auth = (key = t.apiKey) => ({ Authorization: `Bearer ${key}` });
const PATHWAY = {
  slug: 'home-care-basics',
  title: { en: 'Home care basics', ro: 'Bazele îngrijirii la domiciliu' },
  description: { en: 'For new home-care workers.' },
  type: 'non-formal',
  mode: 'blended',
  hours: 40,
  entryLevel: { en: 'No qualification needed.' },
  activities: [{ en: 'Online modules' }, { en: 'Practice with a mentor' }],
  competences: [{ framework: 'digcomp-2.2', code: '2.1' }, { framework: 'esco-care', code: '1d21f6ad' }],
  steps: [
    { title: { en: 'Start' }, badgeClasses: ['pw-intro'] },
    { title: { en: 'Care skills' }, badgeClasses: ['pw-care-a', 'pw-care-b', 'pw-care-c'], required: 2 },
  ],
  capstone: 'pw-capstone',
};
async function award(badgeClass: string, email: string, extra: Json = {}): Promise<Json> {
  return (await request(t.app).post('/api/v1/credentials').set(auth()).send({ badgeClass, recipient: { email, name: 'Maria Rossi' }, language: 'it', ...extra }).expect(201)).body;
}
const capstonesOf = async (badgeClass: string) => (await rawQuery(t, `select id, document from credentials where badge_class = '${badgeClass}' order by issued_at`)) as Array<{ id: string; document: string }>;

describe('defining a pathway', () => {
  it('is checked: badge classes it may award, a capstone outside its steps, competences the instance knows', async () => {
    const bad = await request(t.app)
      .post('/api/v1/pathways')
      .set(auth())
      .send({ ...PATHWAY, steps: [{ badgeClasses: ['no-such-badge'] }, { badgeClasses: ['pw-care-a', 'pw-capstone'], required: 3 }], competences: [{ framework: 'digcomp-2.2', code: '9.9' }] })
      .expect(422);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(bad.body.error.details.map((d: Json) => d.path)).toEqual(expect.arrayContaining(['steps[1].required', 'steps[1].badgeClasses']));
    const unknown = await request(t.app).post('/api/v1/pathways').set(auth()).send({ ...PATHWAY, steps: [{ badgeClasses: ['no-such-badge'] }] }).expect(422);
    expect(unknown.body.error.details).toEqual([{ path: 'steps[0].badgeClasses[0]', message: '"steps[0].badgeClasses[0]" names no known badge class ("no-such-badge")' }]);
    const competence = await request(t.app).post('/api/v1/pathways').set(auth()).send({ ...PATHWAY, competences: [{ framework: 'digcomp-2.2', code: '9.9' }] }).expect(422);
    expect(competence.body.error.details[0].path).toBe('competences[0]');
  });

  it('is created, read and changed with If-Match; a scoped key may read but not change', async () => {
    const created = await request(t.app).post('/api/v1/pathways').set(auth()).send(PATHWAY).expect(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.body).toMatchObject({ slug: 'home-care-basics', version: 1, archived: false, page: 'https://badges.example.org/pathways/home-care-basics' });
    expect(created.body.definition.completion).toBe('automatic');
    await request(t.app).post('/api/v1/pathways').set(auth()).send(PATHWAY).expect(409);
    const scoped = (await t.ctx.apiKeys.addKey(t.ctx.instance.id, ['pw-intro']))!;
    await request(t.app).get('/api/v1/pathways/home-care-basics').set(auth(scoped)).expect(200);
    expect((await request(t.app).put('/api/v1/pathways/home-care-basics').set(auth(scoped)).set('If-Match', '"1"').send(PATHWAY).expect(403)).body.error.code).toBe('forbidden');
    await request(t.app).put('/api/v1/pathways/home-care-basics').set(auth()).send({ ...PATHWAY, hours: 42 }).expect(428);
    const changed = await request(t.app).put('/api/v1/pathways/home-care-basics').set(auth()).set('If-Match', '"1"').send({ ...PATHWAY, hours: 42 }).expect(200);
    expect(changed.body.definition.hours).toBe(42);
    expect((await request(t.app).put('/api/v1/pathways/home-care-basics').set(auth()).set('If-Match', '"1"').send(PATHWAY).expect(409)).body.error.code).toBe('pathway_changed');
    // Another organisation sees nothing of it.
    const other = (await addProvider(t.ctx, 'Another Provider', ['*'])).apiKey;
    await request(t.app).get('/api/v1/pathways/home-care-basics').set(auth(other)).expect(404);
    expect((await request(t.app).get('/api/v1/pathways').set(auth(other)).expect(200)).body.items).toEqual([]);
  });
});

describe('completing a pathway', () => {
  it('awards the capstone once the last step is complete, with the components as evidence, and never twice', async () => {
    const intro = await award('pw-intro', 'maria.rossi@example.org');
    const a = await award('pw-care-a', 'maria.rossi@example.org');
    expect(await capstonesOf('pw-capstone')).toEqual([]);
    const c = await award('pw-care-c', 'Maria.Rossi@Example.org');
    const capstones = await capstonesOf('pw-capstone');
    expect(capstones).toHaveLength(1);
    const capstone = JSON.parse(capstones[0]!.document) as Json;
    expect(capstone.credentialSubject.achievement.name).toBe('Badge pw-capstone (it)');
    expect(capstone.credentialSubject.identifier[0].identityType).toBe('emailAddress');
    expect(capstone.evidence.map((e: Json) => e.id)).toEqual([intro.url, a.url, c.url]);
    expect(capstone.credentialSubject.narrative).toBe('Ha completato il percorso di apprendimento «Home care basics».');
    // It verifies, and it is e-mailed to the learner like any award.
    expect((await request(t.app).post('/verify').send(capstone).expect(200)).body.verdict).toBe('verified');
    expect(await t.ctx.storage.outbox.deliveryOf([capstones[0]!.id])).toMatchObject([{ state: 'queued' }]);
    // A further badge of the pathway awards nothing more.
    await award('pw-care-b', 'maria.rossi@example.org');
    expect(await capstonesOf('pw-capstone')).toHaveLength(1);
    const completions = (await request(t.app).get('/api/v1/pathways/home-care-basics/completions').set(auth()).expect(200)).body.items;
    expect(completions).toEqual([expect.objectContaining({ state: 'awarded', credential: `https://badges.example.org/credentials/${capstones[0]!.id}`, components: [intro.url, a.url, c.url] })]);
    expect(completions[0].recipient).toBeUndefined();
  });

  it('counts only badges that hold: a revoked one does not complete a step', async () => {
    await award('pw-intro', 'ana@example.org');
    const a = await award('pw-care-a', 'ana@example.org');
    await request(t.app).post(`/api/v1/credentials/${a.id}/revoke`).set(auth()).send({ reason: 'awarded by mistake' }).expect(200);
    const before = (await capstonesOf('pw-capstone')).length;
    await award('pw-care-b', 'ana@example.org');
    expect(await capstonesOf('pw-capstone')).toHaveLength(before);
    await award('pw-care-c', 'ana@example.org');
    expect(await capstonesOf('pw-capstone')).toHaveLength(before + 1);
  });

  it('waits for a coordinator when the pathway asks for approval: approved once, or declined and its address forgotten', async () => {
    const current = (await request(t.app).get('/api/v1/pathways/home-care-basics').set(auth()).expect(200)).body;
    await request(t.app).put('/api/v1/pathways/home-care-basics').set(auth()).set('If-Match', `"${current.version}"`).send({ ...current.definition, completion: 'approval' }).expect(200);
    const before = (await capstonesOf('pw-capstone')).length;
    for (const email of ['ion@example.org', 'elena@example.org']) for (const slug of ['pw-intro', 'pw-care-a', 'pw-care-b']) await award(slug, email);
    expect(await capstonesOf('pw-capstone')).toHaveLength(before);
    const pending = (await request(t.app).get('/api/v1/pathways/home-care-basics/completions?state=pending').set(auth()).expect(200)).body.items as Json[];
    expect(pending.map((p) => p.recipient.email).sort()).toEqual(['elena@example.org', 'ion@example.org']);
    const ion = pending.find((p) => p.recipient.email === 'ion@example.org')!;
    const elena = pending.find((p) => p.recipient.email === 'elena@example.org')!;

    const approved = await request(t.app).post(`/api/v1/pathways/home-care-basics/completions/${ion.id}/approve`).set(auth()).expect(200);
    expect(approved.body).toMatchObject({ state: 'awarded', credential: expect.stringContaining('/credentials/') });
    expect(approved.body.recipient).toBeUndefined();
    expect(await capstonesOf('pw-capstone')).toHaveLength(before + 1);
    expect((await request(t.app).post(`/api/v1/pathways/home-care-basics/completions/${ion.id}/approve`).set(auth()).expect(409)).body.error.code).toBe('completion_decided');

    await request(t.app).post(`/api/v1/pathways/home-care-basics/completions/${elena.id}/decline`).set(auth()).expect(200);
    const row = (await rawQuery(t, `select state, award from pathway_completions where id = '${elena.id}'`))[0]!;
    expect(row).toEqual({ state: 'declined', award: null });
    expect(await capstonesOf('pw-capstone')).toHaveLength(before + 1);
    await request(t.app).post(`/api/v1/pathways/home-care-basics/completions/${elena.id}/approve`).set(auth()).expect(409);
    await request(t.app).post('/api/v1/pathways/home-care-basics/completions/nope/approve').set(auth()).expect(404);
  });

  it('gives no second capstone to a learner who already holds it from another pathway', async () => {
    await request(t.app).post('/api/v1/pathways').set(auth()).send({ ...PATHWAY, slug: 'home-care-refresher', steps: [{ badgeClasses: ['pw-care-b'] }] }).expect(201);
    const before = await capstonesOf('pw-capstone');
    const maria = learnerKey(t.ctx.secrets, t.ctx.instance.id, 'maria.rossi@example.org');
    const held = (await t.ctx.storage.pathways.completionOf('home-care-basics', maria))!.credentialId;
    await award('pw-care-b', 'maria.rossi@example.org');
    expect(await capstonesOf('pw-capstone')).toEqual(before);
    expect(await t.ctx.storage.pathways.completionOf('home-care-refresher', maria)).toMatchObject({ state: 'awarded', credentialId: held });
  });

  it('forgets a pending completion (and the address it holds) when the learner\'s badge is erased', async () => {
    for (const slug of ['pw-intro', 'pw-care-a']) await award(slug, 'luca@example.org');
    const last = await award('pw-care-c', 'luca@example.org');
    const key = learnerKey(t.ctx.secrets, t.ctx.instance.id, 'luca@example.org');
    expect(await t.ctx.storage.pathways.completionOf('home-care-basics', key)).toMatchObject({ state: 'pending' });
    await request(t.app).delete(`/api/v1/credentials/${last.id}`).set(auth()).expect(200);
    expect(await t.ctx.storage.pathways.completionOf('home-care-basics', key)).toBeUndefined();
    expect(JSON.stringify(await rawQuery(t, 'select * from pathway_completions'))).not.toContain('luca@example.org');
  });
});

describe('pages', () => {
  it('shows the pathway publicly, as a page and as JSON', async () => {
    const list = await request(t.app).get('/pathways?lang=ro').expect(200);
    expect(list.text).toContain('Bazele îngrijirii la domiciliu');
    const page = await request(t.app).get('/pathways/home-care-basics?lang=en').expect(200);
    expect(page.text).toContain('Earn any 2 of these 3 badges:');
    expect(page.text).toContain('Badge pw-capstone');
    expect(page.text).toContain('/frameworks/digcomp-2.2/2.1');
    const json = await request(t.app).get('/pathways/home-care-basics').set('Accept', 'application/json').expect(200);
    expect(json.body).toMatchObject({ slug: 'home-care-basics', capstone: 'pw-capstone', organisation: { name: 'Test Care Academy' } });
    await request(t.app).get('/pathways/no-such-pathway').expect(404);
  });

  it("shows a learner their progress from their private link, and nothing from a link altered or another instance's", async () => {
    const key = learnerKey(t.ctx.secrets, t.ctx.instance.id, 'maria.rossi@example.org');
    const token = await t.ctx.progressLinks.tokenFor(t.ctx.instance.id, key);
    const res = await request(t.app).get(`/progress/${token}?lang=en`).expect(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.headers['x-robots-tag']).toBe('noindex, nofollow');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.text).toContain('2 of 2 steps done');
    expect(res.text).toContain('Pathway complete! You have earned: Badge pw-capstone.');
    expect(res.text).not.toContain('maria.rossi@example.org');
    const someoneNew = await t.ctx.progressLinks.tokenFor(t.ctx.instance.id, learnerKey(t.ctx.secrets, t.ctx.instance.id, 'nobody@example.org'));
    expect((await request(t.app).get(`/progress/${someoneNew}`).expect(200)).text).toContain('You have not started a learning pathway');
    const altered = token.slice(0, -3) + (token.endsWith('AAA') ? 'BBB' : 'AAA');
    await request(t.app).get(`/progress/${altered}`).expect(404);
    await request(t.app).get('/progress/not-a-token').expect(404);
  });
});
