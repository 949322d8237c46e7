import request from 'supertest';
import { startTestApp, PUBLIC_URL, type TestApp } from '../helpers/app.js';

describe('issuer identity endpoints (did:web)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('serves the did:web document with both keys, the Ed25519 key under assertionMethod', async () => {
    const res = await request(t.app).get('/.well-known/did.json').expect(200);
    const doc = JSON.parse(res.text);
    expect(doc.id).toBe('did:web:badges.example.org');
    const ed = doc.verificationMethod.find((m: { type: string }) => m.type === 'Multikey');
    const rsa = doc.verificationMethod.find((m: { type: string }) => m.type === 'JsonWebKey');
    expect(ed).toMatchObject({ controller: doc.id, publicKeyMultibase: expect.stringMatching(/^z6Mk/) });
    expect(ed.id).toBe(`${doc.id}#${ed.publicKeyMultibase}`);
    expect(rsa.publicKeyJwk).toMatchObject({ kty: 'RSA', n: expect.any(String), e: 'AQAB' });
    expect(doc.assertionMethod).toContain(ed.id);
  });

  it('never serves private key material', async () => {
    for (const path of ['/.well-known/did.json', '/.well-known/jwks.json', '/issuer']) {
      const text = (await request(t.app).get(path).expect(200)).text;
      for (const secret of ['"d"', '"p"', '"q"', '"dp"', '"dq"', '"qi"', 'secretKey', 'privateKey']) expect(text).not.toContain(secret);
    }
  });

  it('serves the JWKS and each key at the URL its kid names', async () => {
    const jwks = JSON.parse((await request(t.app).get('/.well-known/jwks.json').expect(200)).text);
    expect(jwks.keys).toHaveLength(1);
    const [key] = jwks.keys;
    expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.stringMatching(`^${PUBLIC_URL}/keys/`) });
    const single = JSON.parse((await request(t.app).get(key.kid.slice(PUBLIC_URL.length)).expect(200)).text);
    expect(single).toEqual(key);
    await request(t.app).get('/keys/unknown').expect(404);
  });

  it('serves the issuer Profile', async () => {
    const res = await request(t.app).get('/issuer').expect(200);
    const profile = JSON.parse(res.text);
    expect(profile).toMatchObject({ id: 'did:web:badges.example.org', type: ['Profile'], name: 'Test Care Academy', url: PUBLIC_URL, email: 'badges@example.org' });
  });

  it('answers /health', async () => {
    expect((await request(t.app).get('/health').expect(200)).body).toEqual({ status: 'ok' });
  });

  it('answers unknown paths with a JSON 404', async () => {
    const res = await request(t.app).get('/nothing-here').expect(404);
    expect(res.body.error.code).toBe('not_found');
  });
});

describe('issuer identity with ISSUER_DID=key', () => {
  it('uses a did:key issuer whose key is the signing key', async () => {
    const t = await startTestApp({ ISSUER_DID: 'key' });
    try {
      const multibase = t.ctx.instance.publicKeys.find((k) => k.type === 'Ed25519')!.name;
      expect(t.ctx.instance.did).toBe(`did:key:${multibase}`);
      const profile = JSON.parse((await request(t.app).get('/issuer').expect(200)).text);
      expect(profile.id).toBe(`did:key:${multibase}`);
    } finally {
      t.close();
    }
  });
});

describe('achievements', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('serves each Achievement in the language asked for', async () => {
    const { badgeClass } = t.ctx.catalog.list()[0]!;
    const en = JSON.parse((await request(t.app).get(`/achievements/${badgeClass.slug}`).expect(200)).text);
    expect(en).toMatchObject({ id: `${PUBLIC_URL}/achievements/${badgeClass.slug}`, type: ['Achievement'], name: badgeClass.name.en, inLanguage: 'en' });
    const lt = JSON.parse((await request(t.app).get(`/achievements/${badgeClass.slug}`).set('Accept-Language', 'lt-LT,lt;q=0.9').expect(200)).text);
    expect(lt.name).toBe(badgeClass.name.lt);
    const it = JSON.parse((await request(t.app).get(`/achievements/${badgeClass.slug}?lang=it`).expect(200)).text);
    expect(it.name).toBe(badgeClass.name.it);
    const missing = await request(t.app).get('/achievements/no-such-badge').expect(404);
    expect(missing.body.error.code).toBe('badge_class_not_found');
  });

  it('serves each badge image as PNG (rendered from its SVG) and as SVG', async () => {
    for (const { badgeClass } of t.ctx.catalog.list()) {
      const png = await request(t.app).get(`/achievements/${badgeClass.slug}/image.png`).expect(200);
      expect(png.headers['content-type']).toBe('image/png');
      expect((png.body as Buffer).subarray(1, 4).toString()).toBe('PNG');
      const svg = await request(t.app).get(`/achievements/${badgeClass.slug}/image.svg`).expect(200);
      expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
      expect(Buffer.from(svg.body as Buffer).toString('utf8')).toContain('<svg');
    }
  });
});

describe('malformed requests', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it.each(['/credentials/%E0%A4%A', '/achievements/%', '/keys/%ZZ', '/api/v1/credentials?limit=5&limit=6'])('answers %s with a 4xx, never a 500', async (path) => {
    const res = await request(t.app).get(path).set('Authorization', `Bearer ${t.apiKey}`);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.error.code).toEqual(expect.any(String));
  });
});
