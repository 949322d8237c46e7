import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import * as ecdsaJcs2019 from '@digitalbazaar/ecdsa-jcs-2019-cryptosuite';
import { cryptosuite as ecdsaRdfc2019 } from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import * as ecdsaSd2023 from '@digitalbazaar/ecdsa-sd-2023-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as eddsaJcs2022 from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import * as dcVc from '@digitalcredentials/vc';
import { Ed25519Signature2020 } from '@digitalcredentials/ed25519-signature-2020';
import { Ed25519VerificationKey2020 } from '@digitalcredentials/ed25519-verification-key-2020';
import jsigs from 'jsonld-signatures';
import { createDocumentLoader } from '../../src/jsonld/document-loader.js';
import type { VerificationReport } from '../../src/verify/report.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { checkOf, proofsOf } from '../helpers/verify.js';

/**
 * Interop: credentials secured at test time by the field's own libraries (@digitalbazaar data-integrity
 * with each cryptosuite, @digitalcredentials for Ed25519Signature2020), for every suite and key type the
 * verifier accepts. Each issuer is the did:key of its signing key, so the key is the issuer's and every
 * credential must reach the verdict `verified`, both as an Open Badge and as a generic VCDM 2.0
 * credential. Nothing is fetched: contexts are bundled and did:key needs no lookup.
 */
type Json = Record<string, any>;

const NOW = new Date('2025-06-01T00:00:00Z');
// Contexts only: signing and deriving resolve no key (the libraries write the signer's id as the
// verificationMethod), and a lookup of anything else would throw here rather than reach the network.
const documentLoader = createDocumentLoader();

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { now: () => NOW });
});
afterAll(() => t.close());

const check = checkOf;
const verify = (credential: Json) => t.ctx.verifier.verify({ credential: structuredClone(credential) });

// ---------------------------------------------------------------------------------------------
// Issuers: a fresh key whose did:key is the issuer.

type Curve = 'Ed25519' | 'P-256' | 'P-384';
interface SigningKey {
  id?: string;
  controller?: string;
  publicKeyMultibase: string;
  signer(): { id: string; algorithm: string; sign(input: { data: Uint8Array }): Promise<Uint8Array> };
}
interface Issuer {
  did: string;
  key: SigningKey;
}

async function issuerWith(curve: Curve): Promise<Issuer> {
  const key: SigningKey = curve === 'Ed25519' ? await Ed25519Multikey.generate() : await EcdsaMultikey.generate({ curve });
  const did = `did:key:${key.publicKeyMultibase}`;
  key.controller = did;
  key.id = `${did}#${key.publicKeyMultibase}`;
  return { did, key };
}

// ---------------------------------------------------------------------------------------------
// Credentials: a VCDM 2.0 OpenBadgeCredential, and a generic VCDM 2.0 credential.

const VC_V2 = 'https://www.w3.org/ns/credentials/v2';
const OB_V3 = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
const EXAMPLES_V2 = 'https://www.w3.org/ns/credentials/examples/v2';
const ED25519_2020 = 'https://w3id.org/security/suites/ed25519-2020/v1';

type Kind = 'open_badge' | 'verifiable_credential';

const openBadge = (issuer: string): Json => ({
  '@context': [VC_V2, OB_V3],
  id: 'urn:uuid:3c1d3f5e-2b7a-4f0e-9d8c-6a5b4c3d2e1f',
  type: ['VerifiableCredential', 'OpenBadgeCredential'],
  issuer: { id: issuer, type: ['Profile'], name: 'Interop Care Academy' },
  validFrom: '2025-01-01T00:00:00Z',
  name: 'Safe Moving and Handling',
  credentialSubject: {
    id: 'did:example:learner',
    type: ['AchievementSubject'],
    achievement: {
      id: 'https://interop.example/achievements/moving-and-handling',
      type: ['Achievement'],
      name: 'Safe Moving and Handling',
      description: 'Moves and positions people safely.',
      criteria: { narrative: 'Passed the observed practical assessment.' },
    },
  },
});

const genericCredential = (issuer: string): Json => ({
  '@context': [VC_V2, EXAMPLES_V2],
  id: 'urn:uuid:7e2f4a6b-8c9d-4e1f-a2b3-c4d5e6f7a8b9',
  type: ['VerifiableCredential', 'ExampleDegreeCredential'],
  issuer,
  validFrom: '2025-01-01T00:00:00Z',
  credentialSubject: {
    id: 'did:example:graduate',
    degree: { type: 'ExampleBachelorDegree', name: 'Bachelor of Science and Arts' },
    alumniOf: 'The School of Examples',
  },
});

const CREDENTIALS: Record<Kind, (issuer: string) => Json> = { open_badge: openBadge, verifiable_credential: genericCredential };

/** A copy with one value the credentialSubject states changed. */
function tampered(doc: Json): Json {
  const copy = structuredClone(doc);
  if (copy.credentialSubject.achievement) copy.credentialSubject.achievement.name = 'Advanced Life Support';
  else copy.credentialSubject.degree.name = 'Doctor of Medicine';
  return copy;
}

// ---------------------------------------------------------------------------------------------
// Signing, as each library documents it.

/** `derive` of @digitalbazaar/vc (jsonld-signatures `derive`), which the local typings leave out. */
const vcDerive = (vc as unknown as { derive(options: { verifiableCredential: Json; suite: unknown; documentLoader: unknown }): Promise<Json> }).derive;
/** `DataIntegrityProof.createProof`, which the local typings leave out. */
interface CreateProof {
  createProof(options: { document: Json; purpose: unknown; proofSet: Json[]; documentLoader: unknown }): Promise<Json>;
}

/** A DataIntegrityProof suite of @digitalbazaar/data-integrity signing with `key` at the frozen time. */
const dataIntegrity = (cryptosuite: unknown, key: SigningKey) => new DataIntegrityProof({ signer: key.signer(), date: NOW, cryptosuite });

/** `vc.issue` of @digitalbazaar/vc (jsonld-signatures `sign` underneath): adds one proof to the proof set. */
function issueWith(credential: Json, key: SigningKey, cryptosuite: unknown, proof?: Json): Promise<Json> {
  const suite = dataIntegrity(cryptosuite, key);
  // DataIntegrityProof starts its proof from `suite.proof` when one is set: how a proof gets an `id`.
  if (proof) Object.assign(suite, { proof });
  return vc.issue({ credential: structuredClone(credential), suite, documentLoader, now: NOW });
}

interface SuiteCase {
  /** Suite and key type, for the test name. */
  name: string;
  /** How the proof check names the suite. */
  reported: string;
  /** Contexts the suite needs beyond the credential's own. */
  contexts: string[];
  /** A new issuer: the did:key of a fresh key, and how it signs. */
  issuer(): Promise<{ did: string; sign(credential: Json): Promise<Json> }>;
}

const dataIntegrityCase = (suite: string, curve: Curve, cryptosuite: unknown): SuiteCase => ({
  name: `${suite} (${curve})`,
  reported: `DataIntegrityProof (${suite})`,
  contexts: [],
  async issuer() {
    const { did, key } = await issuerWith(curve);
    return { did, sign: (credential) => issueWith(credential, key, cryptosuite) };
  },
});

const SUITES: SuiteCase[] = [
  dataIntegrityCase('eddsa-rdfc-2022', 'Ed25519', eddsaRdfc2022),
  dataIntegrityCase('eddsa-jcs-2022', 'Ed25519', eddsaJcs2022.createSignCryptosuite()),
  dataIntegrityCase('ecdsa-rdfc-2019', 'P-256', ecdsaRdfc2019),
  dataIntegrityCase('ecdsa-rdfc-2019', 'P-384', ecdsaRdfc2019),
  dataIntegrityCase('ecdsa-jcs-2019', 'P-256', ecdsaJcs2019.createSignCryptosuite()),
  dataIntegrityCase('ecdsa-jcs-2019', 'P-384', ecdsaJcs2019.createSignCryptosuite()),
  {
    // @digitalcredentials/vc with its Ed25519Signature2020 suite, as foreign-issuers.test.ts signs VCDM 1.1;
    // on VCDM 2.0 the suite's own context must be in @context (vc-di-eddsa B.4 does the same).
    name: 'Ed25519Signature2020 (Ed25519, @digitalcredentials)',
    reported: 'Ed25519Signature2020',
    contexts: [ED25519_2020],
    async issuer() {
      const key = await Ed25519VerificationKey2020.generate();
      const did = `did:key:${key.fingerprint()}`;
      key.controller = did;
      key.id = `${did}#${key.fingerprint()}`;
      return { did, sign: (credential) => dcVc.issue({ credential: structuredClone(credential), suite: new Ed25519Signature2020({ key }), documentLoader }) };
    },
  },
];

const KINDS: Array<{ kind: Kind; label: string }> = [
  { kind: 'open_badge', label: 'an OpenBadgeCredential' },
  { kind: 'verifiable_credential', label: 'a generic VCDM 2.0 credential' },
];
const credentialFor = (kind: Kind, did: string, contexts: string[] = []): Json => {
  const credential = CREDENTIALS[kind](did);
  credential['@context'] = [...(credential['@context'] as string[]), ...contexts];
  return credential;
};

/** What a credential signed by the key of its did:key issuer must get; `reported` are the suites the proof check names. */
function expectVerified(report: VerificationReport, signed: Json, kind: Kind, reported: string[]) {
  expect(check(report, 'proof')).toMatchObject({ status: 'passed', code: 'signature_valid' });
  for (const suite of reported) expect(check(report, 'proof').message).toContain(suite);
  expect(check(report, 'issuer_key')).toMatchObject({ status: 'passed', code: 'key_bound' });
  expect(check(report, 'format')).toMatchObject({ status: 'passed', code: 'vc_2_0' });
  expect(check(report, 'contexts')).toMatchObject({ status: 'passed', code: 'contexts_known' });
  expect(check(report, 'validity_period')).toMatchObject({ status: 'passed', code: 'valid' });
  expect(report.kind).toBe(kind);
  if (kind === 'verifiable_credential') {
    expect(check(report, 'open_badge')).toMatchObject({ status: 'skipped', code: 'not_an_open_badge' });
  } else if (Array.isArray(signed.proof)) {
    expect(check(report, 'open_badge')).toMatchObject({ status: 'passed', code: 'ob_conformant' });
  } else {
    // The libraries write a single proof as an object; the 1EdTech JSON Schema wants an array, which
    // OB 3.0 tolerates: a warning, which leaves the verdict alone.
    expect(check(report, 'open_badge')).toMatchObject({ status: 'warning', code: 'ob_compacted' });
  }
  expect(report.checks.filter((c) => c.status === 'failed' || c.status === 'unconfirmed')).toEqual([]);
  expect(report.verdict).toBe('verified');
  expect(report.verified).toBe(true);
}

describe.each(SUITES)('$name', (suiteCase) => {
  it.each(KINDS)('verifies $label signed by its did:key issuer, and fails a changed copy with signature_invalid', async ({ kind }) => {
    const issuer = await suiteCase.issuer();
    const signed = await issuer.sign(credentialFor(kind, issuer.did, suiteCase.contexts));
    expect(proofsOf(signed)).toHaveLength(1);
    expectVerified(await verify(signed), signed, kind, [suiteCase.reported]);

    const changed = await verify(tampered(signed));
    expect(check(changed, 'proof')).toMatchObject({ status: 'failed', code: 'signature_invalid', message: expect.stringContaining('does not match the credential') });
    expect(changed.verdict).toBe('failed');
  });
});

// @digitalbazaar/ecdsa-sd-2023-cryptosuite 3.4.1 signs base proofs with P-256 only (its requiredAlgorithm
// is 'P-256'; a P-384 signer is refused when the suite is built), so there is no P-384 case to make here.
describe('ecdsa-sd-2023 (P-256): the issuer signs a base proof, the holder derives, the verifier checks the derived proof', () => {
  /** What the issuer always reveals, and what the holder chooses to reveal. */
  const POINTERS: Record<Kind, { mandatory: string[]; selective: string[] }> = {
    // OB 3.0 wants id, name, issuer, validFrom and the achievement in every presentation; the learner's id is the holder's choice.
    open_badge: { mandatory: ['/id', '/issuer', '/validFrom', '/name', '/credentialSubject/achievement'], selective: ['/credentialSubject/id'] },
    verifiable_credential: { mandatory: ['/issuer', '/validFrom'], selective: ['/credentialSubject/degree/name'] },
  };
  const header = (doc: Json) => [...Buffer.from(String(doc.proof.proofValue).slice(1), 'base64url').subarray(0, 3)];

  async function baseAndDerived(kind: Kind) {
    const { did, key } = await issuerWith('P-256');
    const { mandatory, selective } = POINTERS[kind];
    const base = await issueWith(credentialFor(kind, did), key, ecdsaSd2023.createSignCryptosuite({ mandatoryPointers: mandatory }));
    const derived = await vcDerive({
      verifiableCredential: structuredClone(base),
      suite: new DataIntegrityProof({ cryptosuite: ecdsaSd2023.createDiscloseCryptosuite({ selectivePointers: selective }) }),
      documentLoader,
    });
    // vc-di-ecdsa §3.5.2 / §3.5.7: a base proof value starts 0xd9 0x5d 0x00, a derived one 0xd9 0x5d 0x01.
    expect(header(base)).toEqual([0xd9, 0x5d, 0x00]);
    expect(header(derived)).toEqual([0xd9, 0x5d, 0x01]);
    return { base, derived };
  }

  it.each(KINDS)('verifies $label derived by the holder, and fails it once a disclosed value is changed', async ({ kind }) => {
    const { derived } = await baseAndDerived(kind);
    expectVerified(await verify(derived), derived, kind, ['DataIntegrityProof (ecdsa-sd-2023)']);

    const changed = await verify(tampered(derived));
    expect(check(changed, 'proof')).toMatchObject({ status: 'failed', code: 'signature_invalid', message: expect.stringContaining('does not match the credential') });
    expect(changed.verdict).toBe('failed');
  });

  it('discloses only what the holder chose: a statement left out is gone, and the derived proof still verifies', async () => {
    const { base, derived } = await baseAndDerived('verifiable_credential');
    expect(base.credentialSubject.alumniOf).toBe('The School of Examples');
    expect(derived.credentialSubject).toEqual({ id: 'did:example:graduate', degree: { type: 'ExampleBachelorDegree', name: 'Bachelor of Science and Arts' } });
    expect(check(await verify(derived), 'proof').status).toBe('passed');
  });

  it('fails a derived document to which the holder adds back a statement that was not disclosed', async () => {
    const { base, derived } = await baseAndDerived('verifiable_credential');
    const padded = structuredClone(derived);
    padded.credentialSubject.alumniOf = base.credentialSubject.alumniOf;
    expect(check(await verify(padded), 'proof')).toMatchObject({ status: 'failed', code: 'signature_invalid' });
  });

  it('does not accept the base proof, which is for the holder only (vc-di-ecdsa §3.6.2)', async () => {
    const { base } = await baseAndDerived('verifiable_credential');
    const report = await verify(base);
    expect(check(report, 'proof')).toMatchObject({ status: 'failed', code: 'signature_invalid' });
    expect(report.verified).toBe(false);
  });
});

describe('proof sets: two suites on one credential, both by the issuer’s key (VC DI §2.1.1)', () => {
  const SETS: Array<{ name: string; curve: Curve; first: [string, unknown]; second: [string, unknown] }> = [
    { name: 'eddsa-rdfc-2022 + eddsa-jcs-2022 (Ed25519)', curve: 'Ed25519', first: ['eddsa-rdfc-2022', eddsaRdfc2022], second: ['eddsa-jcs-2022', eddsaJcs2022.createSignCryptosuite()] },
    { name: 'ecdsa-rdfc-2019 + ecdsa-jcs-2019 (P-384)', curve: 'P-384', first: ['ecdsa-rdfc-2019', ecdsaRdfc2019], second: ['ecdsa-jcs-2019', ecdsaJcs2019.createSignCryptosuite()] },
  ];

  describe.each(SETS)('$name', ({ curve, first, second }) => {
    /** `vc.issue` twice: jsonld-signatures appends the second proof to the set. */
    async function signedTwice(kind: Kind) {
      const { did, key } = await issuerWith(curve);
      const once = await issueWith(credentialFor(kind, did), key, first[1]);
      return issueWith(once, key, second[1]);
    }

    it.each(KINDS)('verifies $label carrying both proofs', async ({ kind }) => {
      const signed = await signedTwice(kind);
      expect(proofsOf(signed).map((p) => p.cryptosuite)).toEqual([first[0], second[0]]);
      const report = await verify(signed);
      expectVerified(report, signed, kind, [`DataIntegrityProof (${first[0]})`, `DataIntegrityProof (${second[0]})`]);
      expect(check(report, 'proof').message).toContain('(2 proofs)');
    });

    it.each([0, 1])('fails with signature_invalid when proof %i of the two loses a character of its proofValue', async (index) => {
      const broken = await signedTwice('open_badge');
      broken.proof[index].proofValue = String(broken.proof[index].proofValue).slice(0, -1);
      const report = await verify(broken);
      expect(check(report, 'proof')).toMatchObject({ status: 'failed', code: 'signature_invalid', message: expect.stringContaining('1 of 2 proofs') });
      expect(report.verdict).toBe('failed');
    });
  });

  it('fails issuer_key with key_not_bound when the second proof is by a key the did:key issuer is not', async () => {
    const { did, key } = await issuerWith('Ed25519');
    const cosigner = await issuerWith('P-256');
    const once = await issueWith(credentialFor('verifiable_credential', did), key, eddsaRdfc2022);
    const signed = await issueWith(once, cosigner.key, ecdsaRdfc2019);
    const report = await verify(signed);
    expect(check(report, 'proof')).toMatchObject({ status: 'passed', code: 'signature_valid' });
    expect(check(report, 'issuer_key')).toMatchObject({ status: 'failed', code: 'key_not_bound' });
    expect(report.verdict).toBe('failed');
  });
});

describe('a previousProof chain of two proofs (VC DI §2.1.2)', () => {
  const FIRST_ID = 'urn:uuid:0b7c1a52-6f3e-4d2a-9c8b-1e2f3a4b5c6d';

  /**
   * The first proof (eddsa-rdfc-2022, with an `id`) by `vc.issue`; the second (eddsa-jcs-2022) names it
   * in `previousProof`. jsonld-signatures 11 drops the existing proofs before it signs (ProofSet.add),
   * so it cannot make a chain link: the second proof comes from the suite's own `createProof` over the
   * document whose `proof` is the proof it chains to, as VC DI §4.1 "Add Proof" (previousProof) says.
   */
  async function chained(kind: Kind): Promise<Json> {
    const { did, key } = await issuerWith('Ed25519');
    const first = await issueWith(credentialFor(kind, did), key, eddsaRdfc2022, { id: FIRST_ID });
    const firstProof = proofsOf(first)[0]!;
    const suite = dataIntegrity(eddsaJcs2022.createSignCryptosuite(), key);
    Object.assign(suite, { proof: { previousProof: FIRST_ID } });
    const { proof: _proof, ...unsecured } = first;
    const secondProof = await (suite as unknown as CreateProof).createProof({
      document: { ...unsecured, proof: firstProof },
      purpose: new jsigs.purposes.AssertionProofPurpose(),
      proofSet: [firstProof],
      documentLoader,
    });
    return { ...unsecured, proof: [firstProof, secondProof] };
  }

  it.each(KINDS)('verifies $label whose second proof chains to the first', async ({ kind }) => {
    const signed = await chained(kind);
    expect(signed.proof[0]).toMatchObject({ id: FIRST_ID, cryptosuite: 'eddsa-rdfc-2022' });
    expect(signed.proof[1]).toMatchObject({ previousProof: FIRST_ID, cryptosuite: 'eddsa-jcs-2022' });
    expectVerified(await verify(signed), signed, kind, ['DataIntegrityProof (eddsa-rdfc-2022)', 'DataIntegrityProof (eddsa-jcs-2022)']);
  });

  it('fails with previous_proof_missing when the first proof is dropped', async () => {
    const signed = await chained('open_badge');
    const report = await verify({ ...signed, proof: [signed.proof[1]] });
    expect(check(report, 'proof')).toMatchObject({ status: 'failed', code: 'previous_proof_missing', message: expect.stringContaining(FIRST_ID) });
    expect(report.verdict).toBe('failed');
  });

  it('fails both proofs with signature_invalid when the first, which the second signed over, is changed', async () => {
    const broken = await chained('open_badge');
    broken.proof[0].created = '2025-06-01T00:00:01Z';
    expect(check(await verify(broken), 'proof')).toMatchObject({ status: 'failed', code: 'signature_invalid', message: expect.stringContaining('2 of 2 proofs') });
  });

  it('fails with signature_invalid when the second proof no longer names the first', async () => {
    const broken = await chained('open_badge');
    delete broken.proof[1].previousProof;
    expect(check(await verify(broken), 'proof')).toMatchObject({ status: 'failed', code: 'signature_invalid', message: expect.stringContaining('1 of 2 proofs') });
  });
});
