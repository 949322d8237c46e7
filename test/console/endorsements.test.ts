import request from 'supertest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ConsoleBrowser } from '../helpers/console.js';

/** Endorsements from the console: an owner of a certification body endorses another organisation's badge, sees it in force, and withdraws it; an issuer may not. */
let t: TestApp;
let owner: ConsoleBrowser;
let issuer: ConsoleBrowser;
beforeAll(async () => {
  t = await startTestApp();
  const body = await t.ctx.organisations.create({ name: 'IPERIA', slug: 'iperia' });
  await t.ctx.accounts.createUser({ email: 'olga@iperia.example.org', password: 'una password da ricordare', name: 'Olga', orgId: body.id, role: 'owner' });
  await t.ctx.accounts.createUser({ email: 'ida@iperia.example.org', password: 'rilascio i badge ogni giorno', name: 'Ida', orgId: body.id, role: 'issuer' });
  owner = new ConsoleBrowser(t.app);
  await owner.signIn('olga@iperia.example.org', 'una password da ricordare');
  issuer = new ConsoleBrowser(t.app);
  await issuer.signIn('ida@iperia.example.org', 'rilascio i badge ogni giorno');
});
afterAll(() => t.close());

describe('endorsements in the console', () => {
  it('offers the badges of other organisations and the organisations, and refuses an empty statement', async () => {
    const page = await owner.get('/console/endorsements');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<option value="badge:track-alzheimers-informal-carer">');
    expect(page.text).toMatch(/<option value="org:[\w-]+">Test Care Academy<\/option>/);
    const res = await owner.post('/console/endorsements', { subject: 'badge:track-alzheimers-informal-carer', comment: ' ', language: 'it' });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/id="f-comment"[^>]*aria-invalid="true"/);
  });

  it('signs and publishes an endorsement, shown in force and embedded in the Achievement, and withdraws it', async () => {
    await owner.get('/console/endorsements');
    const res = await owner.post('/console/endorsements', { subject: 'badge:track-alzheimers-informal-carer', comment: 'Checked against the national standard.', language: 'it' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('The endorsement is signed and published.');
    expect(res.text).toContain('<q>Checked against the national standard.</q>');
    const achievement = JSON.parse((await request(t.app).get('/achievements/track-alzheimers-informal-carer').expect(200)).text);
    expect(achievement.endorsement[0]).toMatchObject({ issuer: { id: 'did:web:badges.example.org:orgs:iperia' }, credentialSubject: { endorsementComment: 'Checked against the national standard.' } });
    expect((await request(t.app).post('/verify').send(achievement.endorsement[0]).expect(200)).body.verdict).toBe('verified');
    const again = await owner.post('/console/endorsements', { subject: 'badge:track-alzheimers-informal-carer', comment: 'Twice.', language: 'en' });
    expect(again.status).toBe(409);
    const id = /action="\/console\/endorsements\/([\w-]+)\/withdraw"/.exec(again.text)![1];
    const withdrawn = await owner.post(`/console/endorsements/${id}/withdraw`, {});
    expect(withdrawn.text).toContain('The endorsement is withdrawn');
    expect(JSON.parse((await request(t.app).get('/achievements/track-alzheimers-informal-carer').expect(200)).text).endorsement).toBeUndefined();
  });

  it('is for owners only', async () => {
    expect((await issuer.get('/console/endorsements')).status).toBe(403);
  });
});
