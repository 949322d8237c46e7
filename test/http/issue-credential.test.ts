import { createHash } from 'node:crypto';
import { decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose';
import request from 'supertest';
import { startTestApp, PUBLIC_URL, type TestApp } from '../helpers/app.js';
import { ob3SchemaErrors } from '../helpers/ob-schema.js';
import { pathOf, verifyWithDigitalBazaar } from '../helpers/verify.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const auth = () => ({ Authorization: `Bearer ${t.apiKey}` });
const firstClass = () => t.ctx.catalog.list()[0]!.badgeClass;

async function issue(body: Record<string, unknown>) {
  return request(t.app).post('/api/v1/credentials').set(auth()).send(body);
}

describe('POST /api/v1/credentials', () => {
  it('returns 201 with the id, the public url, the signed credential and where its JWT is', async () => {
    const res = await issue({ badgeClass: firstClass().slug, recipient: { email: 'Learner@Example.org', name: 'Ana Pop' } });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(Object.keys(res.body).sort()).toEqual(['credential', 'id', 'jwtUrl', 'url']);
    expect(res.body.url).toBe(`${PUBLIC_URL}/credentials/${res.body.id}`);
    expect(res.body.jwtUrl).toBe(`${res.body.url}.jwt`);
    expect(res.body.credential.id).toBe(res.body.url);
    expect(res.headers.location).toBe(res.body.url);
  });

  it('with ?include=jwt signs the VC-JWT at once and answers with it', async () => {
    const res = await request(t.app).post('/api/v1/credentials?include=jwt').set(auth()).send({ badgeClass: firstClass().slug, recipient: { email: 'learner@example.org' } });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['credential', 'id', 'jwt', 'jwtUrl', 'url']);
    expect(res.body.jwt).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect((await t.ctx.storage.credentials.get(res.body.id))?.jwt).toBe(res.body.jwt);
    const fetched = await request(t.app).get(pathOf(res.body.jwtUrl)).expect(200);
    expect(fetched.text).toBe(res.body.jwt);
  });

  it('refuses an unknown ?include with 422 validation_failed', async () => {
    const res = await request(t.app).post('/api/v1/credentials?include=pdf').set(auth()).send({ badgeClass: firstClass().slug, recipient: { email: 'learner@example.org' } });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('validation_failed');
  });

  it('signs the VC-JWT when first fetched, keeps it, and serves the same bytes every time', async () => {
    const res = await issue({ badgeClass: firstClass().slug, recipient: { email: 'learner@example.org' } });
    expect((await t.ctx.storage.credentials.get(res.body.id))?.jwt).toBeNull();
    const path = pathOf(res.body.jwtUrl);
    // A burst of first requests: one signature, one answer.
    const burst = await Promise.all(Array.from({ length: 5 }, () => request(t.app).get(path).expect(200)));
    expect(new Set(burst.map((r) => r.text)).size).toBe(1);
    const kept = (await t.ctx.storage.credentials.get(res.body.id))?.jwt;
    expect(kept).toBe(burst[0]!.text);
    expect((await request(t.app).get(path).expect(200)).text).toBe(kept);
    // RS256 and the claims are deterministic: signing later gives what signing at issuance would have.
    const [again] = await t.ctx.signing.signJwts([JSON.stringify(res.body.credential)], t.ctx.instance.signing);
    expect(again).toBe(kept);
  });

  it('builds an OB 3.0 credential: contexts, types, issuer Profile, hashed e-mail, achievement, schema', async () => {
    const badgeClass = firstClass();
    const res = await issue({
      badgeClass: badgeClass.slug,
      recipient: { email: 'learner@example.org' },
      evidence: [{ id: 'https://lms.example.org/portfolio/42', name: 'Care plan', narrative: 'Wrote a digital care plan.' }],
      results: [{ status: 'Completed' }],
      activityStartDate: '2026-09-01T08:00:00Z',
      activityEndDate: '2026-10-15T17:00:00+02:00',
      language: 'it',
    });
    expect(res.status).toBe(201);
    const c = res.body.credential;
    expect(c['@context'].slice(0, 2)).toEqual(['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json']);
    expect(c.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(c.issuer).toMatchObject({ id: t.ctx.instance.did, type: ['Profile'], name: 'Test Care Academy', email: 'badges@example.org' });
    expect(c.issuer.id).toBe('did:web:badges.example.org');
    expect(c.validFrom).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(c.name).toBe(badgeClass.name.it);

    const [identity] = c.credentialSubject.identifier;
    expect(identity).toMatchObject({ type: 'IdentityObject', hashed: true, identityType: 'emailAddress' });
    const expected = `sha256$${createHash('sha256').update(`learner@example.org${identity.salt}`).digest('hex')}`;
    expect(identity.identityHash).toBe(expected);
    expect(JSON.stringify(c)).not.toContain('learner@example.org');

    const a = c.credentialSubject.achievement;
    expect(a).toMatchObject({
      id: `${PUBLIC_URL}/achievements/${badgeClass.slug}`,
      type: ['Achievement'],
      achievementType: badgeClass.achievementType,
      name: badgeClass.name.it,
      description: badgeClass.description.it,
      criteria: { narrative: badgeClass.criteria.narrative.it },
      inLanguage: 'it',
      // The image in the award language: the built-in design is drawn per language.
      image: { id: `${PUBLIC_URL}/achievements/${badgeClass.slug}/image.png?lang=it`, type: 'Image' },
    });
    expect(a.alignment).toHaveLength(badgeClass.alignments.length);
    expect(a.alignment[0]).toMatchObject({
      type: ['Alignment'],
      targetFramework: badgeClass.alignments[0]!.targetFramework,
      targetName: badgeClass.alignments[0]!.targetName.it,
      targetUrl: badgeClass.alignments[0]!.targetUrl,
    });
    expect(c.credentialSubject.result).toContainEqual({ type: ['Result'], status: 'Completed' });
    expect(c.credentialSubject.activityEndDate).toBe('2026-10-15T15:00:00Z');
    expect(c.evidence).toEqual([{ type: ['Evidence'], id: 'https://lms.example.org/portfolio/42', name: 'Care plan', narrative: 'Wrote a digital care plan.' }]);
    expect(c.credentialSchema).toEqual([
      { id: 'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json', type: '1EdTechJsonSchemaValidator2019' },
    ]);
    expect(c.proof).toEqual([
      expect.objectContaining({
        type: 'DataIntegrityProof',
        cryptosuite: 'eddsa-rdfc-2022',
        proofPurpose: 'assertionMethod',
        verificationMethod: t.ctx.instance.signing.verificationMethod,
      }),
    ]);
  });

  it('takes validUntil from the request, or else from the badge class default period', async () => {
    const withPeriod = t.ctx.catalog.list().find((e) => e.badgeClass.validityPeriod);
    const res = await issue({ badgeClass: firstClass().slug, recipient: { id: 'did:example:learner-1' }, validUntil: '2031-01-01T00:00:00Z' });
    expect(res.body.credential.validUntil).toBe('2031-01-01T00:00:00Z');
    if (withPeriod) {
      const r2 = await issue({ badgeClass: withPeriod.badgeClass.slug, recipient: { id: 'did:example:learner-1' } });
      expect(Date.parse(r2.body.credential.validUntil)).toBeGreaterThan(Date.parse(r2.body.credential.validFrom));
    }
  });

  it('issues credentials that validate against the 1EdTech JSON Schema, for every badge class and language', async () => {
    for (const { badgeClass, languages } of t.ctx.catalog.list()) {
      for (const language of languages) {
        const res = await issue({ badgeClass: badgeClass.slug, recipient: { email: 'a@example.org', id: 'did:example:123' }, language, evidence: [{ narrative: 'x' }] });
        expect(res.status).toBe(201);
        expect(ob3SchemaErrors(res.body.credential)).toEqual([]);
      }
    }
  });

  it('issues credentials that @digitalbazaar/vc verifies with the published DID document, and a changed copy does not', async () => {
    const res = await issue({ badgeClass: firstClass().slug, recipient: { email: 'learner@example.org' }, language: 'ro' });
    const result = await verifyWithDigitalBazaar(res.body.credential, t.app);
    expect(result.error).toBeUndefined();
    expect(result.verified).toBe(true);

    const tampered = structuredClone(res.body.credential);
    tampered.credentialSubject.achievement.name = 'Something else';
    expect((await verifyWithDigitalBazaar(tampered, t.app)).verified).toBe(false);
  });

  it('signs a VC-JWT that verifies with jose against the key its kid names, with the OB 3.0 claim mapping', async () => {
    const res = await issue({ badgeClass: firstClass().slug, recipient: { id: 'did:example:learner-7', email: 'x@example.org' }, validUntil: '2030-06-01T00:00:00Z' });
    const { credential } = res.body;
    const jwt = (await request(t.app).get(pathOf(res.body.jwtUrl)).expect(200)).text;
    const header = decodeProtectedHeader(jwt);
    expect(header).toEqual({ alg: 'RS256', kid: expect.stringMatching(`^${PUBLIC_URL}/keys/`), typ: 'JWT' });
    const jwkRes = await request(t.app).get(pathOf(header.kid!)).expect(200);
    expect(jwkRes.headers['content-type']).toMatch(/application\/jwk\+json/);
    const jwk = JSON.parse(jwkRes.text) as JWK;
    expect(jwk.d).toBeUndefined();
    const { payload } = await jwtVerify(jwt, await importJWK(jwk, 'RS256'));
    expect(payload.iss).toBe(credential.issuer.id);
    expect(payload.jti).toBe(credential.id);
    expect(payload.sub).toBe('did:example:learner-7');
    expect(payload.nbf).toBe(Date.parse(credential.validFrom) / 1000);
    expect(payload.exp).toBe(Date.parse('2030-06-01T00:00:00Z') / 1000);
    const { iss: _i, jti: _j, sub: _s, nbf: _n, exp: _e, ...rest } = payload;
    expect(rest).toEqual(credential);
  });

  it('rejects a JWT whose signature was made with another key', async () => {
    const res = await issue({ badgeClass: firstClass().slug, recipient: { id: 'did:example:learner-8' } });
    const other = await startTestApp();
    try {
      const jwk = JSON.parse((await request(other.app).get('/.well-known/jwks.json')).text).keys[0];
      const jwt = (await request(t.app).get(pathOf(res.body.jwtUrl)).expect(200)).text;
      await expect(jwtVerify(jwt, await importJWK(jwk, 'RS256'))).rejects.toThrow(/signature/);
    } finally {
      other.close();
    }
  });
});

describe('GET /credentials/{id}', () => {
  it('serves the credential byte for byte as issued, as JSON-LD, and the JWT by extension or Accept', async () => {
    const res = await request(t.app).post('/api/v1/credentials?include=jwt').set(auth()).send({ badgeClass: firstClass().slug, recipient: { email: 'learner@example.org' } });
    const path = pathOf(res.body.url);
    const ld = await request(t.app).get(path).expect(200);
    expect(ld.headers['content-type']).toMatch(/^application\/ld\+json/);
    expect(ld.text).toBe(JSON.stringify(res.body.credential));
    const json = await request(t.app).get(path).set('Accept', 'application/json').expect(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.text).toBe(ld.text);
    const jwt = await request(t.app).get(`${path}.jwt`).expect(200);
    expect(jwt.text).toBe(res.body.jwt);
    const negotiated = await request(t.app).get(path).set('Accept', 'application/vc+jwt').expect(200);
    expect(negotiated.headers['content-type']).toMatch(/^application\/vc\+jwt/);
    expect(negotiated.text).toBe(res.body.jwt);
  });

  it('answers 404 credential_not_found for an unknown or malformed id', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'nope', '..%2F..%2Fetc%2Fpasswd']) {
      const res = await request(t.app).get(`/credentials/${id}`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('credential_not_found');
    }
  });
});
