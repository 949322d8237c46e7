import { decodeList } from '@digitalbazaar/vc-bitstring-status-list';
import request from 'supertest';
import { addProvider } from '../../src/organisations/api-keys.js';
import { STATUS_LIST_SIZE } from '../../src/status/status-lists.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { pathOf, verifyWithDigitalBazaar } from '../helpers/verify.js';

/**
 * Suspension: OB 3.0 allows one credentialStatus, ours is the revocation entry, so a suspension sets
 * the credential's bit in the revocation list's parallel list (`statusPurpose: "suspension"`, the same
 * index), published at `<revocation list>/suspension`. Our verifier and pages read it; reinstating
 * clears it; revocation stays final.
 */
let t: TestApp;
let otherKey: string;
// An hour ago, in whole seconds: third-party verifiers read validFrom against the real clock.
let clock = Math.floor(Date.now() / 1000) * 1000 - 3600_000;
beforeAll(async () => {
  t = await startTestApp({}, { now: () => new Date(clock) });
  otherKey = (await addProvider(t.ctx, 'Another Provider', ['*'])).apiKey;
});
afterAll(() => t.close());

type Issued = { id: string; url: string; credential: Record<string, any> };
async function issue(key = t.apiKey): Promise<Issued> {
  const res = await request(t.app)
    .post('/api/v1/credentials')
    .set('Authorization', `Bearer ${key}`)
    .send({ badgeClass: 'track-alzheimers-informal-carer', recipient: { email: 'carer@example.org', name: 'Carla Rossi' } })
    .expect(201);
  return res.body as Issued;
}
const post = (id: string, action: 'suspend' | 'reinstate' | 'revoke', body: object = {}, key = t.apiKey) =>
  request(t.app).post(`/api/v1/credentials/${id}/${action}`).set('Authorization', `Bearer ${key}`).send(body);
const verify = async (credential: object) => (await request(t.app).post('/verify').send(credential).expect(200)).body as { verdict: string; verified: boolean; checks: Array<{ id: string; status: string; code: string; message: string }>; status?: Record<string, unknown> };
const statusCheck = (report: Awaited<ReturnType<typeof verify>>) => report.checks.find((c) => c.id === 'status')!;
const suspensionPath = (issued: Issued) => `${pathOf(issued.credential.credentialStatus.statusListCredential)}/suspension`;
const bitOf = async (listText: string, index: string) => (await decodeList({ encodedList: JSON.parse(listText).credentialSubject.encodedList })).getStatus(Number(index));
const page = (issued: Issued) => request(t.app).get(pathOf(issued.url)).set('Accept', 'text/html').expect(200);

describe('the suspension list', () => {
  it('runs parallel to each revocation list: same issuer, size and indexes, statusPurpose "suspension", signed and verifiable', async () => {
    const issued = await issue();
    const res = await request(t.app).get(suspensionPath(issued)).expect(200);
    expect(res.headers['content-type']).toMatch(/application\/vc\+ld\+json/);
    const list = JSON.parse(res.text);
    expect(list.id).toBe(`${issued.credential.credentialStatus.statusListCredential}/suspension`);
    expect(list.type).toEqual(['VerifiableCredential', 'BitstringStatusListCredential']);
    expect(list.issuer).toBe(t.ctx.instance.did);
    expect(list.credentialSubject).toMatchObject({ id: `${list.id}#list`, type: 'BitstringStatusList', statusPurpose: 'suspension' });
    expect((await decodeList({ encodedList: list.credentialSubject.encodedList })).length).toBe(STATUS_LIST_SIZE);
    expect(await bitOf(res.text, issued.credential.credentialStatus.statusListIndex)).toBe(false);
    expect((await verifyWithDigitalBazaar(list, t.app)).verified).toBe(true);
  });

  it('is cached as the revocation lists are: revalidated every time, the same bytes and ETag until it changes', async () => {
    const issued = await issue();
    const first = await request(t.app).get(suspensionPath(issued)).expect(200);
    const revocationList = await request(t.app).get(pathOf(issued.credential.credentialStatus.statusListCredential)).expect(200);
    expect(first.headers['cache-control']).toBe(revocationList.headers['cache-control']);
    expect(first.headers['cache-control']).toBe('no-cache');
    expect(first.headers.etag).toBeDefined();
    const again = await request(t.app).get(suspensionPath(issued)).expect(200);
    expect(again.text).toBe(first.text);
    await request(t.app).get(suspensionPath(issued)).set('If-None-Match', first.headers.etag!).expect(304);
    await post(issued.id, 'suspend', { reason: 'Under review' }).expect(200);
    const changed = await request(t.app).get(suspensionPath(issued)).set('If-None-Match', first.headers.etag!).expect(200);
    expect(changed.headers.etag).not.toBe(first.headers.etag);
  });

  it('answers 404 for a list that does not exist, and never makes one', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    const res = await request(t.app).get(`/status/${unknown}/suspension`).expect(404);
    expect(res.body.error.code).toBe('not_found');
    expect(await t.ctx.storage.status.getList(`${unknown}/suspension`)).toBeUndefined();
    expect((await request(t.app).get('/status/not-a-list/suspension').expect(404)).body.error.code).toBe('not_found');
  });
});

describe('POST /api/v1/credentials/{id}/suspend and /reinstate', () => {
  it('suspends: the bit is set in the suspension list only, the list is signed again, our verifier and page say suspended', async () => {
    const issued = await issue();
    const { statusListCredential, statusListIndex } = issued.credential.credentialStatus;
    const revocationBefore = (await request(t.app).get(pathOf(statusListCredential))).text;
    const before = (await request(t.app).get(suspensionPath(issued))).text;
    expect((await verify(issued.credential)).verdict).toBe('verified');

    clock += 60_000;
    const res = await post(issued.id, 'suspend', { reason: 'Assessment under investigation' }).expect(200);
    expect(res.body).toEqual({ id: issued.id, suspended: true, suspendedAt: new Date(clock).toISOString().replace('.000Z', 'Z'), reason: 'Assessment under investigation' });

    const after = await request(t.app).get(suspensionPath(issued)).expect(200);
    expect(after.text).not.toBe(before);
    expect(await bitOf(after.text, statusListIndex)).toBe(true);
    expect((await verifyWithDigitalBazaar(JSON.parse(after.text), t.app)).verified).toBe(true);
    // The revocation list is not touched: the credential is not revoked.
    const revocationAfter = (await request(t.app).get(pathOf(statusListCredential))).text;
    expect(revocationAfter).toBe(revocationBefore);
    expect(await bitOf(revocationAfter, statusListIndex)).toBe(false);

    const report = await verify(issued.credential);
    expect([report.verdict, report.verified]).toEqual(['failed', false]);
    expect(statusCheck(report)).toMatchObject({ status: 'failed', code: 'suspended', message: expect.stringContaining('Suspended by the issuer on') });
    expect(report.status).toEqual({ revoked: false, suspended: true, suspendedAt: res.body.suspendedAt });
    // The reason is the organisation's own.
    expect(JSON.stringify(report)).not.toContain('Assessment under investigation');

    const html = (await page(issued)).text;
    expect(html).toMatch(/Suspended since \d{1,2} \w+ \d{4}/);
    expect(html).not.toContain('Assessment under investigation');
    expect(html).not.toMatch(/>Verified</);
    expect(html).not.toContain('certificate.pdf');
    expect(html).not.toContain('Add to LinkedIn profile');
    const pdf = await request(t.app).get(`${pathOf(issued.url)}/certificate.pdf`);
    expect([pdf.status, pdf.body.error?.code]).toEqual([409, 'credential_suspended']);
  });

  it('reinstates: the bit is cleared, the list signed again, and the badge verifies and prints again', async () => {
    const issued = await issue();
    // The page is verified and kept before the suspension: what it keeps must not outlive a change.
    expect((await page(issued)).text).toContain('Add to LinkedIn profile');
    await post(issued.id, 'suspend', { reason: 'Check pending' }).expect(200);
    const suspended = (await request(t.app).get(suspensionPath(issued))).text;
    expect((await page(issued)).text).toMatch(/Suspended since/);

    clock += 60_000;
    const res = await post(issued.id, 'reinstate').expect(200);
    expect(res.body).toEqual({ id: issued.id, suspended: false, reinstatedAt: new Date(clock).toISOString().replace('.000Z', 'Z') });
    const after = (await request(t.app).get(suspensionPath(issued)).expect(200)).text;
    expect(after).not.toBe(suspended);
    expect(await bitOf(after, issued.credential.credentialStatus.statusListIndex)).toBe(false);
    expect((await verifyWithDigitalBazaar(JSON.parse(after), t.app)).verified).toBe(true);
    expect((await verify(issued.credential)).verdict).toBe('verified');
    const html = (await page(issued)).text;
    expect(html).not.toMatch(/Suspended since/);
    expect(html).toContain('Add to LinkedIn profile');
    await request(t.app).get(`${pathOf(issued.url)}/certificate.pdf`).expect(200);
  });

  it('answers a repeated suspension with the first, and refuses to reinstate a badge that is not suspended', async () => {
    const issued = await issue();
    const first = await post(issued.id, 'suspend', { reason: 'First' }).expect(200);
    clock += 60_000;
    const second = await post(issued.id, 'suspend', { reason: 'Second' }).expect(200);
    expect(second.body).toEqual(first.body);
    await post(issued.id, 'reinstate').expect(200);
    const again = await post(issued.id, 'reinstate');
    expect([again.status, again.body.error.code]).toEqual([409, 'credential_not_suspended']);
    const never = await post((await issue()).id, 'reinstate');
    expect([never.status, never.body.error.code]).toEqual([409, 'credential_not_suspended']);
  });

  it('keeps revocation final: a revoked badge cannot be suspended or reinstated, and a suspended one that is revoked reads as revoked', async () => {
    const revoked = await issue();
    await post(revoked.id, 'revoke', { reason: 'Issued by mistake' }).expect(200);
    for (const action of ['suspend', 'reinstate'] as const) {
      const res = await post(revoked.id, action, action === 'suspend' ? { reason: 'x' } : {});
      expect([action, res.status, res.body.error.code]).toEqual([action, 410, 'credential_revoked']);
    }
    expect(await t.ctx.storage.status.suspensionOf(revoked.id)).toBeUndefined();

    const suspended = await issue();
    await post(suspended.id, 'suspend', { reason: 'Investigation' }).expect(200);
    await post(suspended.id, 'revoke', { reason: 'Investigation confirmed the fraud', publishReason: true }).expect(200);
    const report = await verify(suspended.credential);
    expect(statusCheck(report)).toMatchObject({ status: 'failed', code: 'revoked' });
    expect((await page(suspended)).text).toMatch(/Revoked on/);
    expect((await post(suspended.id, 'reinstate')).body.error.code).toBe('credential_revoked');
    const pdf = await request(t.app).get(`${pathOf(suspended.url)}/certificate.pdf`);
    expect([pdf.status, pdf.body.error.code]).toEqual([410, 'credential_revoked']);
  });

  it('answers 404 for another organisation’s credential, which stays valid', async () => {
    const theirs = await issue(otherKey);
    for (const action of ['suspend', 'reinstate'] as const) {
      const res = await post(theirs.id, action, { reason: 'Not mine' });
      expect([action, res.status, res.body.error.code]).toEqual([action, 404, 'credential_not_found']);
    }
    expect((await verify(theirs.credential)).verdict).toBe('verified');
  });

  it('uses each organisation’s own suspension list, signed by that organisation', async () => {
    const theirs = await issue(otherKey);
    await post(theirs.id, 'suspend', { reason: 'Review' }, otherKey).expect(200);
    const list = JSON.parse((await request(t.app).get(suspensionPath(theirs)).expect(200)).text);
    expect(list.issuer).toBe(theirs.credential.issuer.id);
    expect(list.issuer).not.toBe(t.ctx.instance.did);
    expect((await verifyWithDigitalBazaar(list, t.app)).verified).toBe(true);
    expect(statusCheck(await verify(theirs.credential)).code).toBe('suspended');
  });

  it('refuses a request it cannot read with a stable 4xx, never a 500', async () => {
    const { id } = await issue();
    const noReason = await post(id, 'suspend', {});
    expect([noReason.status, noReason.body.error.code, noReason.body.error.details[0].path]).toEqual([422, 'validation_failed', 'reason']);
    const published = await post(id, 'suspend', { reason: 'x', publishReason: true });
    expect([published.status, published.body.error.code, published.body.error.details[0].path]).toEqual([422, 'validation_failed', 'publishReason']);
    const extra = await post(id, 'suspend', { reason: 'x', until: 'tomorrow' });
    expect([extra.status, extra.body.error.code]).toEqual([422, 'validation_failed']);
    const notJson = await request(t.app).post(`/api/v1/credentials/${id}/suspend`).set('Authorization', `Bearer ${t.apiKey}`).type('application/json').send('{"reason":');
    expect([notJson.status, notJson.body.error.code]).toEqual([400, 'malformed_json']);
    for (const action of ['suspend', 'reinstate'] as const) {
      expect((await post('00000000-0000-4000-8000-000000000000', action, { reason: 'x' })).body.error.code).toBe('credential_not_found');
      expect((await post('not-an-id', action, { reason: 'x' })).body.error.code).toBe('credential_not_found');
      expect((await request(t.app).post(`/api/v1/credentials/${id}/${action}`).send({ reason: 'x' })).status).toBe(401);
    }
    expect(await t.ctx.storage.status.suspensionOf(id)).toBeUndefined();
  });

  it('writes the audit log: which key suspended and reinstated which credential, nothing about the learner', async () => {
    const { id } = await issue();
    await post(id, 'suspend', { reason: 'Carla Rossi’s assessor is under review' }).expect(200);
    clock += 1000;
    await post(id, 'reinstate').expect(200);
    const entries = (await t.ctx.accounts.auditOf(t.ctx.instance.id, { limit: 100 })).filter((e) => e.subject === id && e.action !== 'credential.awarded');
    expect(entries.map((e) => [e.action, e.details])).toEqual([
      ['credential.reinstated', null],
      ['credential.suspended', null],
    ]);
    expect(entries.every((e) => e.actor.startsWith('api-key:'))).toBe(true);
    expect(JSON.stringify(entries)).not.toMatch(/Carla|carer@example/);
  });
});
