import request from 'supertest';
import { countCredentials, startTestApp, type TestApp } from '../helpers/app.js';
import { ob3SchemaErrors } from '../helpers/ob-schema.js';
import { addProvider } from '../../src/organisations/api-keys.js';

let t: TestApp;
let slug: string;
beforeAll(async () => {
  t = await startTestApp();
  slug = t.ctx.catalog.list()[0]!.badgeClass.slug;
});
afterAll(() => t.close());

const post = (path: string, body: unknown, key?: string) => {
  const r = request(t.app).post(path).set('Authorization', `Bearer ${t.apiKey}`);
  if (key !== undefined) r.set('Idempotency-Key', key);
  return r.send(body as object);
};

const award = (i: number) => ({ badgeClass: slug, recipient: { email: `learner${i}@example.org`, name: `Learner ${i}` }, evidence: [{ narrative: `Row ${i}` }] });

describe('Idempotency-Key', () => {
  it('returns the same credential when a request is retried with the same key and body', async () => {
    const body = { badgeClass: slug, recipient: { email: 'retry@example.org' } };
    const first = await post('/api/v1/credentials', body, 'award-0001');
    const before = (await countCredentials(t));
    const second = await post('/api/v1/credentials', { recipient: { email: 'retry@example.org' }, badgeClass: slug }, 'award-0001');
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toEqual(first.body);
    expect((await countCredentials(t))).toBe(before);
  });

  it('answers a replay with the VC-JWT when ?include=jwt asks for it, the same the JWT URL serves', async () => {
    const body = { badgeClass: slug, recipient: { email: 'replay-jwt@example.org' } };
    const first = await post('/api/v1/credentials', body, 'award-jwt-1');
    expect(first.body.jwt).toBeUndefined();
    const again = await post('/api/v1/credentials?include=jwt', body, 'award-jwt-1');
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.credential).toEqual(first.body.credential);
    const served = await request(t.app).get(new URL(first.body.jwtUrl).pathname).expect(200);
    expect(again.body.jwt).toBe(served.text);
  });

  it('issues once when the same request arrives twice at the same time', async () => {
    const body = { badgeClass: slug, recipient: { email: 'race@example.org' } };
    const before = (await countCredentials(t));
    const [a, b] = await Promise.all([post('/api/v1/credentials', body, 'race-1'), post('/api/v1/credentials', body, 'race-1')]);
    expect([a.status, b.status, b.body.error ?? a.body.error]).toEqual([201, 201, undefined]);
    expect(a.body.id).toBe(b.body.id);
    expect((await countCredentials(t))).toBe(before + 1);
  });

  it('refuses the same key with a different body with 409', async () => {
    await post('/api/v1/credentials', { badgeClass: slug, recipient: { email: 'one@example.org' } }, 'award-0002').expect(201);
    const res = await post('/api/v1/credentials', { badgeClass: slug, recipient: { email: 'two@example.org' } }, 'award-0002');
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('idempotency_key_reused');
  });

  it('keeps keys apart per provider', async () => {
    const other = (await addProvider(t.ctx, 'Other Provider', ['*'])).apiKey;
    const body = { badgeClass: slug, recipient: { email: 'p@example.org' } };
    const mine = await post('/api/v1/credentials', body, 'shared-key');
    const theirs = await request(t.app).post('/api/v1/credentials').set('Authorization', `Bearer ${other}`).set('Idempotency-Key', 'shared-key').send(body);
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
  });

  it('refuses a malformed key with 400', async () => {
    const res = await post('/api/v1/credentials', { badgeClass: slug, recipient: { email: 'a@example.org' } }, 'x'.repeat(300));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_header');
  });
});

describe('POST /api/v1/credentials/batch', () => {

  it('issues a cohort in one call, each credential its own and schema-valid', async () => {
    const before = (await countCredentials(t));
    const res = await post('/api/v1/credentials/batch', { awards: Array.from({ length: 25 }, (_, i) => award(i)) });
    expect(res.status).toBe(201);
    expect(res.body.count).toBe(25);
    expect(new Set(res.body.credentials.map((c: { id: string }) => c.id)).size).toBe(25);
    for (const c of res.body.credentials) expect(ob3SchemaErrors(c.credential)).toEqual([]);
    expect(res.body.credentials[3].credential.credentialSubject.name).toBe('Learner 3');
    expect((await countCredentials(t))).toBe(before + 25);
  });

  it('with ?include=jwt signs each VC-JWT of a batch at once, each over its own credential', async () => {
    const res = await post('/api/v1/credentials/batch?include=jwt', { awards: Array.from({ length: 10 }, (_, i) => award(100 + i)) });
    expect(res.status).toBe(201);
    for (const c of res.body.credentials) {
      expect(Object.keys(c).sort()).toEqual(['credential', 'id', 'jwt', 'jwtUrl', 'url']);
      const payload = JSON.parse(Buffer.from(c.jwt.split('.')[1], 'base64url').toString('utf8'));
      expect(payload.jti).toBe(c.url);
      expect(payload.credentialSubject).toEqual(c.credential.credentialSubject);
      expect((await t.ctx.storage.credentials.get(c.id))?.jwt).toBe(c.jwt);
    }
  });

  it('is all-or-nothing: one bad award refuses the batch, naming it, and stores nothing', async () => {
    const before = (await countCredentials(t));
    const awards = [award(1), award(2), { badgeClass: slug, recipient: { email: 'broken' } }, award(4)];
    const res = await post('/api/v1/credentials/batch', { awards });
    expect(res.status).toBe(422);
    expect(res.body.error.details[0].path).toBe('awards[2].recipient.email');
    const unknown = await post('/api/v1/credentials/batch', { awards: [award(1), { ...award(2), badgeClass: 'nope' }] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.code).toBe('unknown_badge_class');
    expect(unknown.body.error.details[0].path).toBe('awards[1].badgeClass');
    expect((await countCredentials(t))).toBe(before);
  });

  it('refuses more than 1000 awards and an empty batch', async () => {
    const big = await post('/api/v1/credentials/batch', { awards: Array.from({ length: 1001 }, (_, i) => award(i)) });
    expect(big.status).toBe(422);
    expect(big.body.error.details[0].path).toBe('awards');
    const empty = await post('/api/v1/credentials/batch', { awards: [] });
    expect(empty.status).toBe(422);
  });

  it('replays a batch for the same Idempotency-Key', async () => {
    const body = { awards: [award(7), award(8)] };
    const first = await post('/api/v1/credentials/batch', body, 'cohort-2026-11');
    const before = (await countCredentials(t));
    const second = await post('/api/v1/credentials/batch', body, 'cohort-2026-11');
    expect(second.body).toEqual(first.body);
    expect((await countCredentials(t))).toBe(before);
  });
});

describe('a failed issuance leaves nothing behind', () => {
  it('stores no credential and no idempotency record when signing fails midway', async () => {
    const failing = await startTestApp();
    try {
      const original = failing.ctx.signing.secure;
      // Sign the first award, fail on the second: the batch must not be half written.
      failing.ctx.signing.secure = async (credentials, created) => {
        const first = await original(credentials.slice(0, 1), created);
        expect(first).toHaveLength(1);
        throw new Error('HSM unavailable');
      };
      const res = await request(failing.app)
        .post('/api/v1/credentials/batch')
        .set('Authorization', `Bearer ${failing.apiKey}`)
        .set('Idempotency-Key', 'k1')
        .send({ awards: [award(1), award(2)] });
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: { code: 'internal_error', message: expect.any(String) } });
      expect(JSON.stringify(res.body)).not.toContain('HSM');
      expect(await countCredentials(failing)).toBe(0);
      failing.ctx.signing.secure = original;
      const retry = await request(failing.app).post('/api/v1/credentials/batch').set('Authorization', `Bearer ${failing.apiKey}`).set('Idempotency-Key', 'k1').send({ awards: [award(1), award(2)] });
      expect(retry.status).toBe(201);
      expect(await countCredentials(failing)).toBe(2);
    } finally {
      await failing.close();
    }
  });
});
