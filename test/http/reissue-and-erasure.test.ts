import request from 'supertest';
import { addProvider } from '../../src/organisations/api-keys.js';
import { anotherInstanceStorage, rawQuery, startTestApp, type TestApp } from '../helpers/app.js';

/**
 * Re-issuing a corrected badge (the original revoked as "replaced" and linked to the correction) and
 * erasing one on request (GDPR Art. 17: every public address answers 410, nothing of the learner kept),
 * through the providers' API, with the public addresses that follow.
 */
let t: TestApp;
let clock = Date.parse('2026-12-06T10:00:00Z');
let otherKey: string;
let narrowKey: string;
beforeAll(async () => {
  t = await startTestApp({}, { now: () => new Date(clock) });
  otherKey = (await addProvider(t.ctx, 'Another Provider', ['*'])).apiKey;
  narrowKey = (await t.ctx.apiKeys.addKey(t.ctx.instance.id, ['i-care-intercultural-competence']))!;
});
afterAll(() => t.close());

type Json = Record<string, any>;
const auth = (key = t.apiKey) => ({ Authorization: `Bearer ${key}` });
const AWARD = { badgeClass: 'carer-plus-digital-communication', recipient: { email: 'maria.rossi@example.org', name: 'Maria Rosi' }, language: 'it', results: [{ value: '27/30' }] };
async function issue(body: object = AWARD, key = t.apiKey): Promise<{ id: string; url: string; credential: Json }> {
  return (await request(t.app).post('/api/v1/credentials').set(auth(key)).send(body).expect(201)).body;
}
const reissue = (id: string, body: object, key = t.apiKey) => request(t.app).post(`/api/v1/credentials/${id}/reissue`).set(auth(key)).send(body);
const erase = (id: string, key = t.apiKey) => request(t.app).delete(`/api/v1/credentials/${id}`).set(auth(key));
const codeOf = (res: request.Response) => [res.status, res.body?.error?.code];
const statusCheck = (report: Json) => (report.checks as Json[]).find((c) => c.id === 'status')!;
const binary = (r: request.Test) =>
  r.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });

describe('POST /api/v1/credentials/{id}/reissue', () => {
  it('issues the corrected credential, keeps the original award date and validity, and revokes the original as replaced, linked to it', async () => {
    const original = await issue();
    clock += 30 * 86_400_000;
    const res = await reissue(original.id, { recipient: { name: 'Maria Rossi' }, language: 'it', results: [{ value: '28/30' }] }).expect(201);
    const { id, url, jwtUrl, credential, replaces } = res.body as Json;
    expect(replaces).toBe(original.id);
    expect(res.headers.location).toBe(url);
    expect(jwtUrl).toBe(`${url}.jwt`);
    expect(id).not.toBe(original.id);
    expect(credential.credentialSubject.name).toBe('Maria Rossi');
    expect(credential.credentialSubject.result.map((r: Json) => r.value).filter(Boolean)).toEqual(['28/30']);
    expect(credential.credentialSubject.achievement.id).toBe(original.credential.credentialSubject.achievement.id);
    // OB 3.0: awardedDate is the original award date; validFrom is the re-issue's. The badge class's
    // three-year validity still counts from the award.
    expect(credential.validFrom).toBe('2027-01-05T10:00:00Z');
    expect(credential.awardedDate).toBe(original.credential.awardedDate);
    expect(credential.validUntil).toBe(original.credential.validUntil);
    // No address given: the learner's salted identity carries over, so the recipient check still holds, and nothing is e-mailed.
    expect(credential.credentialSubject.identifier).toEqual(original.credential.credentialSubject.identifier);
    const check = await request(t.app).post(`/credentials/${id}/recipient-check`).send({ email: 'maria.rossi@example.org' }).expect(200);
    expect(check.body).toEqual({ matched: true, code: 'recipient_matched' });
    expect(await t.ctx.storage.outbox.deliveryOf([id])).toEqual([]);
    // The corrected one is found by the learner's address too.
    const key = (await rawQuery(t, `select learner_key from credentials where id = '${id}'`))[0]!.learner_key;
    expect(key).toBe((await rawQuery(t, `select learner_key from credentials where id = '${original.id}'`))[0]!.learner_key);

    // The new one verifies; the original is revoked, its reason "replaced" public, and names its successor.
    expect((await request(t.app).post('/verify').send(credential).expect(200)).body.verdict).toBe('verified');
    const old = (await request(t.app).post('/verify').send(original.credential).expect(200)).body;
    expect(old.verified).toBe(false);
    expect(statusCheck(old)).toMatchObject({ status: 'failed' });
    const json = await request(t.app).get(`/credentials/${original.id}`).expect(200);
    expect(json.headers.link).toBe(`<${url}>; rel="successor-version"`);
    const page = await request(t.app).get(`/credentials/${original.id}`).set('Accept', 'text/html').set('Accept-Language', 'it').expect(200);
    expect(page.text).toContain('Questo badge è stato sostituito da uno corretto il 5 gennaio 2027.');
    expect(page.text).toContain(`<a href="${url}">Apri il badge corretto</a>`);
    expect((await request(t.app).get(`/credentials/${id}`).set('Accept', 'text/html').expect(200)).text).not.toContain('was replaced by a corrected one');
    const audit = (await t.ctx.accounts.auditOf(t.ctx.instance.id, { limit: 20 })).filter((e) => e.subject === id);
    expect(audit).toEqual([expect.objectContaining({ action: 'credential.reissued', details: { replaces: original.id, badgeClass: 'carer-plus-digital-communication' } })]);
  });

  it('hashes an address given again into the corrected credential and sends it there', async () => {
    const original = await issue({ ...AWARD, notify: false });
    const res = await reissue(original.id, { recipient: { email: 'maria.r@example.org', name: 'Maria Rossi' } }).expect(201);
    const identifier = res.body.credential.credentialSubject.identifier;
    expect(identifier).toHaveLength(1);
    expect(identifier).not.toEqual(original.credential.credentialSubject.identifier);
    expect(await t.ctx.storage.outbox.deliveryOf([res.body.id])).toEqual([expect.objectContaining({ state: 'queued' })]);
    expect((await request(t.app).post(`/credentials/${res.body.id}/recipient-check`).send({ email: 'maria.r@example.org' })).body.matched).toBe(true);
  });

  it('refuses a credential already replaced, revoked or erased, each with its code', async () => {
    const replaced = await issue();
    const correction = (await reissue(replaced.id, { recipient: { name: 'Maria Rossi' } }).expect(201)).body;
    const again = await reissue(replaced.id, { recipient: { name: 'Maria Rossi' } });
    expect(codeOf(again)).toEqual([409, 'credential_replaced']);
    expect(again.body.error.message).toContain(correction.id);
    const revoked = await issue();
    await request(t.app).post(`/api/v1/credentials/${revoked.id}/revoke`).set(auth()).send({ reason: 'mistake' }).expect(200);
    expect(codeOf(await reissue(revoked.id, { recipient: { name: 'X' } }))).toEqual([410, 'credential_revoked']);
    const erased = await issue();
    await erase(erased.id).expect(200);
    expect(codeOf(await reissue(erased.id, { recipient: { name: 'X' } }))).toEqual([410, 'credential_erased']);
  });

  it('keeps the badge class, the scope of the key and the organisation: 422, 403, 404', async () => {
    const original = await issue();
    const before = await rawQuery(t, 'select count(*) as n from credentials');
    expect(codeOf(await reissue(original.id, { badgeClass: 'i-care-intercultural-competence', recipient: { name: 'X' } }))).toEqual([422, 'validation_failed']);
    expect(codeOf(await reissue(original.id, { recipient: { name: 'X' }, unknown: 1 }))).toEqual([422, 'validation_failed']);
    expect(codeOf(await reissue(original.id, { recipient: { name: 'X' } }, narrowKey))).toEqual([403, 'badge_class_not_allowed']);
    expect(codeOf(await reissue(original.id, { recipient: { name: 'X' } }, otherKey))).toEqual([404, 'credential_not_found']);
    expect(codeOf(await reissue('00000000-0000-4000-8000-000000000000', { recipient: { name: 'X' } }))).toEqual([404, 'credential_not_found']);
    expect(codeOf(await request(t.app).post(`/api/v1/credentials/${original.id}/reissue`).send({ recipient: { name: 'X' } }))).toEqual([401, 'unauthorized']);
    // The same badge class given again is accepted; nothing was stored by the refusals.
    expect(await rawQuery(t, 'select count(*) as n from credentials')).toEqual(before);
    expect((await reissue(original.id, { badgeClass: AWARD.badgeClass, recipient: { name: 'X' } })).status).toBe(201);
  });
});

describe('DELETE /api/v1/credentials/{id} (erasure)', () => {
  it('erases: every public address answers 410, nothing of the learner is left, the status entry says revoked', async () => {
    const { id, credential } = await issue();
    const erasedAt = new Date(clock).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const res = await erase(id).expect(200);
    expect(res.body).toEqual({ id, erased: true, erasedAt });

    for (const path of [`/credentials/${id}`, `/credentials/${id}.json`, `/credentials/${id}.jwt`]) {
      expect([path, ...codeOf(await request(t.app).get(path))]).toEqual([path, 410, 'credential_erased']);
    }
    for (const path of [`/credentials/${id}/badge.png`, `/credentials/${id}/badge.svg`, `/credentials/${id}/certificate.pdf`]) {
      expect([path, ...codeOf(await request(t.app).get(path))]).toEqual([path, 410, 'credential_erased']);
    }
    expect(codeOf(await request(t.app).post(`/credentials/${id}/recipient-check`).send({ email: 'maria.rossi@example.org' }))).toEqual([410, 'credential_erased']);

    const rows = await rawQuery(t, `select document, jwt, recipient_name, learner_key, erased_at from credentials where id = '${id}'`);
    expect(rows).toEqual([{ document: '', jwt: '', recipient_name: null, learner_key: null, erased_at: erasedAt }]);
    expect(await rawQuery(t, `select id from outbox where credential_id = '${id}'`)).toEqual([]);
    const status = await t.ctx.storage.status.entryOf(id);
    expect(status).toEqual({ revokedAt: erasedAt, reason: 'erased', reasonPublic: false, suspendedAt: null });
    // A copy still held somewhere verifies as revoked, never as verified.
    const report = (await request(t.app).post('/verify').send(credential).expect(200)).body;
    expect([report.verdict, statusCheck(report).status]).toEqual(['failed', 'failed']);

    const audit = (await t.ctx.accounts.auditOf(t.ctx.instance.id, { limit: 20 })).filter((e) => e.subject === id && e.action !== 'credential.awarded');
    expect(audit).toEqual([expect.objectContaining({ action: 'credential.erased', actor: expect.stringMatching(/^api-key:/), details: null })]);
    expect(JSON.stringify(await rawQuery(t, 'select * from audit_log'))).not.toMatch(/Maria|example\.org/);
  });

  it('answers a browser with a page in its language, in each of the seven', async () => {
    const { id } = await issue();
    await erase(id).expect(200);
    const titles = { en: 'This badge was erased', it: 'Questo badge è stato cancellato', lt: 'Šis ženkliukas ištrintas', ro: 'Această insignă a fost ștearsă', fr: 'Ce badge a été effacé', es: 'Esta insignia fue borrada', de: 'Dieses Badge wurde gelöscht' };
    for (const [lang, title] of Object.entries(titles)) {
      const page = await request(t.app).get(`/credentials/${id}`).set('Accept', 'text/html').set('Accept-Language', lang).expect(410);
      expect([lang, page.headers['content-type'], page.headers['content-language']]).toEqual([lang, 'text/html; charset=utf-8', lang]);
      expect(page.text).toContain(`<html lang="${lang}">`);
      expect(page.text).toContain(title);
    }
    const pdf = await request(t.app).get(`/credentials/${id}/certificate.pdf?lang=de`).set('Accept', 'text/html').expect(410);
    expect(pdf.text).toContain('Dieses Badge wurde gelöscht');
  });

  it('is not defeated by what this process kept: an erasure by another instance shows as soon as the database tells', async () => {
    const { id, credential } = await issue();
    // Every copy this process keeps: the document, the VC-JWT, the baked images, the certificate, the page, the state.
    const path = `/credentials/${id}`;
    await request(t.app).get(path).expect(200);
    await request(t.app).get(`${path}.jwt`).expect(200);
    await binary(request(t.app).get(`${path}/badge.png`)).expect(200);
    await binary(request(t.app).get(`${path}/badge.svg`)).expect(200);
    await binary(request(t.app).get(`${path}/certificate.pdf`)).expect(200);
    await request(t.app).get(path).set('Accept', 'text/html').expect(200);
    // Another instance erases it, on its own connection to the shared database; this process's caches untouched.
    const other = await anotherInstanceStorage(t);
    try {
      await other.transaction(async (tx) => {
        await tx.status.revoke(id, String(credential.credentialStatus.statusListCredential).split('/').pop()!, { revokedAt: '2027-02-01T00:00:00Z', reason: 'erased', reasonPublic: false });
        await tx.credentials.erase(id, '2027-02-01T00:00:00Z');
      });
    } finally {
      await other.close();
    }
    // SQLite is read on every request; PostgreSQL tells each instance at commit, a few milliseconds away.
    const deadline = Date.now() + 2_000;
    while ((await request(t.app).get(`${path}/badge.png`)).status !== 410 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    for (const suffix of ['', '.json', '.jwt', '/badge.png', '/badge.svg', '/certificate.pdf']) {
      expect([suffix, ...codeOf(await request(t.app).get(`${path}${suffix}`))]).toEqual([suffix, 410, 'credential_erased']);
    }
    expect((await request(t.app).get(path).set('Accept', 'text/html')).status).toBe(410);
    expect(await t.ctx.issuance.get(id)).toEqual({ id, orgId: t.ctx.instance.id, badgeClass: 'carer-plus-digital-communication', document: '', jwt: null });
  });

  it('answers a second erasure with the first, and a replay of the issuing request with 410', async () => {
    const body = { ...AWARD, recipient: { email: 'jonas@example.org' } };
    const issued = (await request(t.app).post('/api/v1/credentials').set(auth()).set('Idempotency-Key', 'erase-replay').send(body).expect(201)).body;
    const first = (await erase(issued.id).expect(200)).body;
    clock += 60_000;
    expect((await erase(issued.id).expect(200)).body).toEqual(first);
    expect((await t.ctx.accounts.auditOf(t.ctx.instance.id, { limit: 100 })).filter((e) => e.subject === issued.id && e.action === 'credential.erased')).toHaveLength(1);
    expect(codeOf(await request(t.app).post('/api/v1/credentials').set(auth()).set('Idempotency-Key', 'erase-replay').send(body))).toEqual([410, 'credential_erased']);
  });

  it('erases a credential revoked before, replacing its reason, which may name the learner, and keeping its date', async () => {
    const { id } = await issue();
    const revoked = (await request(t.app).post(`/api/v1/credentials/${id}/revoke`).set(auth()).send({ reason: 'Maria Rosi copied the test', publishReason: true }).expect(200)).body;
    await erase(id).expect(200);
    expect(await t.ctx.storage.status.entryOf(id)).toEqual({ revokedAt: revoked.revokedAt, reason: 'erased', reasonPublic: false, suspendedAt: null });
  });

  it('erases a suspended credential, removing the suspension\'s reason, which may name the learner', async () => {
    const { id } = await issue();
    await request(t.app).post(`/api/v1/credentials/${id}/suspend`).set(auth()).send({ reason: 'Maria Rosi is under investigation' }).expect(200);
    await erase(id).expect(200);
    expect((await t.ctx.storage.status.suspensionOf(id))?.reason ?? null).toBeNull();
    expect(JSON.stringify(await rawQuery(t, 'select * from credential_suspensions'))).not.toContain('Rosi');
  });

  it('touches only the organisation\'s own credentials, within the key\'s badge classes', async () => {
    const { id } = await issue();
    expect(codeOf(await erase(id, otherKey))).toEqual([404, 'credential_not_found']);
    expect(codeOf(await erase(id, narrowKey))).toEqual([403, 'badge_class_not_allowed']);
    expect(codeOf(await erase('not-a-credential'))).toEqual([404, 'credential_not_found']);
    await request(t.app).get(`/credentials/${id}`).expect(200);
    const theirs = await issue(AWARD, otherKey);
    expect(codeOf(await erase(theirs.id))).toEqual([404, 'credential_not_found']);
    expect(codeOf(await reissue(theirs.id, { recipient: { name: 'X' } }))).toEqual([404, 'credential_not_found']);
    await request(t.app).get(`/credentials/${theirs.id}`).expect(200);
  });
});
