import request from 'supertest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ConsoleBrowser } from '../helpers/console.js';

/**
 * Self-assessments authored in the console: statements per competence in each language, the
 * organisation's pathways to recommend from, level names; published at /profile; their anonymous
 * counts read in the console, numbers only.
 */
let t: TestApp;
let issuer: ConsoleBrowser;
let viewer: ConsoleBrowser;
beforeAll(async () => {
  t = await startTestApp();
  await t.ctx.accounts.createUser({ email: 'issuer@example.org', password: 'rilascio i badge ogni giorno', name: 'Ida', orgId: t.ctx.instance.id, role: 'issuer' });
  await t.ctx.accounts.createUser({ email: 'viewer@example.org', password: 'guardo soltanto ogni giorno', name: 'Vera', orgId: t.ctx.instance.id, role: 'viewer' });
  issuer = new ConsoleBrowser(t.app);
  await issuer.signIn('issuer@example.org', 'rilascio i badge ogni giorno');
  viewer = new ConsoleBrowser(t.app);
  await viewer.signIn('viewer@example.org', 'guardo soltanto ogni giorno');
});
afterAll(() => t.close());

const FIELDS = {
  slug: 'first-steps-digital',
  'title.en': 'First steps with digital care',
  'title.ro': 'Primii pași în îngrijirea digitală',
  'intro.en': 'Five minutes, nothing kept unless you ask.',
  'competences.0.ref': 'digcomp-2.2 2.1',
  'competences.0.questions.0.en': 'I can make a video call with a tablet.',
  'competences.0.questions.0.ro': 'Pot face un apel video cu o tabletă.',
  'competences.1.ref': 'digcomp-2.2 4.2',
  'competences.1.questions.0.en': 'I can keep a person’s health information private on a phone.',
  'competences.1.questions.1.en': 'I can explain to a family who sees the data of a smart sensor.',
};

describe('self-assessments in the console', () => {
  it('offers the organisation\'s pathways and every known competence', async () => {
    const page = await issuer.get('/console/questionnaires/new');
    expect(page.status).toBe(200);
    const pathway = /name="(pathway\.\d+)" value="carer-plus-digital-carer-pathway"/.exec(page.text);
    expect(pathway).not.toBeNull();
    expect(page.text).toContain('<option value="esco-care 1d21f6ad">');
    expect(page.text).toContain('<optgroup label="DigComp 2.2">');
  });

  it('refuses one without a pathway or a statement, marking the fields', async () => {
    await issuer.get('/console/questionnaires/new');
    const res = await issuer.post('/console/questionnaires/new', { ...FIELDS, 'competences.1.questions.0.en': '', 'competences.1.questions.1.en': '' });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/id="f-pathways-error"/);
    expect(res.text).toContain('value="I can make a video call with a tablet."');
    expect(t.ctx.profiling.questionnaires.get('first-steps-digital')).toBeUndefined();
  });

  it('saves one, publishes it in each language it has, and changes it', async () => {
    const page = await issuer.get('/console/questionnaires/new');
    const pathway = /name="(pathway\.\d+)" value="carer-plus-digital-carer-pathway"/.exec(page.text)![1]!;
    const saved = await issuer.post('/console/questionnaires/new', { ...FIELDS, [pathway]: 'carer-plus-digital-carer-pathway', 'levels.0.en': 'None', 'levels.1.en': 'Foundation', 'levels.2.en': 'Intermediate', 'levels.3.en': 'Advanced' });
    expect(saved.status).toBe(303);
    const entry = t.ctx.profiling.questionnaires.get('first-steps-digital')!;
    expect(entry.definition).toMatchObject({
      pathways: ['carer-plus-digital-carer-pathway'],
      levels: [{ en: 'None' }, { en: 'Foundation' }, { en: 'Intermediate' }, { en: 'Advanced' }],
      competences: [
        { framework: 'digcomp-2.2', code: '2.1', questions: [{ en: 'I can make a video call with a tablet.', ro: 'Pot face un apel video cu o tabletă.' }] },
        { framework: 'digcomp-2.2', code: '4.2', questions: [{ en: 'I can keep a person’s health information private on a phone.' }, { en: 'I can explain to a family who sees the data of a smart sensor.' }] },
      ],
    });
    const ro = await request(t.app).get('/profile/first-steps-digital?lang=ro').expect(200);
    expect(ro.text).toContain('Pot face un apel video cu o tabletă.');
    const result = await request(t.app).post('/profile/first-steps-digital?lang=en').type('form').send({ c0q0: '1', c1q0: '3', c1q1: '3' }).expect(200);
    expect(result.text).toContain('Foundation');
    expect(result.text).toContain('Advanced');

    const form = await issuer.get('/console/questionnaires/first-steps-digital/edit');
    expect(form.text).toMatch(/<option value="digcomp-2\.2 4\.2" selected>/);
    expect(form.text).toMatch(/value="carer-plus-digital-carer-pathway" checked/);
    const changed = await issuer.post('/console/questionnaires/first-steps-digital/edit', { ...FIELDS, expectedVersion: '1', [pathway]: 'carer-plus-digital-carer-pathway', 'title.en': 'First steps' });
    expect(changed.status).toBe(303);
    expect(t.ctx.profiling.questionnaires.get('first-steps-digital')).toMatchObject({ version: 2, definition: { title: { en: 'First steps' } } });
  });

  it('shows the anonymous counts, numbers only, to anyone of the organisation', async () => {
    await request(t.app).post('/profile/first-steps-digital?lang=en').type('form').send({ c0q0: '0', c1q0: '2', c1q1: '2', count: '1' }).expect(200);
    await request(t.app).post('/profile/first-steps-digital?lang=en').type('form').send({ c0q0: '0', count: '1' }).expect(200);
    const counts = await viewer.get('/console/questionnaires/first-steps-digital/counts');
    expect(counts.status).toBe(200);
    expect(counts.text).toContain('Counted self-assessments: 2');
    expect(counts.text).toMatch(/Interacting through digital technologies<\/th><td data-label="[^"]+">2<\/td>/);
    const list = await viewer.get('/console/questionnaires');
    expect(list.text).toContain('First steps');
    expect(list.text).not.toContain('/console/questionnaires/first-steps-digital/edit');
    expect((await viewer.post('/console/questionnaires/first-steps-digital/archive', {})).status).toBe(403);
  });

  it('archives one: it leaves the public list', async () => {
    await issuer.get('/console/questionnaires');
    await issuer.post('/console/questionnaires/first-steps-digital/archive', {});
    await request(t.app).get('/profile/first-steps-digital').expect(404);
    expect((await request(t.app).get('/profile').expect(200)).text).not.toContain('first-steps-digital');
  });
});
