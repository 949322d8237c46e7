import request from 'supertest';
import { rawQuery, startTestApp, type TestApp } from '../helpers/app.js';
import { addProvider } from '../../src/organisations/api-keys.js';

let t: TestApp;
let slugs: string[];
let scopedKey: string;
beforeAll(async () => {
  t = await startTestApp();
  slugs = t.ctx.catalog.list().map((e) => e.badgeClass.slug);
  scopedKey = (await addProvider(t.ctx, 'Scoped Provider', [slugs[0]!])).apiKey;
});
afterAll(() => t.close());

const award = (slug: string) => ({ badgeClass: slug, recipient: { email: 'a@example.org' } });

describe('API keys', () => {
  it.each([
    ['no Authorization header', undefined, 'unauthorized'],
    ['a Basic credential', 'Basic dXNlcjpwYXNz', 'unauthorized'],
    ['an unknown key', 'Bearer obk_thisIsNotAKeyThatExists000000000000000000', 'invalid_api_key'],
    ['a key without our prefix', 'Bearer sk_live_123', 'invalid_api_key'],
  ])('refuses %s with 401 %s', async (_name, header, code) => {
    for (const [method, path] of [['post', '/api/v1/credentials'], ['get', '/api/v1/credentials'], ['get', '/api/v1/badge-classes'], ['post', '/api/v1/credentials/batch']] as const) {
      const r = request(t.app)[method](path);
      if (header) r.set('Authorization', header);
      const res = await (method === 'post' ? r.send(award(slugs[0]!)) : r);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe(code);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    }
  });

  it('stores keys only as hashes', async () => {
    const rows = (await rawQuery(t, 'select key_hash, key_prefix from api_keys')) as Array<{ key_hash: string; key_prefix: string }>;
    expect(rows.length).toBeGreaterThan(0);
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(t.apiKey);
    expect(dump).not.toContain(scopedKey);
    for (const row of rows) expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('badge class scopes', () => {
  it('lets a scoped key award its badge class', async () => {
    await request(t.app).post('/api/v1/credentials').set('Authorization', `Bearer ${scopedKey}`).send(award(slugs[0]!)).expect(201);
  });

  it('refuses a badge class outside the key scope with 403 badge_class_not_allowed', async () => {
    const res = await request(t.app).post('/api/v1/credentials').set('Authorization', `Bearer ${scopedKey}`).send(award(slugs[1]!));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('badge_class_not_allowed');
    expect(res.body.error.message).toContain(slugs[1]);
  });

  it('refuses a batch in which one award is outside the scope', async () => {
    const res = await request(t.app)
      .post('/api/v1/credentials/batch')
      .set('Authorization', `Bearer ${scopedKey}`)
      .send({ awards: [award(slugs[0]!), award(slugs[1]!)] });
    expect(res.status).toBe(403);
    expect(res.body.error.details[0].path).toBe('awards[1].badgeClass');
  });

  it('lists only the badge classes the key may award', async () => {
    const scoped = await request(t.app).get('/api/v1/badge-classes').set('Authorization', `Bearer ${scopedKey}`).expect(200);
    expect(scoped.body.items.map((i: { slug: string }) => i.slug)).toEqual([slugs[0]]);
    const all = await request(t.app).get('/api/v1/badge-classes').set('Authorization', `Bearer ${t.apiKey}`).expect(200);
    expect(all.body.items).toHaveLength(slugs.length);
    const item = all.body.items[0];
    expect(item.name.en).toEqual(expect.any(String));
    expect(item.alignments[0]).toMatchObject({ targetFramework: expect.any(String), targetUrl: expect.stringMatching(/^https?:/) });
  });
});

describe('GET /api/v1/credentials', () => {
  it('lists only the calling provider credentials, filtered by badge class and paginated', async () => {
    const lister = (await addProvider(t.ctx, 'Lister', ['*'])).apiKey;
    const auth = { Authorization: `Bearer ${lister}` };
    for (const slug of [slugs[0]!, slugs[0]!, slugs[0]!, slugs[1]!]) {
      await request(t.app).post('/api/v1/credentials').set(auth).send(award(slug)).expect(201);
    }
    const all = await request(t.app).get('/api/v1/credentials?total=true').set(auth).expect(200);
    expect(all.body.total).toBe(4);
    expect(all.headers['x-total-count']).toBe('4');
    // Not counted unless asked: counting every row costs more as the data grows.
    const uncounted = await request(t.app).get('/api/v1/credentials').set(auth).expect(200);
    expect(uncounted.body.total).toBeUndefined();
    expect(uncounted.headers['x-total-count']).toBeUndefined();
    const page = await request(t.app).get(`/api/v1/credentials?badgeClass=${slugs[0]}&limit=2`).set(auth).expect(200);
    expect(page.body.items).toHaveLength(2);
    expect(page.headers.link).toContain(`cursor=${page.body.nextCursor}`);
    const rest = await request(t.app).get(`/api/v1/credentials?badgeClass=${slugs[0]}&limit=2&cursor=${page.body.nextCursor}`).set(auth).expect(200);
    expect(rest.body.items).toHaveLength(1);
    expect(rest.body.nextCursor).toBeUndefined();
    const byOffset = await request(t.app).get(`/api/v1/credentials?badgeClass=${slugs[0]}&limit=2&offset=2`).set(auth).expect(200);
    expect(byOffset.body.items.map((i: { id: string }) => i.id)).toEqual(rest.body.items.map((i: { id: string }) => i.id));
    const ids = [...page.body.items, ...rest.body.items].map((i: { id: string }) => i.id);
    expect(new Set(ids).size).toBe(3);
    expect(page.body.items[0]).toMatchObject({ badgeClass: slugs[0], url: expect.stringContaining(page.body.items[0].id) });
    const bad = await request(t.app).get('/api/v1/credentials?limit=0').set(auth);
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].path).toBe('limit');
    const forged = await request(t.app).get('/api/v1/credentials?cursor=not-a-cursor').set(auth);
    expect({ status: forged.status, path: forged.body.error.details[0].path }).toEqual({ status: 422, path: 'cursor' });
  });
});
