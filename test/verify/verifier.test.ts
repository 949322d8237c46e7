import { readFileSync } from 'node:fs';
import { jest } from '@jest/globals';
import request from 'supertest';
import type { Check, VerificationReport } from '../../src/verify/report.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

/**
 * The verifier against the OB 3.0 specification's signed test vector and tampered copies of it.
 * The test vector names its key `<issuer>#<publicKeyMultibase>` at example.edu, which does not answer:
 * the proof may use the key in the fragment, but the binding to the issuer must be reported unconfirmed.
 */
const vector = JSON.parse(readFileSync(new URL('../fixtures/ob3-spec/ob3-spec-test-vector-signed.json', import.meta.url), 'utf8')) as Record<string, any>;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const verify = (credential: unknown, email?: string) => t.ctx.verifier.verify({ credential: structuredClone(credential) as Record<string, unknown> }, email ? { email } : {});
const check = (report: VerificationReport, id: Check['id']) => report.checks.find((c) => c.id === id)!;

describe('the OB 3.0 specification test vector', () => {
  it('has an intact signature, but is unconfirmed (never verified) while its issuer’s host does not answer', async () => {
    const report = await verify(vector);
    expect(check(report, 'proof')).toMatchObject({ status: 'passed', code: 'signature_valid' });
    expect(check(report, 'issuer_key')).toMatchObject({ status: 'unconfirmed', code: 'key_unreachable', message: expect.stringContaining('could not be confirmed') });
    expect(check(report, 'format').status).toBe('passed');
    expect(check(report, 'contexts').status).toBe('passed');
    // Its proof is an object where the canonical schema wants an array: tolerated compaction.
    expect(check(report, 'open_badge')).toMatchObject({ status: 'warning', code: 'ob_compacted' });
    expect(check(report, 'validity_period').status).toBe('passed');
    expect(check(report, 'status').status).toBe('skipped');
    expect(report.verdict).toBe('unconfirmed');
    expect(report.verified).toBe(false);
  });

  const variants: Array<[string, (c: Record<string, any>) => void, Check['id']]> = [
    ['a changed achievement name', (c) => (c.credentialSubject.achievement.name = 'Leadership'), 'proof'],
    ['a changed issuer name', (c) => (c.issuer.name = 'Another Corp'), 'proof'],
    ['a changed validFrom', (c) => (c.validFrom = '2011-01-01T00:00:00Z'), 'proof'],
    ['a changed subject', (c) => (c.credentialSubject.id = 'did:example:someone-else'), 'proof'],
    ['an added property', (c) => (c.description = 'Added later'), 'proof'],
    ['a changed proof value', (c) => (c.proof.proofValue = c.proof.proofValue.replace(/.$/, (ch: string) => (ch === 'r' ? 's' : 'r'))), 'proof'],
    ['a changed proof date', (c) => (c.proof.created = '2011-01-01T19:23:24Z'), 'proof'],
    ['another key in the verification method', (c) => (c.proof.verificationMethod = 'https://example.edu/issuers/565049#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'), 'proof'],
    ['a key of another controller', (c) => (c.proof.verificationMethod = 'https://attacker.example/keys#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi'), 'issuer_key'],
    ['an unsupported cryptosuite', (c) => (c.proof.cryptosuite = 'ecdsa-rdfc-2019'), 'proof'],
    ['no proof', (c) => delete c.proof, 'proof'],
    ['a validUntil in the past', (c) => (c.validUntil = '2011-01-01T00:00:00Z'), 'proof'],
  ];

  it.each(variants.map(([name, tamper, failing]) => ({ name, tamper, failing })))('fails for $name, naming the $failing check', async ({ tamper, failing }) => {
    const copy = structuredClone(vector);
    tamper(copy);
    const report = await verify(copy);
    expect(report.verified).toBe(false);
    expect(check(report, failing).status).toBe('failed');
  });

  it('fails a credential carrying a proof swapped in from another credential', async () => {
    const issued = await request(t.app).post('/api/v1/credentials').set('Authorization', `Bearer ${t.apiKey}`).send({ badgeClass: t.ctx.catalog.list()[0]!.badgeClass.slug, recipient: { id: 'did:example:ebfeb1f712ebc6f1c276e12ec21' } });
    const swapped = { ...structuredClone(vector), proof: issued.body.credential.proof };
    const report = await verify(swapped);
    expect(check(report, 'proof').status).toBe('failed');
    expect(report.verified).toBe(false);
  });

  it('rejects a credential with an unknown @context without any network request', async () => {
    const fetchSpy = jest.spyOn(globalThis, 'fetch');
    const copy = { ...structuredClone(vector), '@context': [...vector['@context'], 'https://contexts.example.net/extra/v1.jsonld'] };
    const report = await verify(copy);
    expect(check(report, 'contexts')).toMatchObject({ status: 'failed', message: expect.stringContaining('https://contexts.example.net/extra/v1.jsonld') });
    expect(check(report, 'proof').status).toBe('failed');
    expect(report.verified).toBe(false);
    expect(fetchSpy).not.toHaveBeenCalled();
    fetchSpy.mockRestore();
  });

  it('reports expiry plainly for an expired copy', async () => {
    const report = await t.ctx.verifier.verify({ credential: structuredClone(vector) });
    expect(check(report, 'validity_period').status).toBe('passed');
    const later = await startTestApp({}, { now: () => new Date('2031-01-01T00:00:00Z') });
    try {
      const issued = await request(later.app).post('/api/v1/credentials').set('Authorization', `Bearer ${later.apiKey}`).send({ badgeClass: later.ctx.catalog.list()[0]!.badgeClass.slug, recipient: { email: 'a@example.org' }, validUntil: '2031-06-01T00:00:00Z' });
      const verifier = (await startTestApp({}, { now: () => new Date('2032-01-01T00:00:00Z') })).ctx.verifier;
      const expired = await verifier.verify({ credential: issued.body.credential });
      expect(check(expired, 'validity_period')).toEqual({ id: 'validity_period', status: 'failed', code: 'expired', message: 'Expired on 2031-06-01.' });
    } finally {
      later.close();
    }
  });
});

describe('our own credentials', () => {
  it('verify fully: proof, issuer key confirmed, schema, status, recipient', async () => {
    const res = await request(t.app)
      .post('/api/v1/credentials')
      .set('Authorization', `Bearer ${t.apiKey}`)
      .send({ badgeClass: t.ctx.catalog.list()[0]!.badgeClass.slug, recipient: { email: 'Maria.Rossi@example.org' } });
    const report = await verify(res.body.credential, 'maria.rossi@example.org');
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ['format', 'passed'],
      ['contexts', 'passed'],
      ['open_badge', 'passed'],
      ['proof', 'passed'],
      ['issuer_key', 'passed'],
      ['validity_period', 'passed'],
      ['status', 'passed'],
      ['recipient', 'passed'],
      ['endorsements', 'skipped'],
    ]);
    expect(report.verified).toBe(true);
    const wrongRecipient = await verify(res.body.credential, 'someone.else@example.org');
    expect(check(wrongRecipient, 'recipient').status).toBe('failed');
    expect(wrongRecipient.verified).toBe(false);
  });

  it('verify as VC-JWT too, and a JWT with a changed payload fails the proof check', async () => {
    const res = await request(t.app).post('/api/v1/credentials?include=jwt').set('Authorization', `Bearer ${t.apiKey}`).send({ badgeClass: t.ctx.catalog.list()[1]!.badgeClass.slug, recipient: { id: 'did:example:42' } });
    const report = await t.ctx.verifier.verify({ jwt: res.body.jwt });
    expect(check(report, 'proof')).toMatchObject({ status: 'passed', message: expect.stringContaining('RS256') });
    expect(check(report, 'issuer_key').status).toBe('passed');
    expect(report.verified).toBe(true);
    const [h, p, s] = res.body.jwt.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    payload.name = 'Forged';
    const forged = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
    const bad = await t.ctx.verifier.verify({ jwt: forged });
    expect(check(bad, 'proof').status).toBe('failed');
  });
});
