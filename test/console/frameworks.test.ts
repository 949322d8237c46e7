import { startTestApp, type TestApp } from '../helpers/app.js';
import { ConsoleBrowser } from '../helpers/console.js';

/**
 * An organisation's own competence framework in the console: defined with a form that works without
 * JavaScript (names per language, a row per competence), shown with what is wrong at its field,
 * changed without losing what the form does not show, archived; a viewer looks and changes nothing.
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
  slug: 'i-care-intercultural',
  shortName: 'I-CARE',
  publisher: 'I-CARE partnership',
  version: '1.0',
  'name.en': 'I-CARE intercultural competences',
  'name.it': 'Competenze interculturali I-CARE',
  'competences.0.code': 'IC1',
  'competences.0.name.en': 'Recognising one’s own cultural assumptions',
  'competences.0.name.it': 'Riconoscere i propri presupposti culturali',
  'competences.1.code': '',
  'competences.2.code': 'IC2',
  'competences.2.name.en': 'Bridging language barriers with the person cared for',
};

it('defines a framework from the form, and says what is wrong at its field', async () => {
  await issuer.get('/console/frameworks/new');
  const bad = await issuer.post('/console/frameworks/new', { ...FIELDS, 'competences.2.code': 'IC1' });
  expect(bad.status).toBe(422);
  expect(bad.text).toMatch(/id="f-competences-1-code"[^>]*aria-invalid="true"/);
  expect(bad.text).toContain('value="Riconoscere i propri presupposti culturali"');
  const saved = await issuer.post('/console/frameworks/new', FIELDS);
  expect(saved.status).toBe(303);
  const entry = t.ctx.frameworks.entry('i-care-intercultural')!;
  expect(entry.orgId).toBe(t.ctx.instance.id);
  expect(entry.definition.competences.map((c) => c.code)).toEqual(['IC1', 'IC2']);
  const list = (await issuer.get('/console/frameworks')).text;
  expect(list).toContain('I-CARE intercultural competences');
  expect(list).toContain('href="/frameworks/i-care-intercultural?lang=en"');
});

it('changes it, keeping what the form does not show', async () => {
  await t.ctx.frameworks.update('i-care-intercultural', { ...t.ctx.frameworks.entry('i-care-intercultural')!.definition, levels: [{ code: 'A', name: { en: 'Aware' } }] }, 1);
  const edit = await issuer.get('/console/frameworks/i-care-intercultural/edit');
  expect(edit.status).toBe(200);
  expect(edit.text).toContain('type="hidden" name="levels.0.name.en" value="Aware"');
  const changed = await issuer.post('/console/frameworks/i-care-intercultural/edit', { ...FIELDS, expectedVersion: '2', 'levels.0.code': 'A', 'levels.0.name.en': 'Aware', 'competences.2.name.en': 'Bridging language barriers' });
  expect(changed.status).toBe(303);
  const { definition, version } = t.ctx.frameworks.entry('i-care-intercultural')!;
  expect(version).toBe(3);
  expect(definition.levels).toEqual([{ code: 'A', name: { en: 'Aware' } }]);
  expect(definition.competences[1]!.name.en).toBe('Bridging language barriers');
  // Saving again from the page of version 2 would undo the change: refused, with the form kept.
  expect((await issuer.post('/console/frameworks/i-care-intercultural/edit', { ...FIELDS, expectedVersion: '2' })).status).toBe(409);
});

it('archives it; a viewer sees the list but neither the form nor the buttons', async () => {
  await issuer.get('/console/frameworks');
  expect((await issuer.post('/console/frameworks/i-care-intercultural/archive', {})).status).toBe(200);
  expect(t.ctx.frameworks.entry('i-care-intercultural')!.archived).toBe(true);
  const seen = await viewer.get('/console/frameworks');
  expect(seen.status).toBe(200);
  expect(seen.text).toContain('I-CARE intercultural competences');
  expect(seen.text).not.toContain('/console/frameworks/new');
  expect((await viewer.get('/console/frameworks/new')).status).toBe(403);
});
