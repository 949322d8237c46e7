import request from 'supertest';
import { addProvider } from '../../src/organisations/api-keys.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

/**
 * Endorsements: a certification body endorses another organisation's badge class, and an
 * organisation; each is an EndorsementCredential it signs, served at its id, verified by our verifier,
 * embedded in the Achievement and the Profile while in force, and gone from them once withdrawn.
 */
let t: TestApp;
let iperia: { apiKey: string; slug: string };
let casa: { apiKey: string; slug: string };
beforeAll(async () => {
  t = await startTestApp();
  iperia = { apiKey: (await addProvider(t.ctx, 'IPERIA', ['*'], 'iperia')).apiKey, slug: 'iperia' };
  casa = { apiKey: (await addProvider(t.ctx, 'Casa di Cura Roma', ['*'], 'casa-di-cura-roma')).apiKey, slug: 'casa-di-cura-roma' };
});
afterAll(() => t.close());

type Json = Record<string, any>;
const auth = (key: string) => ({ Authorization: `Bearer ${key}` });
const BADGE = 'track-alzheimers-informal-carer';
const endorse = (key: string, body: Json) => request(t.app).post('/api/v1/endorsements').set(auth(key)).send(body);

describe('endorsing a badge class', () => {
  let endorsement: Json;

  it('signs an EndorsementCredential of another organisation\'s badge class, served at its id', async () => {
    const res = await endorse(iperia.apiKey, { subject: { badgeClass: BADGE }, comment: 'Meets the certification standard for family carers.', language: 'it' }).expect(201);
    endorsement = res.body.credential;
    expect(res.headers.location).toBe(endorsement.id);
    expect(endorsement).toMatchObject({
      type: ['VerifiableCredential', 'EndorsementCredential'],
      issuer: { id: 'did:web:badges.example.org:orgs:iperia', name: 'IPERIA' },
      credentialSubject: { id: `https://badges.example.org/achievements/${BADGE}`, type: ['EndorsementSubject'], endorsementComment: 'Meets the certification standard for family carers.' },
    });
    const served = await request(t.app).get(new URL(endorsement.id).pathname).expect(200);
    expect(served.headers['content-type']).toMatch(/^application\/ld\+json/);
    expect(JSON.parse(served.text)).toEqual(endorsement);
    expect((await request(t.app).get('/api/v1/endorsements').set(auth(iperia.apiKey)).expect(200)).body.items).toEqual([expect.objectContaining({ url: endorsement.id, subjectKind: 'badge_class' })]);
  });

  it('verifies with our verifier, and a changed copy does not', async () => {
    const report = (await request(t.app).post('/verify').send(endorsement).expect(200)).body;
    expect(report).toMatchObject({ verified: true, verdict: 'verified', kind: 'endorsement' });
    const changed = { ...endorsement, credentialSubject: { ...endorsement.credentialSubject, endorsementComment: 'Outstanding in every way.' } };
    expect((await request(t.app).post('/verify').send(changed).expect(200)).body.verified).toBe(false);
  });

  it('is embedded in the badge class\'s Achievement, and shown on the page of every award of it, with who defined it and who awards it', async () => {
    const achievement = JSON.parse((await request(t.app).get(`/achievements/${BADGE}`).expect(200)).text);
    expect(achievement.endorsement).toEqual([endorsement]);
    // Awarded by a partner it is shared with: the page says who defined it, who awarded it, who endorses it.
    const issued = (await request(t.app).post('/api/v1/credentials').set(auth(casa.apiKey)).send({ badgeClass: BADGE, recipient: { email: 'maria@example.org' } }).expect(201)).body;
    const page = (await request(t.app).get(`/credentials/${issued.id}?lang=en`).set('Accept', 'text/html').expect(200)).text;
    expect(page).toContain('Who stands behind this badge');
    expect(page).toContain('Test Care Academy defined this badge and shares it with the training providers of this site; Casa di Cura Roma awarded it.');
    expect(page).toMatch(/IPERIA endorses this badge \([^)]+\): <q>Meets the certification standard for family carers.<\/q> <a href="https:\/\/badges\.example\.org\/endorsements\/[\w-]+">/);
  });

  it('refuses to endorse one\'s own badge, the same badge twice, or with a key scoped to some badges', async () => {
    const own = await request(t.app).post('/api/v1/endorsements').set(auth(t.apiKey)).send({ subject: { badgeClass: BADGE }, comment: 'Ours is good.' }).expect(422);
    expect(own.body.error.details[0].path).toBe('subject.badgeClass');
    expect((await endorse(iperia.apiKey, { subject: { badgeClass: BADGE }, comment: 'Again.' }).expect(409)).body.error.code).toBe('endorsement_exists');
    const scoped = (await t.ctx.apiKeys.addKey((await t.ctx.organisations.bySlug('iperia'))!.id, [BADGE]))!;
    expect((await endorse(scoped, { subject: { badgeClass: BADGE }, comment: 'x' }).expect(403)).body.error.code).toBe('forbidden');
    await endorse(iperia.apiKey, { subject: { badgeClass: 'no-such-badge' }, comment: 'x' }).expect(422);
  });

  it('endorses an organisation: its Profile carries the endorsement', async () => {
    const res = await endorse(iperia.apiKey, { subject: { organisation: casa.slug }, comment: 'An accredited training provider.' }).expect(201);
    expect(res.body.credential.credentialSubject.id).toBe('did:web:badges.example.org:orgs:casa-di-cura-roma');
    const profile = JSON.parse((await request(t.app).get(`/orgs/${casa.slug}`).expect(200)).text);
    expect(profile.endorsement.map((e: Json) => e.id)).toEqual([res.body.credential.id]);
    expect((await request(t.app).post('/verify').send(res.body.credential).expect(200)).body.verdict).toBe('verified');
    const issued = (await request(t.app).post('/api/v1/credentials').set(auth(casa.apiKey)).send({ badgeClass: BADGE, recipient: { email: 'ion@example.org' } }).expect(201)).body;
    const page = (await request(t.app).get(`/credentials/${issued.id}?lang=en`).set('Accept', 'text/html').expect(200)).text;
    expect(page).toMatch(/IPERIA endorses Casa di Cura Roma \([^)]+\): <q>An accredited training provider.<\/q>/);
  });

  it('withdraws an endorsement: it answers 410 and leaves the Achievement', async () => {
    const id = String(endorsement.id).split('/').pop();
    await request(t.app).delete(`/api/v1/endorsements/${id}`).set(auth(casa.apiKey)).expect(404);
    await request(t.app).delete(`/api/v1/endorsements/${id}`).set(auth(iperia.apiKey)).expect(200);
    expect((await request(t.app).get(`/endorsements/${id}`).expect(410)).body.error.code).toBe('endorsement_withdrawn');
    expect(JSON.parse((await request(t.app).get(`/achievements/${BADGE}`).expect(200)).text).endorsement).toBeUndefined();
    await request(t.app).get('/endorsements/no-such-id').expect(404);
  });
});
