import request from 'supertest';
import { EXAMPLE_BADGE_CLASS_INPUT } from '../../src/http/openapi/examples.js';
import { EXAMPLE_FRAMEWORK } from '../../src/http/openapi/framework-schemas.js';
import { addProvider } from '../../src/organisations/api-keys.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

/**
 * An organisation's own competence framework (the CARER+ framework, I-CARE's intercultural
 * competences): defined over the API, published at /frameworks with a page per competence (its URI),
 * named by badge classes as DigComp's are, found by the console's competence search; another
 * organisation neither sees nor changes it through the API; archived, it is no longer offered, but what
 * links to it still resolves.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

type Json = Record<string, any>;
const auth = (key = t.apiKey) => ({ Authorization: `Bearer ${key}` });
const FRAMEWORK = EXAMPLE_FRAMEWORK;

it('is checked: its schema, a bundled framework\'s slug, codes given twice', async () => {
  const bad = await request(t.app).post('/api/v1/frameworks').set(auth()).send({ ...FRAMEWORK, competences: [FRAMEWORK.competences[0], FRAMEWORK.competences[0]] }).expect(422);
  expect(bad.body.error.details[0]).toEqual({ path: 'competences[1].code', message: expect.stringContaining('given twice') });
  const taken = await request(t.app).post('/api/v1/frameworks').set(auth()).send({ ...FRAMEWORK, slug: 'digcomp-2.2' }).expect(409);
  expect(taken.body.error.code).toBe('framework_exists');
});

it('is defined over the API and published, each competence at its own address', async () => {
  const created = await request(t.app).post('/api/v1/frameworks').set(auth()).send(FRAMEWORK).expect(201);
  expect(created.headers.etag).toBe('"1"');
  expect(created.body).toMatchObject({ slug: 'carer-plus-framework', version: 1, archived: false, page: 'https://badges.example.org/frameworks/carer-plus-framework' });
  expect(created.body.definition.source).toBe('https://badges.example.org/frameworks/carer-plus-framework');
  const list = (await request(t.app).get('/frameworks?lang=it').expect(200)).text;
  expect(list).toContain('Quadro delle competenze CARER+');
  const competence = await request(t.app).get('/frameworks/carer-plus-framework/DC1').set('Accept', 'application/json').expect(200);
  expect(JSON.stringify(competence.body)).toContain('Communicating with families through digital tools');
});

it('is named by a badge class as a bundled framework is, and found by the competence search', async () => {
  const badge = await request(t.app)
    .post('/api/v1/badge-classes')
    .set(auth())
    .send({ ...EXAMPLE_BADGE_CLASS_INPUT, slug: 'digital-family-contact', alignments: [{ framework: 'carer-plus-framework', code: 'DC1' }] })
    .expect(201);
  expect(badge.body.definition.alignments[0]).toMatchObject({
    targetFramework: 'CARER+',
    targetCode: 'DC1',
    targetName: { en: 'Communicating with families through digital tools', it: 'Comunicare con le famiglie con strumenti digitali' },
    targetUrl: 'https://badges.example.org/frameworks/carer-plus-framework/DC1',
  });
  expect(t.ctx.frameworks.search('famiglie', 'it').map((f) => `${f.framework.slug} ${f.competence.code}`)).toContain('carer-plus-framework DC1');
  expect(t.ctx.frameworks.byUri('https://badges.example.org/frameworks/carer-plus-framework/DC1')?.competence.code).toBe('DC1');
});

it('is changed with If-Match, and only by its organisation with a key for all its badge classes', async () => {
  const other = (await addProvider(t.ctx, 'Another Provider', ['*'])).apiKey;
  await request(t.app).get('/api/v1/frameworks/carer-plus-framework').set(auth(other)).expect(404);
  expect((await request(t.app).get('/api/v1/frameworks').set(auth(other)).expect(200)).body.items).toEqual([]);
  const scoped = (await t.ctx.apiKeys.addKey(t.ctx.instance.id, ['digital-family-contact']))!;
  expect((await request(t.app).put('/api/v1/frameworks/carer-plus-framework').set(auth(scoped)).set('If-Match', '"1"').send(FRAMEWORK).expect(403)).body.error.code).toBe('forbidden');
  await request(t.app).put('/api/v1/frameworks/carer-plus-framework').set(auth()).send(FRAMEWORK).expect(428);
  const added = { ...FRAMEWORK, competences: [...FRAMEWORK.competences, { code: 'DC3', name: { en: 'Using a tablet with an older person' } }] };
  const changed = await request(t.app).put('/api/v1/frameworks/carer-plus-framework').set(auth()).set('If-Match', '"1"').send(added).expect(200);
  expect(changed.body.version).toBe(2);
  expect((await request(t.app).put('/api/v1/frameworks/carer-plus-framework').set(auth()).set('If-Match', '"1"').send(added).expect(409)).body.error.code).toBe('framework_changed');
  expect(t.ctx.frameworks.find({ framework: 'carer-plus-framework', code: 'DC3' })?.competence.name.en).toBe('Using a tablet with an older person');
});

it('archived, is no longer offered, but what links to it still resolves', async () => {
  const archived = await request(t.app).post('/api/v1/frameworks/carer-plus-framework/archive').set(auth()).expect(200);
  expect(archived.body.archived).toBe(true);
  expect(t.ctx.frameworks.list().map((f) => f.slug)).not.toContain('carer-plus-framework');
  expect(t.ctx.frameworks.search('famiglie', 'it')).toEqual([]);
  expect(t.ctx.frameworks.byUri('https://badges.example.org/frameworks/carer-plus-framework/DC1')?.competence.code).toBe('DC1');
  await request(t.app).post('/api/v1/frameworks/carer-plus-framework/unarchive').set(auth()).expect(200);
  expect(t.ctx.frameworks.list().map((f) => f.slug)).toContain('carer-plus-framework');
});
