import { gzipSync } from 'node:zlib';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { base64url, exportJWK, generateKeyPair, SignJWT } from 'jose';
import jsigs from 'jsonld-signatures';
import request from 'supertest';
import { OpenBadgeCredentialSchema } from '../../src/credentials/model.js';
import { createDocumentLoader } from '../../src/jsonld/document-loader.js';
import { createGuardedFetcher } from '../../src/net/guarded-fetch.js';
import { suiteFor } from '../../src/proofs/suites/index.js';
import type { VerificationReport } from '../../src/verify/report.js';
import { startTestApp, unresolvable, type TestApp } from '../helpers/app.js';
import { FIRST_AID_ACHIEVEMENT, firstAidBadge } from '../helpers/credentials.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';

/**
 * Identifiers whose key is the identifier itself (a bare did:key, did:jwk), documents of other kinds
 * (a top-level EndorsementCredential, a StatusList2021Entry), and the credential model shared by the
 * builder and the verifier.
 */
let t: TestApp;
let fixtures: FixtureServer;
beforeAll(async () => {
  fixtures = await startFixtureServer();
  t = await startTestApp(
    { REMOTE_FETCH_ALLOW_HTTP: 'true', REMOTE_FETCH_ALLOW_PRIVATE: 'true' },
    { now: () => new Date('2026-01-01T00:00:00Z'), fetcher: createGuardedFetcher({ allowHttp: true, allowPrivateAddresses: true, cacheTtlMs: 0 }, { lookup: unresolvable }) },
  );
});
afterAll(async () => {
  t.close();
  await fixtures.close();
});

const V1 = ['https://www.w3.org/2018/credentials/v1', 'https://w3id.org/security/data-integrity/v2'];
const check = (r: VerificationReport, id: string) => r.checks.find((c) => c.id === id)!;
const at = (r: VerificationReport, id: string) => `${check(r, id).status}:${check(r, id).code}`;
const achievement = FIRST_AID_ACHIEVEMENT;
const badge = (issuer: string, extra: Record<string, unknown> = {}) => firstAidBadge({ id: issuer, name: 'Issuer' }, extra);

async function signEd25519(doc: Record<string, unknown>, verificationMethod: (did: string, multibase: string) => string) {
  const pair = await Ed25519Multikey.generate();
  const did = `did:key:${pair.publicKeyMultibase}`;
  const key = await Ed25519Multikey.from({ ...(await pair.export({ publicKey: true, secretKey: true })), id: verificationMethod(did, pair.publicKeyMultibase), controller: did });
  const unsigned = JSON.parse(JSON.stringify(doc).replaceAll('{{did}}', did)) as Record<string, unknown>;
  const suite = suiteFor({ type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022' })!.signer(key.signer(), new Date('2025-01-01T00:00:00Z'));
  return (jsigs as any).sign(unsigned, { suite, purpose: new jsigs.purposes.AssertionProofPurpose(), documentLoader: createDocumentLoader() }) as Promise<Record<string, unknown>>;
}

describe('identifiers that are their own key', () => {
  it('accepts a bare did:key as the verification method: the DID has exactly one key', async () => {
    const signed = await signEd25519(badge('{{did}}'), (did) => did);
    expect((signed.proof as { verificationMethod: string }).verificationMethod).not.toContain('#');
    const report = await t.ctx.verifier.verify({ credential: signed });
    expect({ verdict: report.verdict, proof: at(report, 'proof'), key: at(report, 'issuer_key') }).toEqual({ verdict: 'verified', proof: 'passed:signature_valid', key: 'passed:key_bound' });
  });

  async function didJwk() {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = await exportJWK(publicKey);
    return { privateKey, jwk, did: `did:jwk:${base64url.encode(JSON.stringify(jwk))}` };
  }
  const jwtOf = async (issuer: string, header: Record<string, unknown>, privateKey: CryptoKey) => {
    const c = badge(issuer);
    return new SignJWT({ ...c, iss: issuer, jti: c.id as string, sub: 'did:example:learner', nbf: Date.parse('2025-01-01T00:00:00Z') / 1000 })
      .setProtectedHeader({ alg: 'ES256', ...header })
      .sign(privateKey);
  };

  it('binds a did:jwk key named by kid <did>#0, and by a jwk header equal to it', async () => {
    const { privateKey, jwk, did } = await didJwk();
    for (const header of [{ kid: `${did}#0` }, { jwk }]) {
      const report = await t.ctx.verifier.verify({ jwt: await jwtOf(did, header, privateKey as CryptoKey) });
      expect({ verdict: report.verdict, key: at(report, 'issuer_key') }).toEqual({ verdict: 'verified', key: 'passed:key_bound' });
    }
  });

  it('does not bind another key carried in the jwk header of a did:jwk issuer', async () => {
    const issuer = await didJwk();
    const attacker = await didJwk();
    const report = await t.ctx.verifier.verify({ jwt: await jwtOf(issuer.did, { jwk: attacker.jwk }, attacker.privateKey as CryptoKey) });
    expect({ verdict: report.verdict, proof: at(report, 'proof'), key: at(report, 'issuer_key') }).toEqual({ verdict: 'failed', proof: 'passed:signature_valid', key: 'failed:key_not_bound' });
  });
});

describe('documents of other kinds', () => {
  it('verifies an EndorsementCredential as a top-level document, by the OB 3.0 endorsement rules', async () => {
    const endorsement = await signEd25519(
      {
        '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
        id: 'urn:uuid:6e1f4a2b-0c3d-4e5f-8a9b-1c2d3e4f5a6b',
        type: ['VerifiableCredential', 'EndorsementCredential'],
        name: 'Endorsed by the regional care council',
        issuer: { id: '{{did}}', type: ['Profile'], name: 'Regional Care Council' },
        validFrom: '2025-01-15T00:00:00Z',
        credentialSubject: { id: achievement.id, type: ['EndorsementSubject'], endorsementComment: 'Meets the council standard.' },
      },
      (did, mb) => `${did}#${mb}`,
    );
    const report = await t.ctx.verifier.verify({ credential: endorsement });
    expect({ kind: report.kind, verdict: report.verdict, ob: at(report, 'open_badge') }).toEqual({ kind: 'endorsement', verdict: 'verified', ob: 'passed:ob_conformant' });
    delete (endorsement.credentialSubject as Record<string, unknown>).id;
    expect(at(await t.ctx.verifier.verify({ credential: endorsement }), 'open_badge')).toBe('failed:ob_schema_invalid');
  });

  // StatusList2021 is a VCDM 1.1 vocabulary (its context redefines terms VCDM 2.0 protects).
  it('reads a StatusList2021Entry of a VCDM 1.1 credential: revoked when its bit is set in the issuer-signed list', async () => {
    const bits = Buffer.alloc(16384);
    bits[0] = 0b0000_0100; // index 5
    const listUrl = `${fixtures.origin}/status/2021`;
    const pair = await Ed25519Multikey.generate();
    const did = `did:key:${pair.publicKeyMultibase}`;
    const key = await Ed25519Multikey.from({ ...(await pair.export({ publicKey: true, secretKey: true })), id: `${did}#${pair.publicKeyMultibase}`, controller: did });
    const sign = (doc: Record<string, unknown>) =>
      (jsigs as any).sign(doc, {
        suite: suiteFor({ type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022' })!.signer(key.signer(), new Date('2025-01-01T00:00:00Z')),
        purpose: new jsigs.purposes.AssertionProofPurpose(),
        documentLoader: createDocumentLoader(),
      }) as Promise<Record<string, unknown>>;
    fixtures.served.set(
      '/status/2021',
      await sign({
        '@context': [...V1, 'https://w3id.org/vc/status-list/2021/v1'],
        id: listUrl,
        type: ['VerifiableCredential', 'StatusList2021Credential'],
        issuer: did,
        issuanceDate: '2025-01-01T00:00:00Z',
        credentialSubject: { id: `${listUrl}#list`, type: 'StatusList2021', statusPurpose: 'revocation', encodedList: gzipSync(bits).toString('base64url') },
      }),
    );
    const entry = (index: string) => ({ id: `${listUrl}#${index}`, type: 'StatusList2021Entry', statusPurpose: 'revocation', statusListIndex: index, statusListCredential: listUrl });
    const withStatus = (index: string) => {
      const { validFrom: _v2, ...v1 } = badge(did, { '@context': [...V1, 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json', 'https://w3id.org/vc/status-list/2021/v1'], credentialStatus: entry(index) });
      return sign({ ...v1, issuanceDate: '2025-01-01T00:00:00Z' });
    };
    expect(at(await t.ctx.verifier.verify({ credential: await withStatus('5') }), 'status')).toBe('failed:revoked');
    expect(at(await t.ctx.verifier.verify({ credential: await withStatus('6') }), 'status')).toBe('passed:not_revoked');
  });
});

describe('the credential model shared by the builder and the verifier', () => {
  it('describes every credential this service issues', async () => {
    for (const entry of t.ctx.catalog.list()) {
      const res = await request(t.app).post('/api/v1/credentials').set('Authorization', `Bearer ${t.apiKey}`).send({ badgeClass: entry.badgeClass.slug, recipient: { email: 'a@example.org' } }).expect(201);
      const parsed = OpenBadgeCredentialSchema.safeParse(res.body.credential);
      expect(parsed.success ? 'ok' : parsed.error.issues).toBe('ok');
    }
  });

  it('refuses a credential whose subject has neither an id nor an identifier', () => {
    const c = badge('did:example:issuer');
    delete (c.credentialSubject as Record<string, unknown>).id;
    expect(OpenBadgeCredentialSchema.safeParse(c).success).toBe(false);
  });
});
