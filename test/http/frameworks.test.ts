import request from 'supertest';
import { SUPPORTED_LANGUAGES } from '../../src/badge-classes/schema.js';
import { EXAMPLE_BADGE_CLASS_INPUT } from '../../src/http/openapi/examples.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

/**
 * The competence frameworks at `/frameworks`, each competence at its own address, and badge classes
 * that align to them by naming a competence: what is stored and signed is the framework's alignment.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());
const auth = () => ({ Authorization: `Bearer ${t.apiKey}` });

describe('the framework pages', () => {
  it.each(SUPPORTED_LANGUAGES)('lists the frameworks and finds a competence in %s', async (lang) => {
    const list = await request(t.app).get(`/frameworks?lang=${lang}`).expect(200);
    expect(list.headers['content-language']).toBe(lang);
    expect(list.text).toContain('href="/frameworks/digcomp-2.2?lang=' + lang + '"');
    expect(list.text).toContain('href="/frameworks/esco-care?lang=' + lang + '"');
    const digcomp = await request(t.app).get(`/frameworks/digcomp-2.2?lang=${lang}`).expect(200);
    // 21 competences and 8 levels, each named in the page's language.
    expect(digcomp.text.match(/<li id="[1-5]\.[1-6]">/g)).toHaveLength(21);
    expect(digcomp.text.match(/<tr id="level-[1-8]">/g)).toHaveLength(8);
    expect(digcomp.text).not.toContain('lang="en"><');
  });

  it('searches without JavaScript: a GET form, results linked to their pages', async () => {
    const res = await request(t.app).get('/frameworks?lang=it&q=interagire').expect(200);
    expect(res.text).toContain('href="/frameworks/digcomp-2.2/2.1?lang=it"');
    expect(res.text).toMatch(/Competenze che corrispondono a «interagire»: \d+/);
    expect((await request(t.app).get('/frameworks?q=zzzz-nothing').expect(200)).text).toContain('No competence matches');
  });

  it('gives a competence without a URI of its own a page, and its data as JSON', async () => {
    const page = await request(t.app).get('/frameworks/digcomp-2.2/2.1?lang=de').expect(200);
    expect(page.text).toContain('Interagieren mithilfe digitaler Technologien');
    expect(page.text).toContain(`${t.config.publicUrl}/frameworks/digcomp-2.2/2.1`);
    const json = await request(t.app).get('/frameworks/digcomp-2.2/2.1').set('Accept', 'application/json').expect(200);
    expect(json.body).toMatchObject({ id: `${t.config.publicUrl}/frameworks/digcomp-2.2/2.1`, code: '2.1', area: '2', framework: { slug: 'digcomp-2.2', name: 'DigComp 2.2' }, name: { en: 'Interacting through digital technologies' } });
  });

  it('links an ESCO concept to ESCO', async () => {
    const esco = (await request(t.app).get('/frameworks/esco-care').set('Accept', 'text/html').expect(200)).text;
    const code = /<li id="([^"]+)">/.exec(esco)![1]!;
    const json = (await request(t.app).get(`/frameworks/esco-care/${code}`).set('Accept', 'application/json').expect(200)).body;
    expect(json.id).toMatch(/^http:\/\/data\.europa\.eu\/esco\//);
    expect((await request(t.app).get(`/frameworks/esco-care/${code}`).expect(200)).text).toContain(`href="${json.id}"`);
  });

  it('answers 404 for a framework or competence it does not know', async () => {
    expect((await request(t.app).get('/frameworks/nope').set('Accept', 'application/json').expect(404)).body.error.code).toBe('not_found');
    expect((await request(t.app).get('/frameworks/digcomp-2.2/9.9').set('Accept', 'application/json').expect(404)).body.error.code).toBe('not_found');
  });
});

describe('badge classes that name a framework\'s competence', () => {
  const CLASS = { ...EXAMPLE_BADGE_CLASS_INPUT, slug: 'named-competences', alignments: [{ framework: 'digcomp-2.2', code: '2.1' }, { framework: 'lifecomp', code: 'S1' }] };

  it('store the framework\'s alignment, and its credentials link to the competence', async () => {
    const created = await request(t.app).post('/api/v1/badge-classes').set(auth()).send(CLASS).expect(201);
    expect(created.body.definition.alignments[0]).toMatchObject({ targetFramework: 'DigComp 2.2', targetCode: '2.1', targetUrl: `${t.config.publicUrl}/frameworks/digcomp-2.2/2.1`, targetType: 'ceasn:Competency' });
    expect(created.body.definition.alignments[1]).toMatchObject({ targetFramework: 'LifeComp', targetCode: 'S1', targetName: expect.objectContaining({ en: 'Empathy' }) });
    const issued = await request(t.app).post('/api/v1/credentials').set(auth()).send({ badgeClass: 'named-competences', recipient: { email: 'learner@example.org' } }).expect(201);
    const alignment = issued.body.credential.credentialSubject.achievement.alignment;
    expect(alignment.map((a: { targetUrl: string }) => a.targetUrl)).toEqual([`${t.config.publicUrl}/frameworks/digcomp-2.2/2.1`, `${t.config.publicUrl}/frameworks/lifecomp/S1`]);
    const report = (await request(t.app).post('/verify').send(issued.body.credential).expect(200)).body;
    expect(report).toMatchObject({ verdict: 'verified', verified: true });
  });

  it('refuse an unknown competence with its path', async () => {
    const res = await request(t.app).post('/api/v1/badge-classes').set(auth()).send({ ...CLASS, slug: 'unknown-competence', alignments: [{ framework: 'digcomp-2.2', code: '7.7' }] }).expect(422);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', details: [{ path: 'alignments.0', message: 'the framework "digcomp-2.2" has no competence "7.7"' }] });
  });
});
