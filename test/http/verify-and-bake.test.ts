import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { decodePng } from '@lunapaint/png-codec';
import { DOMParser } from '@xmldom/xmldom';
import extractChunks from 'png-chunks-extract';
import encodeChunks from 'png-chunks-encode';
import sharp from 'sharp';
import request from 'supertest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { binary, pathOf } from '../helpers/verify.js';

let t: TestApp;
let issued: { id: string; url: string; jwtUrl: string; credential: Record<string, unknown> };
let stored: string;
beforeAll(async () => {
  t = await startTestApp();
  const res = await request(t.app)
    .post('/api/v1/credentials')
    .set('Authorization', `Bearer ${t.apiKey}`)
    .send({ badgeClass: 'i-care-intercultural-competence', recipient: { email: 'learner@example.org', name: 'Ion Popescu' }, language: 'ro' })
    .expect(201);
  issued = res.body;
  stored = (await request(t.app).get(pathOf(issued.url)).expect(200)).text;
});
afterAll(() => t.close());
/** The VC-JWT: not signed at issuance (no ?include=jwt), so whichever asks first, a bake or this, signs it. */
const jwtOf = async () => (await request(t.app).get(pathOf(issued.jwtUrl)).expect(200)).text;


async function iTXt(png: Buffer) {
  const decoded = await decodePng(png, { parseChunkTypes: '*' } as never);
  return (decoded.metadata ?? []).filter((m: { type: string; keyword?: string }) => m.type === 'iTXt' && m.keyword === 'openbadgecredential') as Array<{ text: string }>;
}

describe('baked badge downloads', () => {
  it('bakes the PNG with the exact credential, as a PNG decoder we did not write reads it', async () => {
    const res = await binary(request(t.app).get(`${pathOf(issued.url)}/badge.png`)).expect(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="i-care-intercultural-competence-${issued.id.slice(0, 8)}.png"`);
    const chunks = await iTXt(res.body);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.text).toBe(stored);
    expect((await sharp(res.body).metadata()).width).toBe(600);
  });

  it('bakes the JWT into the PNG with ?format=jwt', async () => {
    const res = await binary(request(t.app).get(`${pathOf(issued.url)}/badge.png?format=jwt`)).expect(200);
    expect((await iTXt(res.body))[0]!.text).toBe(await jwtOf());
  });

  it('bakes the SVG: the openbadges namespace and the credential element first, JSON in CDATA', async () => {
    const res = await binary(request(t.app).get(`${pathOf(issued.url)}/badge.svg`)).expect(200);
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const doc = new DOMParser().parseFromString(res.body.toString('utf8'), 'image/svg+xml');
    const svg = doc.documentElement!;
    expect(svg.localName).toBe('svg');
    expect(svg.getAttribute('xmlns:openbadges')).toBe('https://purl.imsglobal.org/ob/v3p0');
    let first = svg.firstChild;
    while (first && first.nodeType !== 1) first = first.nextSibling;
    expect(first).toMatchObject({ localName: 'credential', namespaceURI: 'https://purl.imsglobal.org/ob/v3p0' });
    expect((first as unknown as { textContent: string }).textContent).toBe(stored);

    const jwt = await binary(request(t.app).get(`${pathOf(issued.url)}/badge.svg?format=jwt`)).expect(200);
    const jwtDoc = new DOMParser().parseFromString(jwt.body.toString('utf8'), 'image/svg+xml');
    const el = jwtDoc.getElementsByTagNameNS('https://purl.imsglobal.org/ob/v3p0', 'credential')[0]!;
    expect(el.getAttribute('verify')).toBe(await jwtOf());
  });
});

describe('POST /verify', () => {
  const check = (body: { checks: Array<{ id: string; status: string }> }, id: string) => body.checks.find((c) => c.id === id)?.status;

  it.each([
    ['a baked PNG, raw', 'badge.png', 'image/png'],
    ['a JWT-baked PNG, raw', 'badge.png?format=jwt', 'image/png'],
    ['a baked SVG, raw', 'badge.svg', 'image/svg+xml'],
    ['a JWT-baked SVG, raw', 'badge.svg?format=jwt', 'image/svg+xml'],
  ])('verifies %s', async (_name, file, type) => {
    const image = (await binary(request(t.app).get(`${pathOf(issued.url)}/${file}`))).body as Buffer;
    const res = await request(t.app).post('/verify').set('Content-Type', type).send(image).expect(200);
    expect(res.body.verified).toBe(true);
    expect(res.body.format).toBe(type === 'image/png' ? 'png' : 'svg');
    expect(check(res.body, 'proof')).toBe('passed');
    expect(res.body.credential.id).toBe(issued.url);
  });

  it('verifies a baked PNG uploaded as multipart form data, with the recipient check', async () => {
    const image = (await binary(request(t.app).get(`${pathOf(issued.url)}/badge.png`))).body as Buffer;
    const res = await request(t.app).post('/verify').attach('file', image, 'badge.png').field('email', 'learner@example.org').expect(200);
    expect(res.body.verified).toBe(true);
    expect(check(res.body, 'recipient')).toBe('passed');
    const wrong = await request(t.app).post('/verify').attach('file', image, 'badge.png').field('email', 'other@example.org').expect(200);
    expect(check(wrong.body, 'recipient')).toBe('failed');
  });

  it('verifies credential JSON and a pasted JWT', async () => {
    const json = await request(t.app).post('/verify').set('Content-Type', 'application/json').send(stored).expect(200);
    expect(json.body.verified).toBe(true);
    const jwt = await request(t.app).post('/verify').set('Content-Type', 'text/plain').send(await jwtOf()).expect(200);
    expect(jwt.body.verified).toBe(true);
    expect(jwt.body.format).toBe('jwt');
    const pasted = await request(t.app).post('/verify').field('credential', await jwtOf()).expect(200);
    expect(pasted.body.verified).toBe(true);
  });

  it('verifies the OB 3.0 specification test vector, with the key binding reported unconfirmed', async () => {
    const vector = readFileSync(new URL('../fixtures/ob3-spec/ob3-spec-test-vector-signed.json', import.meta.url), 'utf8');
    const res = await request(t.app).post('/verify').set('Content-Type', 'application/json').send(vector).expect(200);
    expect(res.body).toMatchObject({ verdict: 'unconfirmed', verified: false });
    expect(check(res.body, 'proof')).toBe('passed');
    expect(check(res.body, 'issuer_key')).toBe('unconfirmed');
  });

  it('answers 200 with verified false for a credential that fails, naming the check', async () => {
    const tampered = JSON.parse(stored);
    tampered.credentialSubject.achievement.name = 'Neurosurgery';
    const res = await request(t.app).post('/verify').send(tampered).expect(200);
    expect(res.body.verified).toBe(false);
    expect(check(res.body, 'proof')).toBe('failed');
  });

  it.each([
    ['an empty body', Buffer.alloc(0), 'application/octet-stream', 422, 'unreadable_credential'],
    ['text that is no credential', Buffer.from('hello employer'), 'text/plain', 422, 'unreadable_credential'],
    ['a JSON array', Buffer.from('[1,2]'), 'application/json', 422, 'unreadable_credential'],
    ['malformed JSON', Buffer.from('{"a":'), 'application/json', 400, 'malformed_json'],
  ] as const)('refuses %s', async (_name, body, type, status, code) => {
    const res = await request(t.app).post('/verify').set('Content-Type', type).send(body.toString('utf8'));
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
  });

  it('refuses a PNG with no credential, and one with two credential chunks', async () => {
    const plain = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } }).png().toBuffer();
    const none = await request(t.app).post('/verify').set('Content-Type', 'image/png').send(plain);
    expect([none.status, none.body.error.code]).toEqual([422, 'no_credential_in_image']);

    const baked = (await binary(request(t.app).get(`${pathOf(issued.url)}/badge.png`))).body as Buffer;
    const chunks = extractChunks(baked);
    const credentialChunk = chunks.find((c: { name: string }) => c.name === 'iTXt')!;
    const doubled = encodeChunks([...chunks.slice(0, -1), credentialChunk, chunks.at(-1)!]);
    const two = await request(t.app).post('/verify').set('Content-Type', 'image/png').send(Buffer.from(doubled));
    expect([two.status, two.body.error.code]).toEqual([422, 'multiple_credentials']);
  });

  it('never answers 500, whatever the body', async () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const png = (await binary(request(t.app).get(`${pathOf(issued.url)}/badge.png`))).body as Buffer;
    const samples: Array<[Buffer, string]> = [];
    for (let i = 0; i < 40; i++) {
      const mutated = Buffer.from(png);
      for (let j = 0; j < 5; j++) mutated[Math.floor(rand() * mutated.length)] = Math.floor(rand() * 256);
      samples.push([mutated, 'image/png']);
      const text = Buffer.from(stored);
      for (let j = 0; j < 3; j++) text[Math.floor(rand() * text.length)] = 32 + Math.floor(rand() * 90);
      samples.push([text, 'application/json']);
    }
    samples.push([Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><openbadges:credential xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><![CDATA[{"@context":5}]]></openbadges:credential></svg>'), 'image/svg+xml']);
    samples.push([Buffer.from(`${(await jwtOf()).split('.')[0]}.e30.AAAA`), 'text/plain']);
    samples.push([Buffer.from('{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiableCredential","issuer":{},"credentialSubject":[],"proof":{"type":"DataIntegrityProof","cryptosuite":"eddsa-rdfc-2022","proofPurpose":"assertionMethod","verificationMethod":"did:web:%00"}}'), 'application/json']);
    for (const [body, type] of samples) {
      const res = await request(t.app).post('/verify').set('Content-Type', type).send(type === 'image/png' ? body : body.toString('utf8'));
      expect(res.status).not.toBeGreaterThanOrEqual(500);
    }
  });
});

describe('caching what does not change', () => {
  let t2: Awaited<ReturnType<typeof startTestApp>>;
  beforeAll(async () => {
    t2 = await startTestApp();
  });
  afterAll(() => t2.close());

  it('serves the same baked bytes every time, revalidated with an ETag that answers 304', async () => {
    const res = await request(t2.app).post('/api/v1/credentials').set('Authorization', `Bearer ${t2.apiKey}`).send({ badgeClass: 'i-care-intercultural-competence', recipient: { email: 'a@example.org' } }).expect(201);
    const url = `/credentials/${res.body.id}/badge.png`;
    const first = await binary(request(t2.app).get(url)).expect(200);
    const second = await binary(request(t2.app).get(url)).expect(200);
    expect(Buffer.compare(first.body as Buffer, second.body as Buffer)).toBe(0);
    // A credential may be erased (GDPR Art. 17): caches ask again each time, and a 304 answers while it is the same.
    expect(first.headers['cache-control']).toBe('no-cache');
    await request(t2.app).get(url).set('If-None-Match', first.headers.etag!).expect(304);
    const json = await request(t2.app).get(`/credentials/${res.body.id}.json`).expect(200);
    expect(json.headers['cache-control']).toBe('no-cache');
    await request(t2.app).get(`/credentials/${res.body.id}.json`).set('If-None-Match', json.headers.etag!).expect(304);
    expect((await request(t2.app).get(`/credentials/${res.body.id}`).set('Accept', 'text/html').expect(200)).headers['cache-control']).toBe('no-cache');
  });

  it('verifies the page once and reuses the result, until the credential is revoked (by any instance: the status is read on every view)', async () => {
    const res = await request(t2.app).post('/api/v1/credentials').set('Authorization', `Bearer ${t2.apiKey}`).send({ badgeClass: 'i-care-intercultural-competence', recipient: { email: 'a@example.org' } }).expect(201);
    const verify = jest.spyOn(t2.ctx.verifier, 'verify');
    try {
      const page = () => request(t2.app).get(`/credentials/${res.body.id}`).set('Accept', 'text/html').expect(200);
      expect((await page()).text).toContain('class="verdict verdict--ok"');
      await page();
      expect(verify).toHaveBeenCalledTimes(1);
      await request(t2.app).post(`/api/v1/credentials/${res.body.id}/revoke`).set('Authorization', `Bearer ${t2.apiKey}`).send({ reason: 'issued in error' }).expect(200);
      expect((await page()).text).toContain('class="verdict verdict--bad"');
      expect(verify).toHaveBeenCalledTimes(2);
    } finally {
      verify.mockRestore();
    }
  });
});

describe('the page verification kept for a while', () => {
  it('is verified again once the credential has expired, and then says so', async () => {
    let clock = Date.parse('2026-12-06T10:00:00Z');
    const t3 = await startTestApp({}, { now: () => new Date(clock) });
    try {
      const res = await request(t3.app)
        .post('/api/v1/credentials')
        .set('Authorization', `Bearer ${t3.apiKey}`)
        .send({ badgeClass: 'i-care-intercultural-competence', recipient: { email: 'a@example.org' }, validUntil: '2026-12-06T10:05:00Z' })
        .expect(201);
      const verify = jest.spyOn(t3.ctx.verifier, 'verify');
      const page = () => request(t3.app).get(`/credentials/${res.body.id}`).set('Accept', 'text/html').expect(200);
      expect((await page()).text).toContain('class="verdict verdict--ok"');
      clock += 4 * 60_000;
      await page();
      expect(verify).toHaveBeenCalledTimes(1);
      // Past validUntil (and within the 10 minutes the result is otherwise kept).
      clock += 2 * 60_000;
      expect((await page()).text).not.toContain('class="verdict verdict--ok"');
      expect(verify).toHaveBeenCalledTimes(2);
      verify.mockRestore();
    } finally {
      await t3.close();
    }
  });
});
