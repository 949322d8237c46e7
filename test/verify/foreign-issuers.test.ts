import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as dcVc from '@digitalcredentials/vc';
import { Ed25519Signature2020 } from '@digitalcredentials/ed25519-signature-2020';
import { Ed25519VerificationKey2020 } from '@digitalcredentials/ed25519-verification-key-2020';
import { securityLoader } from '@digitalcredentials/security-document-loader';
import { createCredential as createStatusListCredential, createList } from '@digitalbazaar/vc-bitstring-status-list';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createGuardedFetcher } from '../../src/net/guarded-fetch.js';
import { signDataIntegrity } from '../../src/proofs/data-integrity.js';
import type { Signer } from '../../src/proofs/proof-format.js';
import { createDocumentLoader } from '../../src/jsonld/document-loader.js';
import type { VerificationReport } from '../../src/verify/report.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { FIRST_AID_ACHIEVEMENT, firstAidBadge } from '../helpers/credentials.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';

/**
 * Credentials from other issuers: signed by @digitalcredentials tooling (VCDM 1.1, Ed25519Signature2020,
 * did:key), and by issuers whose did:web documents, https keys and JWKs are served by a test server
 * on 127.0.0.1, reached through the guarded fetcher (which this test allows to use loopback).
 */
let t: TestApp;
let fixtures: FixtureServer;
let origin = '';
let served: Map<string, unknown>;
let requests: string[];

beforeAll(async () => {
  fixtures = await startFixtureServer();
  ({ origin, served, requested: requests } = fixtures);
  t = await startTestApp(
    { REMOTE_FETCH_ALLOW_HTTP: 'true', REMOTE_FETCH_ALLOW_PRIVATE: 'true' },
    { fetcher: createGuardedFetcher({ allowHttp: true, allowPrivateAddresses: true, cacheTtlMs: 0 }) },
  );
});
afterAll(async () => {
  t.close();
  await fixtures.close();
});

const check = (r: VerificationReport, id: string) => r.checks.find((c) => c.id === id)!;
const achievement = FIRST_AID_ACHIEVEMENT;
const badge = (id: string, issuer: { id: string; name: string }, extra: Record<string, unknown> = {}) => firstAidBadge(issuer, { id, ...extra });

const signWith = (key: { signer(): Signer }, credential: Record<string, unknown>, created = new Date('2025-01-01T00:00:00Z')) =>
  signDataIntegrity(structuredClone(credential), { signer: key.signer(), documentLoader: createDocumentLoader(), created });

describe('a credential from @digitalcredentials tooling (VCDM 1.1, Ed25519Signature2020, did:key)', () => {
  it('verifies, and a changed copy fails the proof check', async () => {
    const key = await Ed25519VerificationKey2020.generate();
    const did = `did:key:${key.fingerprint()}`;
    key.controller = did;
    key.id = `${did}#${key.fingerprint()}`;
    const credential = {
      '@context': ['https://www.w3.org/2018/credentials/v1', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json', 'https://w3id.org/security/suites/ed25519-2020/v1'],
      id: 'urn:uuid:0f5c8a3e-6f1d-4b8e-9a77-3f2b1c4d5e6f',
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      issuer: { id: did, type: ['Profile'], name: 'DCC Test Issuer' },
      issuanceDate: '2024-01-01T00:00:00Z',
      name: 'First Aid',
      credentialSubject: { id: 'did:example:learner', type: ['AchievementSubject'], achievement },
    };
    const signed = await dcVc.issue({ credential, suite: new Ed25519Signature2020({ key }), documentLoader: securityLoader().build() });
    const report = await t.ctx.verifier.verify({ credential: signed });
    expect(check(report, 'format').message).toContain('1.1');
    expect(check(report, 'proof')).toMatchObject({ status: 'passed', message: expect.stringContaining('Ed25519Signature2020') });
    expect(check(report, 'issuer_key').status).toBe('passed');
    expect(check(report, 'open_badge')).toMatchObject({ status: 'passed', code: 'ob_conformant' });
    expect(report.verified).toBe(true);

    const changed = structuredClone(signed);
    changed.credentialSubject.achievement.name = 'Advanced Life Support';
    expect(check(await t.ctx.verifier.verify({ credential: changed }), 'proof').status).toBe('failed');
  });
});

describe('an issuer with a did:web document', () => {
  it('verifies a Data Integrity proof with the key from the fetched DID document, and notices a key the issuer does not list', async () => {
    const host = origin.replace('http://', '');
    const did = `did:web:${host.replace(':', '%3A')}`;
    const pair = await Ed25519Multikey.generate({ controller: did });
    const vm = `${did}#key-1`;
    const key = await Ed25519Multikey.from({ ...(await pair.export({ publicKey: true, secretKey: true })), id: vm, controller: did });
    served.set('/.well-known/did.json', {
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
      id: did,
      verificationMethod: [{ id: vm, type: 'Multikey', controller: did, publicKeyMultibase: pair.publicKeyMultibase }],
      assertionMethod: ['#key-1'],
    });
    const signed = await signWith(key, badge('https://other.example/credentials/1', { id: did, name: 'Web Issuer' }));
    const report = await t.ctx.verifier.verify({ credential: signed });
    expect(check(report, 'proof').status).toBe('passed');
    expect(check(report, 'issuer_key').status).toBe('passed');
    expect(report.verified).toBe(true);
    expect(requests).toContain('/.well-known/did.json');

    // The same DID document without the key under assertionMethod: the host answers, but does not
    // publish the key as the issuer's, so the credential fails (it is not merely unconfirmed).
    served.set('/.well-known/did.json', { ...(served.get('/.well-known/did.json') as object), assertionMethod: [] });
    const unlisted = await t.ctx.verifier.verify({ credential: signed });
    expect(check(unlisted, 'proof').status).toBe('passed');
    expect(check(unlisted, 'issuer_key')).toMatchObject({ status: 'failed', code: 'key_not_bound' });
    expect(unlisted.verdict).toBe('failed');
  });
});

describe('an issuer with https verification methods', () => {
  it('checks that the key document and the issuer profile point at each other', async () => {
    const issuerId = `${origin}/issuers/1`;
    const vm = `${origin}/keys/1`;
    const pair = await Ed25519Multikey.generate();
    const key = await Ed25519Multikey.from({ ...(await pair.export({ publicKey: true, secretKey: true })), id: vm, controller: issuerId });
    served.set('/keys/1', { '@context': 'https://w3id.org/security/multikey/v1', id: vm, type: 'Multikey', controller: issuerId, publicKeyMultibase: pair.publicKeyMultibase });
    served.set('/issuers/1', { id: issuerId, type: 'Profile', assertionMethod: [vm] });
    const credential = badge('https://other.example/credentials/2', { id: issuerId, name: 'Https Issuer' });
    const signed = await signWith(key, credential);
    const report = await t.ctx.verifier.verify({ credential: signed });
    expect(check(report, 'proof').status).toBe('passed');
    expect(check(report, 'issuer_key').status).toBe('passed');

    // A credential claiming another issuer, signed with this key: the key is not that issuer's.
    const impostor = await signWith(key, { ...credential, issuer: { id: 'https://famous-university.example', type: ['Profile'], name: 'Famous University' } }, new Date());
    const bad = await t.ctx.verifier.verify({ credential: impostor });
    expect(check(bad, 'issuer_key').status).toBe('failed');
    expect(bad.verified).toBe(false);
  });
});

describe('VC-JWTs from other issuers', () => {
  const jwtCredential = (issuer: string) => badge('https://other.example/credentials/3', { id: issuer, name: 'JWT Issuer' });

  it.each(['ES256', 'EdDSA', 'RS256'] as const)('verifies %s with the key its kid names, listed in the JWK Set of the issuer site', async (alg) => {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    const kid = `${origin}/jwks/${alg}`;
    const jwk = { ...(await exportJWK(publicKey)), kid };
    served.set(`/jwks/${alg}`, jwk);
    served.set('/.well-known/jwks.json', { keys: [jwk] });
    const credential = jwtCredential(`${origin}/issuers/jwt`);
    const jwt = await new SignJWT({ ...credential, iss: credential.issuer.id, jti: credential.id, sub: 'did:example:learner', nbf: Date.parse(credential.validFrom) / 1000 })
      .setProtectedHeader({ alg, kid })
      .sign(privateKey);
    const report = await t.ctx.verifier.verify({ jwt });
    expect(check(report, 'proof')).toMatchObject({ status: 'passed', message: expect.stringContaining(alg) });
    expect(check(report, 'issuer_key').status).toBe('passed');
    expect(report.verified).toBe(true);
  });

  it('reads a VCDM 1.1 JWT with a vc claim and an embedded jwk: intact signature, key binding unconfirmed', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const credential = {
      '@context': ['https://www.w3.org/2018/credentials/v1', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
      id: 'urn:uuid:8f1c',
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      issuer: { id: 'did:example:no-key-set', type: ['Profile'], name: 'Legacy' },
      issuanceDate: '2024-01-01T00:00:00Z',
      name: 'First Aid',
      credentialSubject: { id: 'did:example:learner', type: ['AchievementSubject'], achievement },
    };
    const jwt = await new SignJWT({ vc: credential, iss: credential.issuer.id, jti: credential.id })
      .setProtectedHeader({ alg: 'ES256', jwk: await exportJWK(publicKey) })
      .sign(privateKey);
    const report = await t.ctx.verifier.verify({ jwt });
    expect(check(report, 'proof').status).toBe('passed');
    expect(check(report, 'issuer_key')).toMatchObject({ status: 'unconfirmed', code: 'key_unreachable' });
    expect(report.verdict).toBe('unconfirmed');
    expect(report.verified).toBe(false);
  });

  it('fails a JWT whose iss is not the credential issuer', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const kid = `${origin}/jwks/iss`;
    served.set('/jwks/iss', { ...(await exportJWK(publicKey)), kid });
    const credential = jwtCredential(`${origin}/issuers/jwt`);
    const jwt = await new SignJWT({ ...credential, iss: 'https://someone-else.example' }).setProtectedHeader({ alg: 'ES256', kid }).sign(privateKey);
    expect(check(await t.ctx.verifier.verify({ jwt }), 'proof')).toMatchObject({ status: 'failed', message: expect.stringContaining('"iss"') });
  });

  it('refuses HS256 and "none"', async () => {
    const secret = new TextEncoder().encode('x'.repeat(32));
    const jwt = await new SignJWT(jwtCredential('https://x.example')).setProtectedHeader({ alg: 'HS256' }).sign(secret);
    expect(check(await t.ctx.verifier.verify({ jwt }), 'proof').message).toContain('HS256');
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(jwtCredential('https://x.example'))).toString('base64url')}.`;
    expect((await t.ctx.verifier.verify({ jwt: none })).verified).toBe(false);
  });
});

describe('endorsements and 1EdTech revocation lists', () => {
  async function didKeySigner() {
    const pair = await Ed25519Multikey.generate();
    const did = `did:key:${pair.publicKeyMultibase}`;
    return { did, key: await Ed25519Multikey.from({ ...(await pair.export({ publicKey: true, secretKey: true })), id: `${did}#${pair.publicKeyMultibase}`, controller: did }) };
  }
  const sign = (c: Record<string, unknown>, key: { signer(): Signer }) => signWith(key, c, new Date('2025-02-01T00:00:00Z'));

  async function endorsedCredential(tamperEndorsement: boolean) {
    const endorser = await didKeySigner();
    const issuer = await didKeySigner();
    const endorsement = await sign(
      {
        '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
        id: 'urn:uuid:6e1f4a2b-0c3d-4e5f-8a9b-1c2d3e4f5a6b',
        type: ['VerifiableCredential', 'EndorsementCredential'],
        name: 'Endorsed by the regional care council',
        issuer: { id: endorser.did, type: ['Profile'], name: 'Regional Care Council' },
        validFrom: '2025-01-15T00:00:00Z',
        credentialSubject: { id: achievement.id, type: ['EndorsementSubject'], endorsementComment: 'Meets the council standard.' },
      },
      endorser.key,
    );
    if (tamperEndorsement) (endorsement.credentialSubject as Record<string, unknown>).endorsementComment = 'Meets every standard there is.';
    return sign(
      badge('https://other.example/credentials/endorsed', { id: issuer.did, name: 'Endorsed Issuer' }, {
        validFrom: '2025-02-01T00:00:00Z',
        credentialSubject: { id: 'did:example:learner', type: ['AchievementSubject'], achievement: { ...achievement, endorsement: [endorsement] } },
      }),
      issuer.key,
    );
  }

  it('verifies embedded endorsements, and fails one whose own signature does not match', async () => {
    const good = await t.ctx.verifier.verify({ credential: await endorsedCredential(false) });
    expect(check(good, 'endorsements')).toMatchObject({ status: 'passed', message: '1 endorsement(s) verified.' });
    expect(good.verified).toBe(true);
    const bad = await t.ctx.verifier.verify({ credential: await endorsedCredential(true) });
    expect(check(bad, 'proof').status).toBe('passed');
    expect(check(bad, 'endorsements').status).toBe('failed');
    expect(bad.verified).toBe(false);
  });

  it('reads a 1EdTechRevocationList', async () => {
    const issuer = await didKeySigner();
    served.set('/revocations', { id: `${origin}/revocations`, revokedCredential: [{ id: 'https://other.example/credentials/revoked', revoked: true, revocationReason: 'Cheating' }] });
    const make = (id: string) =>
      sign(
        badge(id, { id: issuer.did, name: 'List Issuer' }, {
          '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json', 'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json'],
          validFrom: '2025-02-01T00:00:00Z',
          credentialStatus: { id: `${origin}/revocations`, type: '1EdTechRevocationList' },
        }),
        issuer.key,
      );
    const revoked = await t.ctx.verifier.verify({ credential: await make('https://other.example/credentials/revoked') });
    expect(check(revoked, 'status')).toEqual({ id: 'status', status: 'failed', code: 'revoked', message: 'Revoked by the issuer: Cheating' });
    const fine = await t.ctx.verifier.verify({ credential: await make('https://other.example/credentials/fine') });
    expect(check(fine, 'status').status).toBe('passed');
    served.delete('/revocations');
    const unknown = await t.ctx.verifier.verify({ credential: await make('https://other.example/credentials/fine') });
    expect(check(unknown, 'status')).toMatchObject({ status: 'unconfirmed', code: 'status_unreachable' });
    expect(unknown.verdict).toBe('unconfirmed');
  });
});

describe('Bitstring Status Lists of another issuer: revocation and suspension', () => {
  /**
   * VCDM 2.0 lets a credential carry several status entries; this issuer's carries a revocation entry
   * and a suspension entry (W3C Bitstring Status List §3.2), each list served by its host, signed by
   * the issuer, fetched through the guarded fetcher.
   */
  const REVOCATION_INDEX = 5;
  const SUSPENSION_INDEX = 9;
  let issuer: { did: string; key: { signer(): Signer } };
  let credential: Record<string, unknown>;

  async function serveList(path: string, statusPurpose: 'revocation' | 'suspension', set: number[], purposeSaid: string = statusPurpose) {
    const list = await createList({ length: 131_072 });
    for (const index of set) list.setStatus(index, true);
    const made = (await createStatusListCredential({ id: `${origin}${path}`, list, statusPurpose })) as Record<string, unknown> & { credentialSubject: Record<string, unknown> };
    const unsigned = { ...made, credentialSubject: { ...made.credentialSubject, statusPurpose: purposeSaid }, issuer: issuer.did, validFrom: '2025-02-01T00:00:00Z' };
    served.set(path, await signWith(issuer.key, unsigned, new Date('2025-02-01T00:00:00Z')));
  }
  const entry = (path: string, statusPurpose: string, index: number) => ({
    id: `${origin}${path}#${index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose,
    statusListIndex: String(index),
    statusListCredential: `${origin}${path}`,
  });
  const statusOf = async () => {
    const report = await t.ctx.verifier.verify({ credential });
    return { check: check(report, 'status'), status: report.status, verdict: report.verdict };
  };

  beforeAll(async () => {
    const pair = await Ed25519Multikey.generate();
    const did = `did:key:${pair.publicKeyMultibase}`;
    issuer = { did, key: await Ed25519Multikey.from({ ...(await pair.export({ publicKey: true, secretKey: true })), id: `${did}#${pair.publicKeyMultibase}`, controller: did }) };
    // The suspension entry first: a credential that is both reads as revoked whatever the order.
    credential = await signWith(
      issuer.key,
      badge('https://other.example/credentials/status', { id: did, name: 'Status Issuer' }, {
        validFrom: '2025-02-01T00:00:00Z',
        credentialStatus: [entry('/status/suspensions', 'suspension', SUSPENSION_INDEX), entry('/status/revocations', 'revocation', REVOCATION_INDEX)],
      }),
      new Date('2025-02-01T00:00:00Z'),
    );
  });

  it('passes while neither bit is set, having fetched both lists', async () => {
    await serveList('/status/revocations', 'revocation', [REVOCATION_INDEX + 1]);
    await serveList('/status/suspensions', 'suspension', [SUSPENSION_INDEX - 1]);
    requests.length = 0;
    const { check: status } = await statusOf();
    expect(status).toMatchObject({ status: 'passed', code: 'not_revoked' });
    expect(requests).toEqual(expect.arrayContaining(['/status/revocations', '/status/suspensions']));
  });

  it('reports a suspension as suspended, not revoked, and passes again once the issuer clears the bit', async () => {
    await serveList('/status/revocations', 'revocation', []);
    await serveList('/status/suspensions', 'suspension', [SUSPENSION_INDEX]);
    const suspended = await statusOf();
    expect(suspended.check).toEqual({ id: 'status', status: 'failed', code: 'suspended', message: 'Suspended by the issuer.' });
    expect(suspended.status).toEqual({ revoked: false, suspended: true });
    expect(suspended.verdict).toBe('failed');
    await serveList('/status/suspensions', 'suspension', []);
    expect((await statusOf()).check).toMatchObject({ status: 'passed', code: 'not_revoked' });
  });

  it('reports a credential both revoked and suspended as revoked', async () => {
    await serveList('/status/revocations', 'revocation', [REVOCATION_INDEX]);
    await serveList('/status/suspensions', 'suspension', [SUSPENSION_INDEX]);
    const both = await statusOf();
    expect(both.check).toMatchObject({ status: 'failed', code: 'revoked' });
    expect(both.status).toEqual({ revoked: true });
  });

  it('does not take a list of another purpose for the suspension list, and is unconfirmed while it cannot be fetched', async () => {
    await serveList('/status/revocations', 'revocation', []);
    await serveList('/status/suspensions', 'suspension', [], 'revocation');
    expect((await statusOf()).check).toMatchObject({ status: 'failed', code: 'status_list_invalid', message: expect.stringContaining('not for suspension') });
    served.delete('/status/suspensions');
    const unreachable = await statusOf();
    expect(unreachable.check).toMatchObject({ status: 'unconfirmed', code: 'status_unreachable' });
    expect(unreachable.verdict).not.toBe('verified');
  });
});
