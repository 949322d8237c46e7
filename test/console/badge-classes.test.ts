import request from 'supertest';
import { addProvider } from '../../src/organisations/api-keys.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ConsoleBrowser } from '../helpers/console.js';

/**
 * Badge classes defined in the console: a form in several languages with a preview, versions on each
 * change (awarded credentials keep theirs), archiving, consortium partners allowed to award.
 */
let t: TestApp;
let issuer: ConsoleBrowser;
beforeAll(async () => {
  t = await startTestApp();
  await t.ctx.accounts.createUser({ email: 'issuer@example.org', password: 'rilascio i badge ogni giorno', name: 'Ida', orgId: t.ctx.instance.id, role: 'issuer' });
  issuer = new ConsoleBrowser(t.app);
  await issuer.signIn('issuer@example.org', 'rilascio i badge ogni giorno');
});
afterAll(() => t.close());

const FIELDS = {
  slug: 'first-aid-at-home',
  achievementType: 'MicroCredential',
  'proficiencyLevel.framework': 'EQF',
  'proficiencyLevel.code': '3',
  validityPeriod: 'P3Y',
  'name.en': 'First aid at home',
  'description.en': 'Knows what to do in the first minutes of an emergency at home.',
  'criteria.narrative.en': '- completed the 8-hour course\n- passed the practical test',
  'proficiencyLevel.name.en': 'Foundation',
  'name.it': 'Primo soccorso a domicilio',
  'description.it': 'Sa cosa fare nei primi minuti di un’emergenza in casa.',
  'criteria.narrative.it': '- ha completato il corso di 8 ore\n- ha superato la prova pratica',
  'proficiencyLevel.name.it': 'Base',
  'alignments.0.targetFramework': 'ESCO',
  'alignments.0.targetCode': 'S1.5.1',
  'alignments.0.targetUrl': 'http://data.europa.eu/esco/skill/1d21f6ad-340f-45da-a0a3-4e83867f47a6',
  'alignments.0.targetName.en': 'provide first aid',
  'alignments.0.targetName.it': 'prestare il primo soccorso',
  'design.label': 'CARER+',
  'design.colour': '#1f4e79',
};

describe('defining a badge', () => {
  it('previews the badge without saving it, then saves it in two languages as version 1', async () => {
    await issuer.get('/console/badge-classes/new');
    const preview = await issuer.postMultipart('/console/badge-classes/new', { ...FIELDS, action: 'preview' });
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('How the badge will look');
    expect(preview.text).toMatch(/<img class="hero__image" src="data:image\/svg\+xml;base64,/);
    expect(t.ctx.catalog.get('first-aid-at-home')).toBeUndefined();

    const saved = await issuer.postMultipart('/console/badge-classes/new', { ...FIELDS, action: 'save' });
    expect(saved.status).toBe(303);
    const entry = t.ctx.catalog.get('first-aid-at-home')!;
    expect(entry).toMatchObject({ orgId: t.ctx.instance.id, version: 1, languages: ['en', 'it'], archived: false });
    expect(entry.badgeClass.name.it).toBe('Primo soccorso a domicilio');
    expect(entry.badgeClass.criteria.narrative.en).toBe('- completed the 8-hour course\n- passed the practical test');

    // The Achievement is served in both languages, and its drawn image in each.
    const it = await request(t.app).get('/achievements/first-aid-at-home?lang=it').expect(200);
    expect(JSON.parse(it.text).name).toBe('Primo soccorso a domicilio');
    const svg = (await request(t.app).get('/achievements/first-aid-at-home/image.svg?lang=it').expect(200)).body.toString();
    expect(svg).toContain('Primo soccorso');
    expect(svg).toContain('#1f4e79');
  });

  it('marks each field the schema refuses, keeps what was typed, and saves nothing', async () => {
    await issuer.get('/console/badge-classes/new');
    const res = await issuer.postMultipart('/console/badge-classes/new', {
      ...FIELDS,
      slug: 'Not A Slug',
      'name.en': '',
      'design.colour': '#ffff00',
      action: 'save',
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Some fields need your attention');
    expect(res.text).toMatch(/id="f-slug"[^>]*aria-invalid="true"/);
    expect(res.text).toMatch(/id="f-name-en"[^>]*aria-invalid="true"/);
    expect(res.text).toContain('must be dark enough for white text');
    expect(res.text).toContain('value="Primo soccorso a domicilio"');
    expect(t.ctx.catalog.get('not-a-slug')).toBeUndefined();
  });

  it('refuses an SVG image with a script, and keeps a PNG that decodes', async () => {
    await issuer.get('/console/badge-classes/new');
    const evil = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><circle r="5"/></svg>');
    const refused = await issuer.postMultipart('/console/badge-classes/new', { ...FIELDS, slug: 'with-script', action: 'save' }, { image: { data: evil, filename: 'b.svg', contentType: 'image/svg+xml' } });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('not &lt;script&gt;');
    expect(t.ctx.catalog.get('with-script')).toBeUndefined();
  });

  it('makes a new version on each change; a credential awarded before keeps its version', async () => {
    const before = await request(t.app)
      .post('/api/v1/credentials')
      .set('Authorization', `Bearer ${t.apiKey}`)
      .send({ badgeClass: 'first-aid-at-home', recipient: { email: 'l@example.org' }, language: 'it' })
      .expect(201);
    await issuer.get('/console/badge-classes/first-aid-at-home/edit');
    const edit = await issuer.get('/console/badge-classes/first-aid-at-home/edit');
    expect(edit.text).toContain('value="Primo soccorso a domicilio"');
    const changed = await issuer.postMultipart('/console/badge-classes/first-aid-at-home/edit', {
      ...FIELDS,
      expectedVersion: '1',
      'name.it': 'Primo soccorso in casa',
      action: 'save',
    });
    expect(changed.status).toBe(303);
    expect(t.ctx.catalog.get('first-aid-at-home')).toMatchObject({ version: 2 });
    expect((await t.ctx.catalog.versions('first-aid-at-home')).map((v) => v.version)).toEqual([1, 2]);
    // Saving again from the page of version 1 would undo someone's change: refused.
    const stale = await issuer.postMultipart('/console/badge-classes/first-aid-at-home/edit', { ...FIELDS, expectedVersion: '1', action: 'save' });
    expect(stale.status).toBe(409);
    // The earlier credential is served as it was awarded.
    const served = JSON.parse((await request(t.app).get(`/credentials/${before.body.id}`).set('Accept', 'application/ld+json').expect(200)).text);
    expect(served.credentialSubject.achievement.name).toBe('Primo soccorso a domicilio');
  });

  it('takes the EU micro-credential elements and the renewal rule, says what is missing, and keeps them through an edit', async () => {
    const MC = {
      'renewal.method': 'reassessment',
      'microCredential.workload.hours': '8',
      'microCredential.workload.ects': '0,5',
      'microCredential.eqfLevel': '3',
      'microCredential.assessment.types.0': 'practical',
      'microCredential.assessment.types.4': 'portfolio',
      'microCredential.participation': 'blended',
      'microCredential.identityVerification': 'supervised-onsite-with-identity-check',
      'microCredential.stackability.stackable': 'false',
      'microCredential.learningOutcomes.0.en': 'Gives first aid at home until help arrives.',
      'microCredential.learningOutcomes.0.it': 'Presta il primo soccorso a casa finché arrivano i soccorsi.',
      'microCredential.learningOutcomes.2.en': 'Calls the emergency number.',
      'microCredential.qualityAssurance.en': 'Internal quality assurance of the provider.',
    };
    await issuer.get('/console/badge-classes/new');
    const missing = await issuer.postMultipart('/console/badge-classes/new', { ...FIELDS, slug: 'mc-first-aid', 'microCredential.workload.hours': '8', action: 'save' });
    expect(missing.status).toBe(422);
    expect(missing.text).toMatch(/id="f-microCredential-learningOutcomes-0-en"[^>]*aria-invalid="true"/);
    expect(missing.text).toMatch(/id="f-microCredential-participation"[^>]*aria-invalid="true"/);
    expect(missing.text).toContain('id="f-mc-types-error"');
    expect(t.ctx.catalog.get('mc-first-aid')).toBeUndefined();

    const saved = await issuer.postMultipart('/console/badge-classes/new', { ...FIELDS, ...MC, slug: 'mc-first-aid', action: 'save' });
    expect(saved.status).toBe(303);
    const { badgeClass } = t.ctx.catalog.get('mc-first-aid')!;
    expect(badgeClass.renewal).toEqual({ method: 'reassessment' });
    expect(badgeClass.microCredential).toEqual({
      workload: { hours: 8, ects: 0.5 },
      eqfLevel: 3,
      assessment: { types: ['practical', 'portfolio'] },
      participation: 'blended',
      identityVerification: 'supervised-onsite-with-identity-check',
      stackability: { stackable: false },
      learningOutcomes: [{ en: 'Gives first aid at home until help arrives.', it: 'Presta il primo soccorso a casa finché arrivano i soccorsi.' }, { en: 'Calls the emergency number.' }],
      qualityAssurance: { en: 'Internal quality assurance of the provider.' },
    });
    // The edit form shows them as saved (the portfolio ticked in its own place), and saving again keeps them.
    const edit = (await issuer.get('/console/badge-classes/mc-first-aid/edit')).text;
    expect(edit).toMatch(/name="microCredential\.assessment\.types\.4" value="portfolio" checked/);
    expect(edit).not.toMatch(/type="hidden" name="microCredential/);
    expect(edit).toContain('value="Calls the emergency number."');
    const values = Object.fromEntries([...edit.matchAll(/<input type="(?:text|hidden|url)" value="([^"]*)" id="[^"]*" name="([^"]+)"/g)].map((m) => [m[2]!, m[1]!]));
    expect(values['microCredential.workload.hours']).toBe('8');
    const again = await issuer.postMultipart('/console/badge-classes/mc-first-aid/edit', { ...FIELDS, ...MC, 'microCredential.learningOutcomes.1.en': 'Calls the emergency number.', 'microCredential.learningOutcomes.2.en': '', slug: 'mc-first-aid', expectedVersion: '1', action: 'save' });
    expect(again.status).toBe(303);
    expect(t.ctx.catalog.get('mc-first-aid')!.badgeClass.microCredential).toEqual(badgeClass.microCredential);
  });

  it('archives a badge: it can no longer be awarded, and can be brought back', async () => {
    await issuer.get('/console/badge-classes');
    expect((await issuer.post('/console/badge-classes/first-aid-at-home/archive', {})).status).toBe(200);
    const refused = await request(t.app).post('/api/v1/credentials').set('Authorization', `Bearer ${t.apiKey}`).send({ badgeClass: 'first-aid-at-home', recipient: { email: 'l@example.org' } });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('badge_class_archived');
    expect((await issuer.post('/console/badge-classes/first-aid-at-home/unarchive', {})).status).toBe(200);
    await request(t.app).post('/api/v1/credentials').set('Authorization', `Bearer ${t.apiKey}`).send({ badgeClass: 'first-aid-at-home', recipient: { email: 'l@example.org' } }).expect(201);
  });

  it('lets a partner organisation award it only once allowed, and its page names both', async () => {
    const partner = await addProvider(t.ctx, 'WBS Training', ['*'], 'wbs-training');
    const award = () => request(t.app).post('/api/v1/credentials').set('Authorization', `Bearer ${partner.apiKey}`).send({ badgeClass: 'first-aid-at-home', recipient: { email: 'p@example.org' } });
    expect((await award()).status).toBe(403);
    await issuer.get('/console/badge-classes/first-aid-at-home/edit');
    expect((await issuer.post('/console/badge-classes/first-aid-at-home/awarders', { awarders: 'wbs-training' })).status).toBe(200);
    const res = await award();
    expect(res.status).toBe(201);
    expect(res.body.credential.issuer.name).toBe('WBS Training');
    expect(res.body.credential.credentialSubject.achievement.creator).toMatchObject({ id: t.ctx.instance.did, name: 'Test Care Academy' });
    const page = await request(t.app).get(`/credentials/${res.body.id}`).set('Accept', 'text/html').expect(200);
    expect(page.text).toContain('Issued by <span>WBS Training</span>');
    expect(page.text).toMatch(/Badge defined by <a href="[^"]*">Test Care Academy<\/a>/);
  });

  it('lets a viewer see badges but not define them', async () => {
    await t.ctx.accounts.createUser({ email: 'viewer@example.org', password: 'guardo soltanto, grazie', name: 'V', orgId: t.ctx.instance.id, role: 'viewer' });
    const viewer = new ConsoleBrowser(t.app);
    await viewer.signIn('viewer@example.org', 'guardo soltanto, grazie');
    const list = await viewer.get('/console/badge-classes');
    expect(list.status).toBe(200);
    expect(list.text).toContain('first-aid-at-home');
    expect(list.text).not.toContain('href="/console/badge-classes/new"');
    expect((await viewer.get('/console/badge-classes/new')).status).toBe(403);
  });
});

/** The fields a browser would send back from a page's form: inputs, textareas and selects with their values. */
function formOf(page: string): Record<string, string> {
  const unescape = (v: string) => v.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const out: Record<string, string> = {};
  for (const [tag] of page.matchAll(/<input\b[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(tag)?.[1];
    if (name && !/type="(submit|file|checkbox)"/.test(tag)) out[name] = unescape(/\bvalue="([^"]*)"/.exec(tag)?.[1] ?? '');
  }
  for (const m of page.matchAll(/<textarea\b[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) out[m[1]!] = unescape(m[2]!);
  for (const m of page.matchAll(/<select\b[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) out[m[1]!] = unescape(/<option value="([^"]*)" selected>/.exec(m[2]!)?.[1] ?? /<option value="([^"]*)"/.exec(m[2]!)?.[1] ?? '');
  return out;
}

describe('finding a competence in a framework, inside the form', () => {
  const BASE = Object.fromEntries(Object.entries({ ...FIELDS, slug: 'digital-care-diary' }).filter(([k]) => !k.startsWith('alignments.')));

  it('finds competences in the page\'s language and keeps what was typed', async () => {
    await issuer.get('/console/badge-classes/new?lang=it');
    const found = await issuer.postMultipart('/console/badge-classes/new?lang=it', { ...BASE, _competenceQuery: 'interagire', _competenceFramework: 'digcomp-2.2', action: 'find-competence' });
    expect(found.status).toBe(200);
    expect(found.text).toMatch(/Competenze trovate per «interagire»: [1-9]/);
    expect(found.text).toContain('value="add-competence:digcomp-2.2:2.1"');
    expect(formOf(found.text)['name.it']).toBe('Primo soccorso a domicilio');
    expect(t.ctx.catalog.get('digital-care-diary')).toBeUndefined();
  });

  it('adds the framework\'s competences row after row, once each, and saves them as the framework gives them', async () => {
    await issuer.get('/console/badge-classes/new?lang=en');
    const first = await issuer.postMultipart('/console/badge-classes/new?lang=en', { ...BASE, _competenceQuery: 'interact', action: 'add-competence:digcomp-2.2:2.1' });
    expect(first.status).toBe(200);
    expect(first.text).toContain('Added: 2.1 Interacting through digital technologies');
    const afterFirst = formOf(first.text);
    expect(afterFirst).toMatchObject({
      'alignments.0.targetFramework': 'DigComp 2.2',
      'alignments.0.targetCode': '2.1',
      'alignments.0.targetUrl': `${t.config.publicUrl}/frameworks/digcomp-2.2/2.1`,
      'alignments.0.targetName.de': 'Interagieren mithilfe digitaler Technologien',
      'alignments.0.targetType': 'ceasn:Competency',
      'name.en': 'First aid at home',
      _competenceQuery: 'interact',
    });
    const again = await issuer.postMultipart('/console/badge-classes/new?lang=en', { ...afterFirst, action: 'add-competence:digcomp-2.2:2.1' });
    expect(again.text).toContain('This competence is already in the list.');
    const second = await issuer.postMultipart('/console/badge-classes/new?lang=en', { ...afterFirst, action: 'add-competence:lifecomp:S1' });
    expect(second.text).toContain('Added: S1 Empathy');
    const afterSecond = formOf(second.text);
    expect(afterSecond['alignments.1.targetUrl']).toBe(`${t.config.publicUrl}/frameworks/lifecomp/S1`);
    expect((await issuer.postMultipart('/console/badge-classes/new?lang=en', { ...afterSecond, action: 'save' })).status).toBe(303);
    const saved = t.ctx.catalog.get('digital-care-diary')!.badgeClass.alignments;
    expect(saved.map((a) => [a.targetFramework, a.targetCode, a.targetUrl, a.targetType, Object.keys(a.targetName).length])).toEqual([
      ['DigComp 2.2', '2.1', `${t.config.publicUrl}/frameworks/digcomp-2.2/2.1`, 'ceasn:Competency', 7],
      ['LifeComp', 'S1', `${t.config.publicUrl}/frameworks/lifecomp/S1`, 'ceasn:Competency', 7],
    ]);
  });
});
