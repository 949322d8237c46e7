import request from 'supertest';
import { EXAMPLE_BADGE_CLASS_INPUT } from '../../src/http/openapi/examples.js';
import { addProvider } from '../../src/organisations/api-keys.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

/**
 * Organisations through the REST API: each reads and changes its own Profile and badge classes, and
 * can neither see nor touch another's. A shared class is awarded by all and changed only by its owner;
 * a key scoped to some badge classes reaches only those, and does not speak for the organisation.
 */
let t: TestApp;
let a: { key: string; slug: string; did: string };
let b: { key: string; slug: string };
let aScoped: string;
beforeAll(async () => {
  t = await startTestApp();
  const madeA = await addProvider(t.ctx, 'Casa di Cura Roma', ['*'], 'casa-roma');
  const madeB = await addProvider(t.ctx, 'WBS Training', ['*'], 'wbs-training');
  a = { key: madeA.apiKey, slug: madeA.org.slug, did: madeA.org.did };
  b = { key: madeB.apiKey, slug: madeB.org.slug };
  aScoped = (await t.ctx.apiKeys.addKey(madeA.org.id, ['a-scoped-class']))!;
});
afterAll(() => t.close());

const as = (key: string) => ({ Authorization: `Bearer ${key}` });
const PRIVATE = { ...EXAMPLE_BADGE_CLASS_INPUT, slug: 'casa-roma-first-aid' };
const SHARED = 'carer-plus-digital-communication';

describe('the organisation', () => {
  it('is the key’s own, with its DID and profile', async () => {
    const res = await request(t.app).get('/api/v1/organisation').set(as(a.key)).expect(200);
    expect(res.body).toMatchObject({ slug: 'casa-roma', did: a.did, didDocument: `${t.config.publicUrl}/orgs/casa-roma/did.json`, name: 'Casa di Cura Roma', profile: {} });
    expect((await request(t.app).get('/api/v1/organisation').set(as(b.key)).expect(200)).body.slug).toBe('wbs-training');
  });

  it('changes its profile field by field; null removes one; the public Profile shows it at once', async () => {
    await request(t.app).get(`/orgs/${a.slug}`).expect(200); // cached here now
    await request(t.app)
      .patch('/api/v1/organisation')
      .set(as(a.key))
      .send({ profile: { url: 'https://casa-roma.example.org', phone: '+39 06 1234567', otherIdentifier: [{ identifier: 'IT-LAZIO-00042', identifierType: 'ext:VetRegister' }] } })
      .expect(200);
    const res = await request(t.app).patch('/api/v1/organisation').set(as(a.key)).send({ name: 'Casa di Cura Roma srl', profile: { phone: null } }).expect(200);
    expect(res.body.profile).toEqual({ url: 'https://casa-roma.example.org', otherIdentifier: [{ identifier: 'IT-LAZIO-00042', identifierType: 'ext:VetRegister' }] });
    const profile = JSON.parse((await request(t.app).get(`/orgs/${a.slug}`).expect(200)).text);
    expect(profile).toMatchObject({ name: 'Casa di Cura Roma srl', url: 'https://casa-roma.example.org', otherIdentifier: [{ type: 'IdentifierEntry', identifier: 'IT-LAZIO-00042' }] });
    expect(profile.phone).toBeUndefined();
    const audit = (await t.ctx.accounts.auditOf((await t.ctx.organisations.bySlug(a.slug))!.id, { limit: 5 })).filter((e) => e.action === 'organisation.updated');
    expect(audit[0]).toMatchObject({ actor: expect.stringMatching(/^api-key:/), details: { fields: ['name', 'profile.phone'] } });
  });

  it('refuses a change from a key scoped to some badge classes (403 forbidden), and bad fields with 422 naming them', async () => {
    const scoped = await request(t.app).patch('/api/v1/organisation').set(as(aScoped)).send({ profile: { url: 'https://evil.example.org' } }).expect(403);
    expect(scoped.body.error.code).toBe('forbidden');
    const bad = await request(t.app).patch('/api/v1/organisation').set(as(a.key)).send({ profile: { email: 'not an address', address: { addressCountryCode: 'Italy' } } }).expect(422);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['profile.address.addressCountryCode', 'profile.email']);
    const empty = await request(t.app).patch('/api/v1/organisation').set(as(a.key)).send({}).expect(422);
    expect(empty.body.error.code).toBe('validation_failed');
    expect(JSON.parse((await request(t.app).get(`/orgs/${a.slug}`).expect(200)).text).url).toBe('https://casa-roma.example.org');
  });
});

describe('badge classes of two organisations', () => {
  beforeAll(async () => {
    await request(t.app).post('/api/v1/badge-classes').set(as(a.key)).send(PRIVATE).expect(201);
  });

  it('lets the owner read its class in full', async () => {
    const res = await request(t.app).get(`/api/v1/badge-classes/${PRIVATE.slug}`).set(as(a.key)).expect(200);
    expect(res.headers.etag).toBe('"1"');
    expect(res.body).toMatchObject({ slug: PRIVATE.slug, version: 1, archived: false, shared: false, owner: 'casa-roma', editable: true, awarders: [], image: 'drawn' });
    expect(res.body.definition.name).toEqual(PRIVATE.name);
    expect((await request(t.app).get('/api/v1/badge-classes').set(as(a.key)).expect(200)).body.items.map((i: { slug: string }) => i.slug)).toContain(PRIVATE.slug);
  });

  it('hides it from the other organisation: not listed, and 404 to every call', async () => {
    const listed = (await request(t.app).get('/api/v1/badge-classes').set(as(b.key)).expect(200)).body.items.map((i: { slug: string }) => i.slug);
    expect(listed).not.toContain(PRIVATE.slug);
    expect(listed).toContain(SHARED);
    const path = `/api/v1/badge-classes/${PRIVATE.slug}`;
    for (const [method, url, send] of [
      ['get', path, undefined],
      ['get', `${path}/versions`, undefined],
      ['put', path, { ...PRIVATE, name: { en: 'Taken over' } }],
      ['post', `${path}/archive`, undefined],
      ['post', `${path}/unarchive`, undefined],
    ] as const) {
      let r = request(t.app)[method](url).set(as(b.key));
      if (method === 'put') r = r.set('If-Match', '"1"');
      const res = await (send ? r.send(send) : r);
      expect([method, url, res.status, res.body.error?.code]).toEqual([method, url, 404, 'badge_class_not_found']);
    }
    // Nor can it award it (issuing says so as it always has: the Achievement itself is public).
    const award = await request(t.app).post('/api/v1/credentials').set(as(b.key)).send({ badgeClass: PRIVATE.slug, recipient: { email: 'x@example.org' } });
    expect([award.status, award.body.error.code]).toEqual([403, 'badge_class_not_allowed']);
    const entry = t.ctx.catalog.get(PRIVATE.slug)!;
    expect([entry.version, entry.archived, entry.badgeClass.name.en]).toEqual([1, false, PRIVATE.name.en]);
  });

  it('lets every organisation read a shared class but only its owner change it (403 badge_class_not_owned)', async () => {
    const read = await request(t.app).get(`/api/v1/badge-classes/${SHARED}`).set(as(b.key)).expect(200);
    expect(read.body).toMatchObject({ editable: false, shared: true });
    expect(read.body.awarders).toBeUndefined();
    const put = await request(t.app).put(`/api/v1/badge-classes/${SHARED}`).set(as(b.key)).set('If-Match', read.headers.etag!).send(read.body.definition).expect(403);
    expect(put.body.error.code).toBe('badge_class_not_owned');
    expect((await request(t.app).post(`/api/v1/badge-classes/${SHARED}/archive`).set(as(b.key)).expect(403)).body.error.code).toBe('badge_class_not_owned');
    expect(t.ctx.catalog.get(SHARED)!.archived).toBe(false);
  });

  it('keeps a scoped key to its own slugs: 403 badge_class_not_allowed for its organisation’s other classes', async () => {
    expect((await request(t.app).get(`/api/v1/badge-classes/${PRIVATE.slug}`).set(as(aScoped)).expect(403)).body.error.code).toBe('badge_class_not_allowed');
    expect((await request(t.app).post('/api/v1/badge-classes').set(as(aScoped)).send({ ...PRIVATE, slug: 'another-class' }).expect(403)).body.error.code).toBe('badge_class_not_allowed');
    await request(t.app).post('/api/v1/badge-classes').set(as(aScoped)).send({ ...PRIVATE, slug: 'a-scoped-class' }).expect(201);
    expect((await request(t.app).get('/api/v1/badge-classes').set(as(aScoped)).expect(200)).body.items.map((i: { slug: string }) => i.slug)).toEqual(['a-scoped-class']);
  });

  it('changes a class as a new version from the version named in If-Match; a stale one is a 409, none a 428, a bad one a 400', async () => {
    const path = `/api/v1/badge-classes/${PRIVATE.slug}`;
    const changed = await request(t.app).put(path).set(as(a.key)).set('If-Match', '"1"').send({ ...PRIVATE, validityPeriod: 'P2Y' }).expect(200);
    expect([changed.headers.etag, changed.body.version, changed.body.definition.validityPeriod]).toEqual(['"2"', 2, 'P2Y']);
    expect((await request(t.app).put(path).set(as(a.key)).set('If-Match', '"1"').send(PRIVATE).expect(409)).body.error.code).toBe('badge_class_changed');
    expect((await request(t.app).put(path).set(as(a.key)).send(PRIVATE).expect(428)).body.error.code).toBe('precondition_required');
    expect((await request(t.app).put(path).set(as(a.key)).set('If-Match', 'yesterday').send(PRIVATE).expect(400)).body.error.code).toBe('invalid_header');
    const renamed = await request(t.app).put(path).set(as(a.key)).set('If-Match', '"2"').send({ ...PRIVATE, slug: 'something-else' }).expect(422);
    expect(renamed.body.error.code).toBe('validation_failed');
    const bad = await request(t.app).put(path).set(as(a.key)).set('If-Match', '"2"').send({ ...PRIVATE, design: { colour: '#ffff00' } }).expect(422);
    expect(bad.body.error.details[0].path).toBe('design.colour');
    expect((await request(t.app).get(`${path}/versions`).set(as(a.key)).expect(200)).body.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
  });

  it('archives and brings back a class: archived, it is not awarded, and not listed as awardable', async () => {
    const path = `/api/v1/badge-classes/${PRIVATE.slug}`;
    expect((await request(t.app).post(`${path}/archive`).set(as(a.key)).expect(200)).body.archived).toBe(true);
    const award = await request(t.app).post('/api/v1/credentials').set(as(a.key)).send({ badgeClass: PRIVATE.slug, recipient: { email: 'x@example.org' } });
    expect(award.status).toBe(422);
    expect((await request(t.app).get('/api/v1/badge-classes').set(as(a.key)).expect(200)).body.items.map((i: { slug: string }) => i.slug)).not.toContain(PRIVATE.slug);
    expect((await request(t.app).post(`${path}/unarchive`).set(as(a.key)).expect(200)).body.archived).toBe(false);
    await request(t.app).post('/api/v1/credentials').set(as(a.key)).send({ badgeClass: PRIVATE.slug, recipient: { email: 'x@example.org' } }).expect(201);
  });
});
