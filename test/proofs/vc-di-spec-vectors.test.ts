import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as ecdsaJcs2019 from '@digitalbazaar/ecdsa-jcs-2019-cryptosuite';
import { cryptosuite as ecdsaRdfc2019 } from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import * as eddsaJcs2022 from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { createDocumentLoader } from '../../src/jsonld/document-loader.js';
import type { GuardedFetcher } from '../../src/net/guarded-fetch.js';
import { canonicalizeDocument, canonicalizeProofConfig } from '../../src/proofs/data-integrity.js';
import { suiteFor } from '../../src/proofs/suites/index.js';
import type { VerificationReport } from '../../src/verify/report.js';
import { offlineFetcher, startTestApp, type TestApp } from '../helpers/app.js';
import { checkOf, proofsOf } from '../helpers/verify.js';

/**
 * The W3C VC-DI-EDDSA and VC-DI-ECDSA Recommendations' own test vectors (test/fixtures/vc-di-spec/,
 * see its SOURCE.md for the examples each file copies), run through the whole verifier.
 *
 * The vectors' issuers are never their signing keys (the alumni credentials name
 * https://vc.example/issuers/5678, the employment and resident cards other did:key DIDs than the key
 * that signs), so the binding of the key to the issuer fails on every one of them by the vectors'
 * design: these tests assert the proof check, and that `issuer_key` says `key_not_bound`, and so that
 * the verdict is `failed` for that reason only.
 */
type Json = Record<string, any>;

const ROOT = fileURLToPath(new URL('../fixtures/vc-di-spec/', import.meta.url));
const text = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const json = (path: string): Json => JSON.parse(text(path)) as Json;

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [relative(ROOT, join(ROOT, dir, e.name))],
  );
}
const ALL_FILES = filesUnder('.').sort();
/** Every secured document a verifier should accept: single proofs, proof sets, chains and sd derived proofs. */
const SIGNED = ALL_FILES.filter((f) => /\/signed(-proof-set|-proof-chain|-proof-chain-extended|-derived)?\.json$/.test(f));
/** ecdsa-sd-2023 base proofs: for the holder, never for a verifier. */
const BASE = ALL_FILES.filter((f) => f.endsWith('/signed-base.json'));

// The permanent resident card is valid 2024-12-16 to 2025-12-16T23:59:59Z; every other vector is valid then too.
const NOW = new Date('2025-06-01T00:00:00Z');

let t: TestApp;
/** Every URL the verifier asked the fetcher for; the offline fetcher answers none of them. */
const fetched: string[] = [];

beforeAll(async () => {
  const offline = offlineFetcher();
  const recording: GuardedFetcher = {
    get: (url, options) => (fetched.push(url), offline.get(url, options)),
    getJson: (url, options) => (fetched.push(url), offline.getJson(url, options)),
  };
  t = await startTestApp({}, { now: () => NOW, fetcher: recording });
});
afterAll(() => t.close());

const check = checkOf;
const verify = (credential: Json) => t.ctx.verifier.verify({ credential: structuredClone(credential) });
const expectedSuite = (proof: Json): string => (proof.cryptosuite ? `DataIntegrityProof (${proof.cryptosuite})` : proof.type);

/** A copy with one credentialSubject value changed (the first plain string that is not its id). */
function tampered(doc: Json): Json {
  const copy = structuredClone(doc);
  const subject = copy.credentialSubject as Json;
  const key = Object.keys(subject).find((k) => k !== 'id' && k !== 'type' && typeof subject[k] === 'string' && !String(subject[k]).startsWith('data:'));
  if (!key) throw new Error('the vector has no credentialSubject value to change');
  subject[key] = `${String(subject[key])} (changed)`;
  return copy;
}

it('finds every published vector (so the table below cannot silently be empty)', () => {
  expect(SIGNED).toEqual([
    'ecdsa-jcs-2019/p256-alumni/signed.json',
    'ecdsa-jcs-2019/p384-alumni/signed.json',
    'ecdsa-rdfc-2019/p256-alumni/signed.json',
    'ecdsa-rdfc-2019/p256-employment-authorization/signed.json',
    'ecdsa-rdfc-2019/p384-alumni/signed.json',
    'ecdsa-rdfc-2019/p384-employment-authorization/signed.json',
    'ecdsa-sd-2023/employment-authorization/signed-derived.json',
    'ecdsa-sd-2023/permanent-resident-card/signed-derived.json',
    'ed25519-signature-2020/alumni/signed.json',
    'eddsa-jcs-2022/alumni/signed.json',
    'eddsa-rdfc-2022/alumni/signed.json',
    'eddsa-rdfc-2022/employment-authorization/signed.json',
    'eddsa-rdfc-2022/proof-sets-and-chains/signed-proof-chain-extended.json',
    'eddsa-rdfc-2022/proof-sets-and-chains/signed-proof-chain.json',
    'eddsa-rdfc-2022/proof-sets-and-chains/signed-proof-set.json',
  ]);
  expect(BASE).toEqual(['ecdsa-sd-2023/employment-authorization/signed-base.json', 'ecdsa-sd-2023/permanent-resident-card/signed-base.json']);
});

describe.each(SIGNED)('%s', (file) => {
  const signed = json(file);

  it('passes the proof check with signature_valid, naming every suite it used', async () => {
    const report = await verify(signed);
    expect(check(report, 'proof')).toMatchObject({ status: 'passed', code: 'signature_valid' });
    for (const proof of proofsOf(signed)) expect(check(report, 'proof').message).toContain(expectedSuite(proof));
    if (proofsOf(signed).length > 1) expect(check(report, 'proof').message).toContain(`(${proofsOf(signed).length} proofs)`);
  });

  it('is a VCDM 2.0 credential, not an Open Badge, whose bundled contexts are read without fetching them', async () => {
    fetched.length = 0;
    const report = await verify(signed);
    expect(report.kind).toBe('verifiable_credential');
    expect(check(report, 'format')).toMatchObject({ status: 'passed', code: 'vc_2_0' });
    expect(check(report, 'contexts')).toMatchObject({ status: 'passed', code: 'contexts_known' });
    expect(check(report, 'open_badge')).toMatchObject({ status: 'skipped', code: 'not_an_open_badge' });
    expect(check(report, 'validity_period')).toMatchObject({ status: 'passed', code: 'valid' });
    // The only lookups are of the issuer's key material (the alumni issuer is an https URL); never a context.
    const contexts = new Set<string>(signed['@context'] as string[]);
    expect(fetched.filter((url) => contexts.has(url) || !url.startsWith('https://vc.example/'))).toEqual([]);
    if (typeof signed.issuer === 'string') expect(fetched).toContain(signed.issuer);
  });

  it('reports issuer_key key_not_bound: the vector signs with a key its issuer does not list', async () => {
    // By the vectors' design (SOURCE.md "Expected result"): the alumni issuer is an https URL that is
    // not the did:key that signs (and is unreachable offline, but the key names another controller, so
    // it cannot be the issuer's whatever the host would say); the employment and resident cards name a
    // did:key issuer other than the signing did:key. So the verdict is `failed` for that check alone.
    const report = await verify(signed);
    expect(check(report, 'issuer_key')).toMatchObject({ status: 'failed', code: 'key_not_bound' });
    expect(report.verdict).toBe('failed');
    expect(report.checks.filter((c) => c.status === 'failed').map((c) => c.id)).toEqual(['issuer_key']);
  });

  it('fails the proof with signature_invalid when one credentialSubject value is changed', async () => {
    const report = await verify(tampered(signed));
    // The message tells a mismatch apart from a document that could not be canonicalised (same code).
    expect(check(report, 'proof')).toMatchObject({ status: 'failed', code: 'signature_invalid', message: expect.stringContaining('does not match the credential') });
    expect(report.verified).toBe(false);
  });
});

describe('ecdsa-sd-2023 base proofs (vc-di-ecdsa §3.6.2: a verifier reads only derived proofs)', () => {
  it.each(BASE)('%s does not pass the proof check', async (file) => {
    const base = json(file);
    // The base proof value starts with the header 0xd9 0x5d 0x00 (a derived one with 0xd9 0x5d 0x01).
    expect(Buffer.from(String(base.proof.proofValue).slice(1), 'base64url').subarray(0, 3)).toEqual(Buffer.from([0xd9, 0x5d, 0x00]));
    const report = await verify(base);
    // The ecdsa-sd-2023 library refuses to parse a base proof value ("does not include a valid
    // proofValue"); the verifier reports every error of a suite library as signature_invalid.
    expect(check(report, 'proof')).toMatchObject({ status: 'failed', code: 'signature_invalid', message: expect.stringContaining('proofValue') });
    expect(report.verdict).toBe('failed');
  });

  // The library's own message ends in a full stop, and the report adds one: a person must not read '..'.
  it('ends the plain-language proof message with a single full stop', async () => {
    const report = await verify(json(BASE[0]!));
    expect(check(report, 'proof').message).not.toMatch(/\.\.$/);
  });
});

describe('proof sets (vc-di-eddsa B.5.1)', () => {
  const set = json('eddsa-rdfc-2022/proof-sets-and-chains/signed-proof-set.json');

  it('fails with signature_invalid when one character of one proofValue is removed', async () => {
    const broken = structuredClone(set);
    broken.proof[1].proofValue = String(broken.proof[1].proofValue).slice(0, -1);
    const report = await verify(broken);
    expect(check(report, 'proof')).toMatchObject({ status: 'failed', code: 'signature_invalid' });
    expect(check(report, 'proof').message).toContain('1 of 2 proofs');
  });

  it('fails with signature_invalid when one proof is changed (its created date)', async () => {
    const broken = structuredClone(set);
    broken.proof[0].created = '2023-02-24T23:36:39Z';
    const report = await verify(broken);
    expect(check(report, 'proof')).toMatchObject({ status: 'failed', code: 'signature_invalid' });
    expect(check(report, 'proof').message).toContain('1 of 2 proofs');
  });

  it('fails with signature_invalid when a proof of the set names another key', async () => {
    const pairs = json('keys/ed25519-proof-set-key-pairs.json');
    const other = String(pairs.keyPair3.publicKeyMultibase);
    const broken = structuredClone(set);
    broken.proof[0].verificationMethod = `did:key:${other}#${other}`;
    expect(check(await verify(broken), 'proof')).toMatchObject({ status: 'failed', code: 'signature_invalid' });
  });

  it('keeps each member valid on its own: a proof set binds no proof to another (VC DI §2.1.1)', async () => {
    for (const proof of set.proof as Json[]) {
      const report = await verify({ ...set, proof });
      expect(check(report, 'proof')).toMatchObject({ status: 'passed', code: 'signature_valid' });
    }
  });
});

describe('proof chains (vc-di-eddsa B.5.2, B.5.3)', () => {
  const chain = json('eddsa-rdfc-2022/proof-sets-and-chains/signed-proof-chain.json');
  const extended = json('eddsa-rdfc-2022/proof-sets-and-chains/signed-proof-chain-extended.json');
  const without = (doc: Json, id: string): Json => ({ ...structuredClone(doc), proof: proofsOf(doc).filter((p) => p.id !== id) });

  it.each([
    ['the chain', 'urn:uuid:26329423-bec9-4b2e-88cb-a7c7d9dc4544', chain],
    ['the chain', 'urn:uuid:8cc9022b-6b14-4cf3-8571-74972c5feb54', chain],
    ['the extended chain', 'urn:uuid:d94f792a-c546-4d06-b38a-da070ab56c23', extended],
  ])('fails %s with previous_proof_missing when %s, which a later proof names, is dropped', async (_name, id, doc) => {
    const dropped = without(doc, id);
    expect(proofsOf(dropped)).toHaveLength(proofsOf(doc).length - 1);
    const report = await verify(dropped);
    expect(check(report, 'proof')).toMatchObject({ status: 'failed', code: 'previous_proof_missing' });
    expect(check(report, 'proof').message).toContain(id);
  });

  it('still verifies when the last link is dropped (nothing chains to it)', async () => {
    const last = proofsOf(chain)[2]!;
    expect(last.id).toBe('urn:uuid:d94f792a-c546-4d06-b38a-da070ab56c23');
    expect(check(await verify(without(chain, String(last.id))), 'proof')).toMatchObject({ status: 'passed', code: 'signature_valid' });
  });

  it('fails with signature_invalid when the third proof is checked without one of the proofs it signed over', async () => {
    // previousProof names only the first proof: the third proof's signature covered both, so it no longer matches.
    const broken = structuredClone(chain);
    broken.proof[2].previousProof = 'urn:uuid:26329423-bec9-4b2e-88cb-a7c7d9dc4544';
    expect(check(await verify(broken), 'proof')).toMatchObject({ status: 'failed', code: 'signature_invalid' });
  });

  it('fails with signature_invalid when an earlier link is changed, which breaks the later one too', async () => {
    const broken = structuredClone(extended);
    broken.proof[2].created = '2023-02-26T22:06:39Z';
    const report = await verify(broken);
    expect(check(report, 'proof')).toMatchObject({ status: 'failed', code: 'signature_invalid' });
    expect(check(report, 'proof').message).toContain('2 of 4 proofs');
  });
});

// ---------------------------------------------------------------------------------------------
// Intermediate forms: the canonicalisation each suite uses reproduces the published canonical
// documents and proof options byte for byte, and their hashes.

type Canon = { document(doc: Json): Promise<string>; proofOptions(options: Json, doc: Json): Promise<string>; hash: 'sha256' | 'sha384' };
type Canonize = (input: unknown, options?: Record<string, unknown>) => Promise<string>;
const loader = createDocumentLoader();
// The suite libraries export their own `canonize`, which the local typings leave out.
const rdfc2019 = (ecdsaRdfc2019 as unknown as { canonize: Canonize }).canonize;
const jcs = (suite: { createVerifyCryptosuite(): unknown }) => (suite.createVerifyCryptosuite() as { canonize: Canonize }).canonize;

/** RDFC-1.0 as ecdsa-rdfc-2019 runs it: for P-384, SHA-384 is also the hash inside RDFC-1.0 (vc-di-ecdsa §3.2.3). */
const ecdsaRdfc = (hash: 'sha256' | 'sha384'): Canon => {
  const options = { documentLoader: loader, safe: true, base: null, messageDigestAlgorithm: hash === 'sha256' ? 'SHA-256' : 'SHA-384' };
  return { hash, document: (doc) => rdfc2019(doc, options), proofOptions: (proof, doc) => rdfc2019({ '@context': doc['@context'], ...proof }, options) };
};
const ourRdfc: Canon = {
  hash: 'sha256',
  document: (doc) => canonicalizeDocument(doc, loader),
  proofOptions: (proof, doc) => canonicalizeProofConfig(proof, doc, loader),
};
const jcsCanon = (canonize: Canonize, hash: 'sha256' | 'sha384'): Canon => ({ hash, document: (doc) => canonize(doc), proofOptions: (proof) => canonize(proof) });

const CANONICAL: Array<[string, Canon, 'nq' | 'json']> = [
  ['eddsa-rdfc-2022/alumni', ourRdfc, 'nq'],
  ['eddsa-rdfc-2022/employment-authorization', ourRdfc, 'nq'],
  // Ed25519Signature2020 canonicalises with the same RDFC-1.0 (URDNA2015) and SHA-256.
  ['ed25519-signature-2020/alumni', ourRdfc, 'nq'],
  ['ecdsa-rdfc-2019/p256-alumni', ecdsaRdfc('sha256'), 'nq'],
  ['ecdsa-rdfc-2019/p256-employment-authorization', ecdsaRdfc('sha256'), 'nq'],
  ['ecdsa-rdfc-2019/p384-alumni', ecdsaRdfc('sha384'), 'nq'],
  ['ecdsa-rdfc-2019/p384-employment-authorization', ecdsaRdfc('sha384'), 'nq'],
  ['eddsa-jcs-2022/alumni', jcsCanon(jcs(eddsaJcs2022), 'sha256'), 'json'],
  ['ecdsa-jcs-2019/p256-alumni', jcsCanon(jcs(ecdsaJcs2019), 'sha256'), 'json'],
  ['ecdsa-jcs-2019/p384-alumni', jcsCanon(jcs(ecdsaJcs2019), 'sha384'), 'json'],
];

describe.each(CANONICAL)('%s intermediate forms', (dir, canon, ext) => {
  const unsigned = json(`${dir}/unsigned.json`);
  const proofOptions = json(`${dir}/proof-options.json`);
  const hashes = json(`${dir}/hashes.json`);
  const digest = (s: string) => createHash(canon.hash).update(s, 'utf8').digest('hex');

  it('reproduces the canonical document and its hash', async () => {
    const canonical = await canon.document(unsigned);
    expect(canonical).toBe(text(`${dir}/canonical-document.${ext}`));
    expect(digest(canonical)).toBe(hashes.documentHash);
  });

  it('reproduces the canonical proof options and their hash, and the combined hash they sign', async () => {
    const canonical = await canon.proofOptions(proofOptions, unsigned);
    expect(canonical).toBe(text(`${dir}/canonical-proof-options.${ext}`));
    expect(digest(canonical)).toBe(hashes.proofOptionsHash);
    expect(hashes.combinedHash).toBe(`${String(hashes.proofOptionsHash)}${String(hashes.documentHash)}`);
  });
});

it('the P-384 RDFC vector pins SHA-384 inside RDFC-1.0: with SHA-256 only the blank-node labels differ', async () => {
  const dir = 'ecdsa-rdfc-2019/p384-employment-authorization';
  const published = text(`${dir}/canonical-document.nq`);
  const withSha256 = await ecdsaRdfc('sha256').document(json(`${dir}/unsigned.json`));
  expect(withSha256).not.toBe(published);
  const unlabelled = (nq: string) => nq.replace(/_:c14n\d+/g, '_:b').split('\n').sort().join('\n');
  expect(unlabelled(withSha256)).toBe(unlabelled(published));
});

describe('Ed25519 signing is deterministic: the registry suites re-sign the vectors to the published proofValue', () => {
  const keyPair = json('keys/ed25519-key-pair.json');
  const vm = `did:key:${String(keyPair.publicKeyMultibase)}#${String(keyPair.publicKeyMultibase)}`;

  it.each(['eddsa-rdfc-2022/alumni', 'eddsa-rdfc-2022/employment-authorization', 'eddsa-jcs-2022/alumni', 'ed25519-signature-2020/alumni'])('%s', async (dir) => {
    const signed = json(`${dir}/signed.json`);
    const suite = suiteFor(signed.proof as Json);
    if (!suite) throw new Error(`no suite for ${dir}`);
    const key = await Ed25519Multikey.from({
      type: 'Multikey',
      id: vm,
      controller: vm.split('#')[0],
      publicKeyMultibase: keyPair.publicKeyMultibase,
      secretKeyMultibase: keyPair.privateKeyMultibase,
    });
    const created = new Date(String(signed.proof.created));
    const resigned = await vc.issue({ credential: json(`${dir}/unsigned.json`), suite: suite.signer(key.signer(), created), documentLoader: loader, now: created });
    expect(resigned.proof).toEqual(signed.proof);
  });
});
