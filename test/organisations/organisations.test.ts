import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compactVerify, importJWK, type JWK } from 'jose';
import request from 'supertest';
import { DATABASE_FILE } from '../../src/db/client.js';
import { createKeyEncryption } from '../../src/keys/key-encryption.js';
import { addProvider } from '../../src/organisations/api-keys.js';
import { createOrganisations } from '../../src/organisations/organisations.js';
import { PUBLIC_URL, rawQuery, startTestApp, TEST_KEK, type TestApp } from '../helpers/app.js';
import { pathOf, verifyWithDigitalBazaar } from '../helpers/verify.js';

/**
 * Organisations are the issuers: each has its own did:web under the instance and its own keys, stored
 * only encrypted; what it awards names it; key rotation keeps what the old keys signed verifying.
 */
let t: TestApp;
let iperia: { apiKey: string; slug: string; did: string };
beforeAll(async () => {
  t = await startTestApp();
  const { org, apiKey } = await addProvider(t.ctx, 'IPERIA – Istituto per la Ricerca', ['*'], 'iperia');
  await t.ctx.organisations.updateProfile(org.id, org.name, {
    name: { it: 'IPERIA – Istituto per la Ricerca', en: 'IPERIA Research Institute' },
    url: 'https://iperia.example.org',
    email: 'badge@iperia.example.org',
    address: { addressLocality: 'Roma', addressCountryCode: 'IT' },
    otherIdentifier: [{ identifier: 'IT-VET-00042', identifierType: 'ext:VetRegister' }],
  });
  iperia = { apiKey, slug: org.slug, did: org.did };
});
afterAll(() => t.close());

const award = (apiKey: string, language = 'it') =>
  request(t.app)
    .post('/api/v1/credentials')
    .set('Authorization', `Bearer ${apiKey}`)
    .send({ badgeClass: 'carer-plus-digital-communication', recipient: { email: 'learner@example.org', name: 'Giulia Bianchi' }, language })
    .expect(201);

const verify = async (body: Record<string, unknown>) => (await request(t.app).post('/verify').set('Accept', 'application/json').send(body).expect(200)).body;

describe('an organisation as issuer', () => {
  it('has a did:web under the instance, with its DID document at /orgs/<slug>/did.json', async () => {
    expect(iperia.did).toBe('did:web:badges.example.org:orgs:iperia');
    const res = await request(t.app).get('/orgs/iperia/did.json').expect(200).expect('Content-Type', /application\/did\+json/);
    const doc = JSON.parse(res.text);
    expect(doc.id).toBe(iperia.did);
    expect(doc.verificationMethod.map((m: { type: string }) => m.type)).toEqual(['Multikey', 'JsonWebKey']);
    expect(doc.assertionMethod).toEqual(doc.verificationMethod.map((m: { id: string }) => m.id));
    expect(res.text).not.toMatch(/"d"\s*:|secretKey|private/i);
    // Another instance's organisation or the instance itself is not served under /orgs.
    await request(t.app).get('/orgs/nobody/did.json').expect(404);
  });

  it('names the organisation as issuer, in the award language, with its address and official identifier', async () => {
    const { body } = await award(iperia.apiKey, 'it');
    expect(body.credential.issuer).toEqual({
      id: iperia.did,
      type: ['Profile'],
      name: 'IPERIA – Istituto per la Ricerca',
      url: 'https://iperia.example.org',
      email: 'badge@iperia.example.org',
      address: { type: ['Address'], addressLocality: 'Roma', addressCountryCode: 'IT' },
      otherIdentifier: [{ type: 'IdentifierEntry', identifier: 'IT-VET-00042', identifierType: 'ext:VetRegister' }],
    });
    expect(body.credential.proof[0].verificationMethod).toMatch(new RegExp(`^${iperia.did}#z6Mk`));
    const english = (await award(iperia.apiKey, 'en')).body.credential;
    expect(english.issuer.name).toBe('IPERIA Research Institute');
  });

  it('issues credentials that our verifier and @digitalbazaar/vc verify through the served DID document', async () => {
    const { body } = await award(iperia.apiKey);
    const report = await verify({ credential: body.credential });
    expect(report.verified).toBe(true);
    const result = await verifyWithDigitalBazaar(body.credential, t.app);
    expect(result.verified).toBe(true);
    const jwt = (await request(t.app).get(`${pathOf(body.url)}.jwt`).expect(200)).text;
    expect((await verify({ credential: jwt })).verified).toBe(true);
  });

  it('keeps its credentials in status lists of its own, signed with its key', async () => {
    const { body } = await award(iperia.apiKey);
    const ours = (await award(t.apiKey)).body.credential;
    const listUrl: string = body.credential.credentialStatus.statusListCredential;
    expect(listUrl).not.toBe(ours.credentialStatus.statusListCredential);
    const list = JSON.parse((await request(t.app).get(pathOf(listUrl)).expect(200)).text);
    expect(list.issuer).toBe(iperia.did);
    expect([list.proof].flat()[0].verificationMethod).toMatch(new RegExp(`^${iperia.did}#`));
    await request(t.app).post(`/api/v1/credentials/${body.id}/revoke`).set('Authorization', `Bearer ${iperia.apiKey}`).send({ reason: 'wrong learner' }).expect(200);
    const report = await verify({ credential: body.credential });
    expect(report.checks.find((c: { id: string }) => c.id === 'status')).toMatchObject({ status: 'failed', code: 'revoked' });
  });

  it('stores private keys only as JWEs under the key-encryption key, never in clear', async () => {
    const rows = await rawQuery(t, 'select type, public_jwk, private_jwe from organisation_keys');
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const row of rows) {
      expect(String(row.private_jwe)).toMatch(/^eyJ[\w-]+\.\.[\w-]+\.[\w-]+\.[\w-]+$/);
      const header = JSON.parse(Buffer.from(String(row.private_jwe).split('.')[0]!, 'base64url').toString());
      expect(header).toMatchObject({ alg: 'dir', enc: 'A256GCM' });
      const jwk = typeof row.public_jwk === 'string' ? JSON.parse(row.public_jwk) : row.public_jwk;
      expect(jwk).not.toHaveProperty('d');
    }
    if (t.ctx.sqlite) {
      // The secret halves appear nowhere in the database file.
      const file = readFileSync(join(t.config.dataDir, DATABASE_FILE));
      const d = (t.ctx.instance.signing.ed25519.export({ format: 'jwk' }) as JWK).d!;
      expect(file.includes(Buffer.from(d))).toBe(false);
    }
  });
});

describe('key rotation', () => {
  it('signs with new keys afterwards and keeps the old ones published, so earlier credentials keep verifying', async () => {
    const { org, apiKey } = await addProvider(t.ctx, 'WBS Training', ['*']);
    const before = (await award(apiKey, 'de')).body;
    const oldJwt = (await request(t.app).get(`${pathOf(before.url)}.jwt`).expect(200)).text;
    const rotated = await t.ctx.organisations.rotateKeys(org.id);
    const after = (await award(apiKey, 'de')).body;
    expect(after.credential.proof[0].verificationMethod).not.toBe(before.credential.proof[0].verificationMethod);
    expect(rotated.publicKeys.filter((k) => k.retiredAt !== null)).toHaveLength(2);

    const doc = JSON.parse((await request(t.app).get(`/orgs/${org.slug}/did.json`).expect(200)).text);
    expect(doc.verificationMethod).toHaveLength(4);
    expect(doc.assertionMethod).toContain(before.credential.proof[0].verificationMethod);
    for (const c of [before.credential, after.credential]) {
      expect((await verify({ credential: c })).verified).toBe(true);
      expect((await verifyWithDigitalBazaar(c, t.app)).verified).toBe(true);
    }
    // The VC-JWT signed with the retired key: its kid still answers with the key, and it still verifies.
    const kid = JSON.parse(Buffer.from(oldJwt.split('.')[0]!, 'base64url').toString()).kid as string;
    const jwk = (await request(t.app).get(pathOf(kid)).expect(200)).body;
    await expect(compactVerify(oldJwt, await importJWK(jwk, 'RS256'))).resolves.toBeDefined();
    expect((await verify({ credential: oldJwt })).verified).toBe(true);
  });
});

describe('key rotation on another instance sharing the database', () => {
  it('verifies here at once what the other instance signed with its new key, before this one\'s copy expires', async () => {
    const { org, apiKey } = await addProvider(t.ctx, 'Cooperativa Sociale Milano', ['*']);
    // This instance has the organisation in its cache, with its first keys.
    await award(apiKey);
    const other = createOrganisations({ repo: t.ctx.storage.organisations, encryption: createKeyEncryption(Buffer.from(TEST_KEK, 'base64')), publicUrl: PUBLIC_URL, instanceDid: 'web' });
    const rotated = await other.rotateKeys(org.id);
    const newMethod = rotated.signing.verificationMethod;
    expect((await t.ctx.organisations.get(org.id))!.publicKeys.map((k) => k.id)).not.toContain(newMethod);
    // What the other instance signs now names its new key; this instance resolves it.
    const resolved = (await t.ctx.documentLoader(newMethod)).document as { id: string };
    expect(resolved.id).toBe(newMethod);
    // A key name the organisation does not have is not found, and reloads nothing.
    await expect(t.ctx.documentLoader(`${org.did}#z6MkNotAKeyOfThisOrganisation`)).rejects.toThrow();
  });
});

describe('organisations kept apart', () => {
  it('lets an organisation neither list nor revoke another organisation’s awards', async () => {
    const other = await addProvider(t.ctx, 'Casa di Cura Roma', ['*']);
    const mine = (await award(iperia.apiKey)).body;
    const listed = (await request(t.app).get('/api/v1/credentials?limit=100').set('Authorization', `Bearer ${other.apiKey}`).expect(200)).body;
    expect(listed.items.map((i: { id: string }) => i.id)).not.toContain(mine.id);
    const res = await request(t.app).post(`/api/v1/credentials/${mine.id}/revoke`).set('Authorization', `Bearer ${other.apiKey}`).send({ reason: 'x' }).expect(403);
    expect(res.body.error.code).toBe('not_credential_issuer');
  });

  it('refuses a second organisation with a slug already taken', async () => {
    await expect(t.ctx.organisations.create({ name: 'Again', slug: 'iperia' })).rejects.toMatchObject({ code: 'organisation_exists' });
  });

  it('gives an organisation without a slug one made from its name, unique', async () => {
    const a = await t.ctx.organisations.create({ name: 'Fundación Cuidados Ñandú' });
    const b = await t.ctx.organisations.create({ name: 'Fundación Cuidados Ñandú' });
    expect(a.slug).toBe('fundacion-cuidados-nandu');
    expect(b.slug).toBe('fundacion-cuidados-nandu-2');
  });
});
