import { readFileSync } from 'node:fs';
import jsonld from 'jsonld';
import { Parser } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';
import request from 'supertest';
import { ELM_CONTEXT, hoursToDuration } from '../../src/credentials/elm.js';
import { EXAMPLE_BADGE_CLASS_INPUT } from '../../src/http/openapi/examples.js';
import { BUNDLED_CONTEXTS } from '../../src/jsonld/contexts.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

/**
 * The Europass export: every award as a European Digital Credential (ELM 3), built from the stored
 * credential, validated against the European Learning Model's own SHACL shapes (the EDC application
 * profile, bundled in schemas/elm with its source) after JSON-LD expansion over the ELM's published
 * context in safe mode (so every term it uses is one the ELM defines). Offered on the credential page
 * "for Europass" when the issuer has given what an EDC must state; never for a revoked badge.
 */
let t: TestApp;
const shapes = new Parser().parse(readFileSync(new URL('../../schemas/elm/EDC-generic-no-cv.ttl', import.meta.url), 'utf8'));
const elmContext = JSON.parse(readFileSync(new URL('../../schemas/elm/edc-ap-context.jsonld', import.meta.url), 'utf8')) as unknown;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

type Json = Record<string, any>;
const auth = () => ({ Authorization: `Bearer ${t.apiKey}` });

/** Offline: the ELM context from schemas/elm, the W3C ones as the service bundles them, nothing else. */
const documentLoader = async (url: string) => {
  if (url === ELM_CONTEXT) return { contextUrl: null, documentUrl: url, document: elmContext };
  if (BUNDLED_CONTEXTS.has(url)) return { contextUrl: null, documentUrl: url, document: BUNDLED_CONTEXTS.get(url) };
  throw new Error(`no network: ${url}`);
};

async function shaclReport(document: Json) {
  const nquads = (await jsonld.toRDF(document, { format: 'application/n-quads', documentLoader, safe: true } as never)) as unknown as string;
  const data = new Parser({ format: 'N-Quads' }).parse(nquads);
  const validator = new SHACLValidator(shapes as never);
  const report = await validator.validate(validator.factory.dataset(data as never));
  return {
    conforms: report.conforms,
    quads: data.length,
    problems: report.results.map((r) => `${r.focusNode?.value} ${r.path?.value ?? ''}: ${r.message.map((m) => m.value).join('; ')}`),
  };
}

const MICRO_CREDENTIAL = {
  learningOutcomes: [{ en: 'Gives first aid to an older person at home.', ro: 'Acordă primul ajutor unei persoane vârstnice acasă.' }, { en: 'Calls the emergency number.', ro: 'Sună la numărul de urgență.' }],
  workload: { hours: 7.5, ects: 0.5 },
  eqfLevel: 3,
  assessment: { types: ['practical'], description: { en: 'A practical test.', ro: 'O probă practică.' } },
  participation: 'onsite',
  qualityAssurance: { en: 'Internal quality assurance of the provider.', ro: 'Asigurarea internă a calității furnizorului.' },
  prerequisites: { en: 'None.', ro: 'Niciuna.' },
};

let award: Json;

describe('without the issuer\'s country and legal identifier', () => {
  it('offers no export, and says what is missing', async () => {
    await request(t.app).post('/api/v1/badge-classes').set(auth()).send({ ...EXAMPLE_BADGE_CLASS_INPUT, name: { ...EXAMPLE_BADGE_CLASS_INPUT.name, ro: 'Prim ajutor la domiciliu' }, description: { ...EXAMPLE_BADGE_CLASS_INPUT.description, ro: 'Știe ce să facă în primele minute ale unei urgențe acasă.' }, criteria: { narrative: { ...EXAMPLE_BADGE_CLASS_INPUT.criteria.narrative, ro: '- a urmat cursul de 8 ore' } }, proficiencyLevel: { ...EXAMPLE_BADGE_CLASS_INPUT.proficiencyLevel, name: { ...EXAMPLE_BADGE_CLASS_INPUT.proficiencyLevel.name, ro: 'Bază' } }, alignments: EXAMPLE_BADGE_CLASS_INPUT.alignments.map((a) => ({ ...a, targetName: { ...a.targetName, ro: 'acordarea primului ajutor' } })), slug: 'europass-first-aid', validityPeriod: 'P3Y', microCredential: MICRO_CREDENTIAL }).expect(201);
    award = (await request(t.app).post('/api/v1/credentials').set(auth()).send({ badgeClass: 'europass-first-aid', recipient: { email: 'ioana.popescu@example.org', name: 'Ioana Popescu' }, language: 'ro' }).expect(201)).body;
    const res = await request(t.app).get(`/credentials/${award.id}/elm.json`).expect(409);
    expect(res.body.error.code).toBe('europass_unavailable');
    const page = (await request(t.app).get(`/credentials/${award.id}`).set('Accept', 'text/html').expect(200)).text;
    expect(page).not.toContain('/elm.json');
  });
});

describe('the European Digital Credential', () => {
  let elm: Json;

  it('is served for Europass once the issuer has given them, and offered on the page', async () => {
    await request(t.app)
      .patch('/api/v1/organisation')
      .set(auth())
      .send({ profile: { address: { addressLocality: 'Cluj-Napoca', addressCountryCode: 'RO' }, otherIdentifier: [{ identifier: 'RO12345678', identifierType: 'ext:VATNumber' }] } })
      .expect(200);
    const res = await request(t.app).get(`/credentials/${award.id}/elm.json`).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/ld\+json/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename=".+-europass\.jsonld"$/);
    elm = JSON.parse(res.text);
    const page = (await request(t.app).get(`/credentials/${award.id}?lang=ro`).set('Accept', 'text/html').expect(200)).text;
    expect(page).toContain(`href="https://badges.example.org/credentials/${award.id}/elm.json"`);
    expect(page).toContain('Europass');
  });

  it('says what the badge says, from the same record', async () => {
    expect(elm['@context']).toEqual(['https://www.w3.org/2018/credentials/v1', 'http://data.europa.eu/snb/model/context/edc-ap']);
    expect(elm.type).toEqual(['VerifiableCredential', 'EuropeanDigitalCredential']);
    expect(elm.issuer).toMatchObject({ id: award.credential.issuer.id, type: 'Organisation', legalName: { ro: 'Test Care Academy' }, eIDASIdentifier: { notation: 'RO12345678' } });
    expect(elm.issuer.location[0].address[0].countryCode.id).toBe('http://publications.europa.eu/resource/authority/country/ROU');
    expect([elm.issued, elm.validFrom, elm.validUntil]).toEqual([award.credential.validFrom, award.credential.validFrom, award.credential.validUntil]);
    const claim = elm.credentialSubject.hasClaim[0];
    expect(elm.credentialSubject.fullName).toEqual({ ro: 'Ioana Popescu' });
    expect(claim.title).toEqual({ ro: 'Prim ajutor la domiciliu' });
    expect(claim.awardedBy.awardingDate).toBe(award.credential.awardedDate);
    expect(claim.supplementaryDocument[0].contentURL).toBe(award.url);
    const spec = claim.specifiedBy;
    expect(spec.id).toBe('https://badges.example.org/achievements/europass-first-aid');
    expect(spec.learningOutcome.map((o: Json) => o.title.ro)).toEqual(['Acordă primul ajutor unei persoane vârstnice acasă.', 'Sună la numărul de urgență.']);
    expect(spec.volumeOfLearning).toBe('PT7H30M');
    expect(spec.creditPoint[0]).toMatchObject({ point: '0.5', framework: { id: 'http://data.europa.eu/snb/education-credit/6fcec5c5af' } });
    expect(spec.eqfLevel.id).toBe('http://data.europa.eu/snb/eqf/3');
    expect(spec.entryRequirement.noteLiteral).toEqual({ ro: 'Niciuna.' });
    // The badge image is the display, as a PNG.
    const image = elm.displayParameter.individualDisplay[0].displayDetail[0].image;
    expect(Buffer.from(image.content, 'base64').subarray(1, 4).toString()).toBe('PNG');
    expect(elm.displayParameter.primaryLanguage.id).toBe('http://publications.europa.eu/resource/authority/language/RON');
  });

  it('conforms to the ELM\'s published SHACL shapes, and the shapes do find what is missing', async () => {
    const report = await shaclReport(elm);
    expect(report.problems).toEqual([]);
    expect(report.conforms).toBe(true);
    expect(report.quads).toBeGreaterThan(100);
    // Without its legal identifier, or its awarding process, the same credential does not conform.
    const { eIDASIdentifier: _legal, ...issuer } = elm.issuer;
    const noLegal = await shaclReport({ ...elm, issuer });
    expect(noLegal.conforms).toBe(false);
    expect(noLegal.problems.join('\n')).toMatch(/IssuerNodeShape/);
    const noAward = structuredClone(elm);
    delete noAward.credentialSubject.hasClaim[0].awardedBy;
    const missing = await shaclReport(noAward);
    expect(missing.conforms).toBe(false);
    expect(missing.problems.join('\n')).toMatch(/awardedBy/);
  });

  it('is not given for a revoked badge', async () => {
    await request(t.app).post(`/api/v1/credentials/${award.id}/revoke`).set(auth()).send({ reason: 'Issued by mistake' }).expect(200);
    expect((await request(t.app).get(`/credentials/${award.id}/elm.json`).expect(410)).body.error.code).toBe('credential_revoked');
  });
});

it('writes hours as an ISO 8601 duration', () => {
  expect([hoursToDuration(8), hoursToDuration(1.5), hoursToDuration(0.25), hoursToDuration(120)]).toEqual(['PT8H', 'PT1H30M', 'PT15M', 'PT120H']);
});
