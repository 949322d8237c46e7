import jsonld from 'jsonld';
import request from 'supertest';
import { EXAMPLE_BADGE_CLASS_INPUT } from '../../src/http/openapi/examples.js';
import { createDocumentLoader } from '../../src/jsonld/document-loader.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ob3SchemaErrors } from '../helpers/ob-schema.js';

/**
 * The EU micro-credential elements: written in the badge class, carried by the credential under an
 * extension context it embeds (signed like the rest, nothing fetched), checked by the OB 3.0 schema and
 * our verifier, documented at /vocab/micro-credential, and shown on the credential page in plain words.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

type Json = Record<string, any>;
const auth = () => ({ Authorization: `Bearer ${t.apiKey}` });
const MICRO_CREDENTIAL = {
  learningOutcomes: [
    { en: 'Gives first aid to an older person at home until help arrives.', it: 'Presta il primo soccorso a una persona anziana a casa finché arrivano i soccorsi.' },
    { en: 'Calls the emergency number and gives the right information.', it: 'Chiama il numero di emergenza e dà le informazioni giuste.' },
  ],
  workload: { hours: 8, ects: 0.5 },
  eqfLevel: 3,
  nqf: { country: 'IT', level: '3' },
  assessment: { types: ['practical', 'written'], description: { en: 'A practical test on a manikin and a short quiz.', it: 'Una prova pratica su manichino e un breve quiz.' } },
  participation: 'blended',
  qualityAssurance: { en: 'Internal quality assurance of the training provider.', it: 'Garanzia di qualità interna dell’ente di formazione.' },
  prerequisites: { en: 'None.', it: 'Nessuno.' },
  identityVerification: 'supervised-onsite-with-identity-check',
  stackability: { stackable: true, towards: { en: 'Home care basics', it: 'Basi dell’assistenza domiciliare' } },
};

let credential: Json;
let id: string;

it('is refused when it is not a valid set of elements', async () => {
  const bad = await request(t.app)
    .post('/api/v1/badge-classes')
    .set(auth())
    .send({ ...EXAMPLE_BADGE_CLASS_INPUT, slug: 'mc-bad', microCredential: { ...MICRO_CREDENTIAL, eqfLevel: 9, participation: 'by post' } })
    .expect(422);
  expect(bad.body.error.details.map((d: Json) => d.path).sort()).toEqual(['microCredential.eqfLevel', 'microCredential.participation']);
});

it('goes into the credential under the embedded extension context, and the credential verifies', async () => {
  await request(t.app).post('/api/v1/badge-classes').set(auth()).send({ ...EXAMPLE_BADGE_CLASS_INPUT, slug: 'mc-first-aid', microCredential: MICRO_CREDENTIAL }).expect(201);
  const res = await request(t.app).post('/api/v1/credentials').set(auth()).send({ badgeClass: 'mc-first-aid', recipient: { email: 'maria.rossi@example.org', name: 'Maria Rossi' }, language: 'it' }).expect(201);
  ({ credential, id } = res.body);
  const context = credential['@context'];
  expect(context.slice(0, 3)).toEqual(['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json', 'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json']);
  expect(context[3].microCredential).toBe('https://badges.example.org/vocab/micro-credential#microCredential');
  const achievement = credential.credentialSubject.achievement;
  expect(achievement.creditsAvailable).toBe(0.5);
  expect(achievement.microCredential).toEqual({
    type: 'MicroCredentialDescription',
    learningOutcome: ['Presta il primo soccorso a una persona anziana a casa finché arrivano i soccorsi.', 'Chiama il numero di emergenza e dà le informazioni giuste.'],
    workloadHours: 8,
    ectsCredits: 0.5,
    eqfLevel: 'http://data.europa.eu/snb/eqf/3',
    nqfCountry: 'IT',
    nqfLevel: '3',
    assessmentType: ['practical', 'written'],
    assessmentDescription: 'Una prova pratica su manichino e un breve quiz.',
    participationForm: 'blended',
    qualityAssurance: 'Garanzia di qualità interna dell’ente di formazione.',
    prerequisites: 'Nessuno.',
    identityVerification: 'supervised-onsite-with-identity-check',
    stackable: true,
    stackableTowards: 'Basi dell’assistenza domiciliare',
  });
  expect(ob3SchemaErrors(credential)).toEqual([]);
  expect((await request(t.app).post('/verify').send(credential).expect(200)).body.verdict).toBe('verified');
  // The elements are signed: changing one breaks the proof.
  const changed = structuredClone(credential);
  changed.credentialSubject.achievement.microCredential.workloadHours = 80;
  expect((await request(t.app).post('/verify').send(changed).expect(200)).body.verdict).toBe('failed');
});

it('expands in safe mode to the documented vocabulary, which the instance serves', async () => {
  const { proof: _proof, ...unsigned } = credential;
  const expanded = (await jsonld.expand(unsigned, { documentLoader: createDocumentLoader([]) as never, safe: true } as never)) as Json[];
  const achievement = expanded[0]!['https://www.w3.org/2018/credentials#credentialSubject'][0]['https://purl.imsglobal.org/spec/vc/ob/vocab.html#achievement'][0];
  const mc = achievement['https://badges.example.org/vocab/micro-credential#microCredential'][0];
  expect(mc['@type']).toEqual(['https://badges.example.org/vocab/micro-credential#MicroCredentialDescription']);
  expect(mc['https://badges.example.org/vocab/micro-credential#eqfLevel']).toEqual([{ '@id': 'http://data.europa.eu/snb/eqf/3' }]);
  const vocab = await request(t.app).get('/vocab/micro-credential').expect(200);
  expect(vocab.headers['content-type']).toMatch(/^application\/ld\+json/);
  const terms = JSON.parse(vocab.text)['@graph'].map((g: Json) => g['@id'].split('#')[1]);
  for (const term of Object.keys(credential['@context'][3])) expect(terms).toContain(term);
});

it('is shown on the credential page in plain words, in the page\'s language', async () => {
  const page = (await request(t.app).get(`/credentials/${id}`).set('Accept', 'text/html').expect(200)).text;
  expect(page).toContain('About this micro-credential');
  expect(page).toContain('8 hours of learning · 0.5 ECTS credits');
  expect(page).toContain('European Qualifications Framework (EQF): level 3 · National qualifications framework (IT): level 3');
  expect(page).toContain('Practical test, written test.');
  expect(page).toContain('Blended: online and in person');
  expect(page).toContain('Supervised in person, with an identity check');
  expect(page).toMatch(/<ul lang="it"><li>Presta il primo soccorso/);
  await request(t.app).post('/api/v1/badge-classes').set(auth()).send({ ...EXAMPLE_BADGE_CLASS_INPUT, slug: 'plain-first-aid' }).expect(201);
  const plain = (await request(t.app).post('/api/v1/credentials').set(auth()).send({ badgeClass: 'plain-first-aid', recipient: { email: 'x@example.org' } }).expect(201)).body;
  expect(plain.credential['@context']).toHaveLength(3);
  const other = (await request(t.app).get(`/credentials/${plain.id}`).set('Accept', 'text/html').expect(200)).text;
  expect(other).not.toContain('About this micro-credential');
});
