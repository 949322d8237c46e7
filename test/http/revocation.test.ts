import { decodeList } from '@digitalbazaar/vc-bitstring-status-list';
import request from 'supertest';
import { STATUS_LIST_SIZE } from '../../src/status/status-lists.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { pathOf, verifyWithDigitalBazaar } from '../helpers/verify.js';
import { addProvider } from '../../src/organisations/api-keys.js';

let t: TestApp;
let otherKey: string;
beforeAll(async () => {
  t = await startTestApp();
  otherKey = (await addProvider(t.ctx, 'Another Provider', ['*'])).apiKey;
});
afterAll(() => t.close());

async function issue(key = t.apiKey) {
  const res = await request(t.app)
    .post('/api/v1/credentials')
    .set('Authorization', `Bearer ${key}`)
    .send({ badgeClass: 'track-alzheimers-informal-carer', recipient: { email: 'carer@example.org' } })
    .expect(201);
  return res.body as { id: string; url: string; credential: Record<string, any> };
}
const revoke = (id: string, body: object, key = t.apiKey) => request(t.app).post(`/api/v1/credentials/${id}/revoke`).set('Authorization', `Bearer ${key}`).send(body);
const statusCheck = (report: { checks: Array<{ id: string; status: string; message: string }> }) => report.checks.find((c) => c.id === 'status')!;

describe('credential status entries', () => {
  it('gives each credential a BitstringStatusListEntry at a random index of a 131,072-entry list', async () => {
    const a = await issue();
    const b = await issue();
    const entry = a.credential.credentialStatus;
    expect(entry).toEqual({
      id: `${entry.statusListCredential}#${entry.statusListIndex}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: expect.stringMatching(/^\d+$/),
      statusListCredential: expect.stringMatching(/\/status\/[0-9a-f-]{36}$/),
    });
    expect(b.credential.credentialStatus.statusListIndex).not.toBe(entry.statusListIndex);
    const list = JSON.parse((await request(t.app).get(pathOf(entry.statusListCredential)).expect(200)).text);
    expect(list.type).toEqual(['VerifiableCredential', 'BitstringStatusListCredential']);
    expect(list.issuer).toBe(t.ctx.instance.did);
    expect((await decodeList({ encodedList: list.credentialSubject.encodedList })).length).toBe(STATUS_LIST_SIZE);
    expect(STATUS_LIST_SIZE).toBeGreaterThanOrEqual(131072);
  });

  it('serves a signed status list that verifies, the same bytes until something changes', async () => {
    const { credential } = await issue();
    const path = pathOf(credential.credentialStatus.statusListCredential);
    const first = await request(t.app).get(path).expect(200);
    expect(first.headers['content-type']).toMatch(/application\/vc\+ld\+json/);
    const list = JSON.parse(first.text);
    expect((await verifyWithDigitalBazaar(list, t.app)).verified).toBe(true);
    expect((await request(t.app).get(path)).text).toBe(first.text);
  });
});

describe('POST /api/v1/credentials/{id}/revoke', () => {
  it('revokes: the list bit is set, the list is signed again, and verifiers see it at once', async () => {
    const { id, credential } = await issue();
    const path = pathOf(credential.credentialStatus.statusListCredential);
    const before = (await request(t.app).get(path)).text;
    expect((await request(t.app).post('/verify').send(credential).expect(200)).body.verified).toBe(true);

    const res = await revoke(id, { reason: 'Assessment found to be invalid' }).expect(200);
    expect(res.body).toEqual({ id, revoked: true, revokedAt: expect.stringMatching(/Z$/), reason: 'Assessment found to be invalid', reasonPublic: false });

    const after = await request(t.app).get(path).expect(200);
    expect(after.text).not.toBe(before);
    const bits = await decodeList({ encodedList: JSON.parse(after.text).credentialSubject.encodedList });
    expect(bits.getStatus(Number(credential.credentialStatus.statusListIndex))).toBe(true);
    expect((await verifyWithDigitalBazaar(JSON.parse(after.text), t.app)).verified).toBe(true);
    // A third-party-style check of the list says revoked; so does our verifier.
    expect((await verifyWithDigitalBazaar(credential, t.app)).verified).toBe(false);
    const report = (await request(t.app).post('/verify').send(credential).expect(200)).body;
    expect(report.verified).toBe(false);
    expect(statusCheck(report)).toMatchObject({ status: 'failed', message: expect.stringContaining('Revoked') });
    // The private reason is not shown to verifiers.
    expect(JSON.stringify(report)).not.toContain('Assessment found to be invalid');
  });

  it('shows the reason to verifiers only when the provider publishes it', async () => {
    const { id, credential } = await issue();
    await revoke(id, { reason: 'Issued by mistake', publishReason: true }).expect(200);
    const report = (await request(t.app).post('/verify').send(credential).expect(200)).body;
    expect(statusCheck(report).message).toContain('Issued by mistake');
    expect(report.status).toMatchObject({ revoked: true, reason: 'Issued by mistake' });
  });

  it('shows the revocation on the credential page, with the reason only when published', async () => {
    const hidden = await issue();
    await revoke(hidden.id, { reason: 'Internal audit finding' }).expect(200);
    const page = await request(t.app).get(pathOf(hidden.url)).set('Accept', 'text/html').expect(200);
    expect(page.text).toMatch(/Revoked on \d{1,2} \w+ \d{4}/);
    expect(page.text).not.toContain('Internal audit finding');
    const shown = await issue();
    await revoke(shown.id, { reason: 'Issued to the wrong learner', publishReason: true }).expect(200);
    expect((await request(t.app).get(pathOf(shown.url)).set('Accept', 'text/html')).text).toContain('Issued to the wrong learner');
  });

  it('is harmless when repeated', async () => {
    const { id } = await issue();
    const first = await revoke(id, { reason: 'Duplicate award' }).expect(200);
    const second = await revoke(id, { reason: 'Another reason' }).expect(200);
    expect(second.body).toEqual(first.body);
  });

  it('is allowed only to the provider that issued the credential', async () => {
    const { id, credential } = await issue();
    const res = await revoke(id, { reason: 'Not mine' }, otherKey);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('not_credential_issuer');
    expect((await request(t.app).post('/verify').send(credential)).body.verified).toBe(true);
  });

  it('answers 404 for an unknown credential, 422 without a reason, 401 without a key', async () => {
    expect((await revoke('00000000-0000-4000-8000-000000000000', { reason: 'x' })).body.error.code).toBe('credential_not_found');
    const { id } = await issue();
    const noReason = await revoke(id, {});
    expect([noReason.status, noReason.body.error.details[0].path]).toEqual([422, 'reason']);
    expect((await request(t.app).post(`/api/v1/credentials/${id}/revoke`).send({ reason: 'x' })).status).toBe(401);
  });
});
