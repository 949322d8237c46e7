import request from 'supertest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ConsoleBrowser } from '../helpers/console.js';

/**
 * Learning pathways in the console: defined with a form that works without JavaScript (badge slots per
 * step, "any N", competences ticked from the organisation's badges), changed, archived; completions
 * awaiting approval approved or declined there; a viewer looks and changes nothing.
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
  slug: 'digital-home-care',
  type: 'non-formal',
  mode: 'online',
  hours: '30',
  completion: 'approval',
  'title.en': 'Digital home care',
  'title.ro': 'Îngrijire la domiciliu digitală',
  'description.en': 'For home-care workers who use a phone at work.',
  'entryLevel.en': 'No qualification needed.',
  'activities.0.en': 'Online modules',
  'steps.0.title.en': 'Start',
  'steps.0.badgeClasses.0': 'carer-plus-digital-communication',
  'steps.1.title.en': 'Choose two',
  'steps.1.badgeClasses.0': 'carer-plus-assistive-technology',
  'steps.1.badgeClasses.1': '',
  'steps.1.badgeClasses.2': 'carer-plus-online-safety',
  'steps.1.badgeClasses.3': 'carer-plus-digital-care-coordination',
  'steps.1.required': '2',
  capstone: 'carer-plus-digital-carer',
};

describe('pathways in the console', () => {
  it('offers every badge the organisation may award, and the competences they align to', async () => {
    const page = await issuer.get('/console/pathways/new');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<option value="carer-plus-digital-carer">');
    expect(page.text).toMatch(/name="competence\.\d+" value="digcomp-2\.2 2\.1"/);
    expect(page.text).toMatch(/name="competence\.\d+" value="esco-care [0-9a-f]{8}"/);
  });

  it('marks what is wrong at its field and keeps what was typed', async () => {
    await issuer.get('/console/pathways/new');
    const res = await issuer.post('/console/pathways/new', { ...FIELDS, slug: 'Not a slug', 'steps.1.required': '3', 'steps.1.badgeClasses.2': '', capstone: 'carer-plus-digital-communication' });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/id="f-slug"[^>]*aria-invalid="true"/);
    expect(res.text).toMatch(/id="f-steps-1-required"[^>]*aria-invalid="true"/);
    expect(res.text).toContain('the capstone');
    expect(res.text).toContain('value="Digital home care"');
    expect(t.ctx.pathways.get('digital-home-care')).toBeUndefined();
  });

  it('saves a pathway, "any 2 of 3" included, and shows it on its public page', async () => {
    await issuer.get('/console/pathways/new');
    const page = await issuer.get('/console/pathways/new');
    const competence = /name="(competence\.\d+)" value="(digcomp-2\.2 2\.1)"/.exec(page.text)!;
    const saved = await issuer.post('/console/pathways/new', { ...FIELDS, [competence[1]!]: competence[2]! });
    expect(saved.status).toBe(303);
    const entry = t.ctx.pathways.get('digital-home-care')!;
    expect(entry.orgId).toBe(t.ctx.instance.id);
    expect(entry.pathway).toMatchObject({
      hours: 30,
      completion: 'approval',
      activities: [{ en: 'Online modules' }],
      competences: [{ framework: 'digcomp-2.2', code: '2.1' }],
      steps: [
        { title: { en: 'Start' }, badgeClasses: ['carer-plus-digital-communication'] },
        { title: { en: 'Choose two' }, badgeClasses: ['carer-plus-assistive-technology', 'carer-plus-online-safety', 'carer-plus-digital-care-coordination'], required: 2 },
      ],
    });
    const list = await issuer.get('/console/pathways?saved=digital-home-care');
    expect(list.text).toContain('The pathway is saved.');
    expect(list.text).toContain('Digital home care');
    const ro = await request(t.app).get('/pathways/digital-home-care?lang=ro').expect(200);
    expect(ro.text).toContain('Îngrijire la domiciliu digitală');
  });

  it('changes it from its form, which shows what was saved', async () => {
    const form = await issuer.get('/console/pathways/digital-home-care/edit');
    expect(form.text).toMatch(/id="f-steps-1-required"[^>]*>[\s\S]*?<option value="2" selected>/);
    expect(form.text).toMatch(/value="digcomp-2\.2 2\.1" checked/);
    const res = await issuer.post('/console/pathways/digital-home-care/edit', { ...FIELDS, expectedVersion: '1', hours: '32' });
    expect(res.status).toBe(303);
    expect(t.ctx.pathways.get('digital-home-care')).toMatchObject({ version: 2, pathway: { hours: 32, competences: [] } });
    // A form opened before that change is refused, not saved over it.
    const stale = await issuer.post('/console/pathways/digital-home-care/edit', { ...FIELDS, expectedVersion: '1', hours: '99' });
    expect(stale.status).toBe(409);
    expect(t.ctx.pathways.get('digital-home-care')!.pathway.hours).toBe(32);
  });

  it('lists completions awaiting approval, approves one (the capstone is awarded) and declines another', async () => {
    const award = (slug: string, email: string, name: string) =>
      request(t.app).post('/api/v1/credentials').set('Authorization', `Bearer ${t.apiKey}`).send({ badgeClass: slug, recipient: { email, name }, notify: false }).expect(201);
    for (const [email, name] of [['ion@example.org', 'Ion Popescu'], ['eva@example.org', 'Eva Kalnina']] as const) {
      for (const slug of ['carer-plus-digital-communication', 'carer-plus-assistive-technology', 'carer-plus-online-safety']) await award(slug, email, name);
    }
    const list = await issuer.get('/console/pathways');
    expect(list.text).toContain('Ion Popescu (ion@example.org)');
    expect(list.text).toContain('Eva Kalnina (eva@example.org)');
    const ids = [...list.text.matchAll(/action="\/console\/pathways\/completions\/([\w-]+)\/approve"/g)].map((m) => m[1]!);
    expect(ids).toHaveLength(2);
    // A viewer sees them, without the buttons, and may not approve.
    const seen = await viewer.get('/console/pathways');
    expect(seen.text).toContain('Ion Popescu');
    expect(seen.text).not.toContain('/approve"');
    expect((await viewer.post(`/console/pathways/completions/${ids[0]}/approve`, {})).status).toBe(403);

    const completions = await t.ctx.progress.completions(t.ctx.instance.id, { state: 'pending', limit: 10 });
    const ion = completions.find((c) => (c.award?.recipient as { email: string }).email === 'ion@example.org')!;
    const eva = completions.find((c) => c !== ion)!;
    const approved = await issuer.post(`/console/pathways/completions/${ion.id}/approve`, {});
    expect(approved.text).toContain('Approved: the capstone badge was awarded.');
    const done = (await t.ctx.storage.pathways.completionById(t.ctx.instance.id, ion.id))!;
    expect(done).toMatchObject({ state: 'awarded', award: null, decidedBy: expect.stringMatching(/^user:/) });
    const capstone = JSON.parse((await t.ctx.storage.credentials.get(done.credentialId!))!.document) as { credentialSubject: { name: string; achievement: { id: string } } };
    expect(capstone.credentialSubject.name).toBe('Ion Popescu');
    expect(capstone.credentialSubject.achievement.id).toBe('https://badges.example.org/achievements/carer-plus-digital-carer');
    const declined = await issuer.post(`/console/pathways/completions/${eva.id}/decline`, {});
    expect(declined.text).toContain('Declined');
    expect((await issuer.get('/console/pathways')).text).toContain('No completion awaits approval.');
  });

  it('archives a pathway: its public page is gone, and it can come back', async () => {
    await issuer.get('/console/pathways');
    await issuer.post('/console/pathways/digital-home-care/archive', {});
    await request(t.app).get('/pathways/digital-home-care').expect(404);
    await issuer.post('/console/pathways/digital-home-care/unarchive', {});
    await request(t.app).get('/pathways/digital-home-care').expect(200);
  });
});
