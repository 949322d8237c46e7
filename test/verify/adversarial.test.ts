import { createPublicKey } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import jsigs from 'jsonld-signatures';
import request from 'supertest';
import { isAppError } from '../../src/errors/errors.js';
import { createDocumentLoader } from '../../src/jsonld/document-loader.js';
import { createGuardedFetcher } from '../../src/net/guarded-fetch.js';
import { suiteFor } from '../../src/proofs/suites/index.js';
import type { VerificationReport } from '../../src/verify/report.js';
import { startTestApp, unresolvable, type TestApp } from '../helpers/app.js';
import { firstAidBadge } from '../helpers/credentials.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';

/**
 * The adversarial corpus (test/fixtures/adversarial/, see its README): each file is an attack as data.
 * Every case runs against the verifier, through POST /verify and through the verify page; none may
 * come out verified, and each must fail (or stay unconfirmed) at the check and with the code it names.
 */
interface SignSpec {
  format: 'data-integrity' | 'jwt';
  suite?: string;
  key?: 'issuer' | 'attacker' | 'service-public-pem';
  verificationMethod?: string;
  proofPurpose?: string;
  created?: string;
  alg?: string;
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
}
interface Case {
  attack: string;
  class: string;
  note: string;
  issuer: 'service' | 'fixture' | 'https-fixture' | 'unreachable' | 'attacker-did-key';
  set?: Record<string, unknown>;
  addContext?: unknown;
  tamperAfterSigning?: boolean;
  statusList?: { purpose: string; revoked: boolean; signer?: 'attacker'; bomb?: boolean; missing?: boolean };
  statusKey?: string;
  sign: SignSpec | SignSpec[];
  after?: Record<string, unknown>;
  repeatProof?: number;
  swapProofFrom?: Record<string, unknown>;
  served?: Record<string, unknown>;
  neverFetched?: string[];
  expect: { verdict?: string; checks?: Record<string, string>; error?: { code: string; status: number } };
}

const DIR = new URL('../fixtures/adversarial/', import.meta.url);
const CASES = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ name: file.replace(/\.json$/, ''), spec: JSON.parse(readFileSync(new URL(file, DIR), 'utf8')) as Case }));

const NOW = new Date('2026-01-01T00:00:00Z');
const documentLoader = createDocumentLoader();

let t: TestApp;
let fixtures: FixtureServer;
let origin = '';
let fixtureDid = '';
let served: Map<string, unknown>;
let requested: string[];
type KeyPair = Awaited<ReturnType<typeof Ed25519Multikey.generate>>;
let fixtureKey: KeyPair;
let attackerKey: KeyPair;
let attackerEs256: { privateKey: CryptoKey; jwk: JWK };

beforeAll(async () => {
  fixtures = await startFixtureServer();
  ({ origin, served, requested } = fixtures);
  fixtureDid = `did:web:${origin.slice('http://'.length).replace(':', '%3A')}`;
  fixtureKey = await Ed25519Multikey.generate({ id: `${fixtureDid}#key-1`, controller: fixtureDid });
  attackerKey = await Ed25519Multikey.generate();
  const es = await generateKeyPair('ES256', { extractable: true });
  attackerEs256 = { privateKey: es.privateKey as CryptoKey, jwk: await exportJWK(es.publicKey) };
  t = await startTestApp(
    { REMOTE_FETCH_ALLOW_HTTP: 'true', REMOTE_FETCH_ALLOW_PRIVATE: 'true' },
    { now: () => NOW, fetcher: createGuardedFetcher({ allowHttp: true, allowPrivateAddresses: true, cacheTtlMs: 0 }, { lookup: unresolvable }) },
  );
});
afterAll(async () => {
  t.close();
  await fixtures.close();
});

const issuerIdFor = (c: Case): string =>
  ({
    service: t.ctx.instance.did,
    fixture: fixtureDid,
    'https-fixture': `${origin}/issuers/1`,
    unreachable: 'https://unreachable.example/issuers/1',
    'attacker-did-key': `did:key:${attackerKey.publicKeyMultibase}`,
  })[c.issuer];

function fill(value: unknown, vars: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = /^\{\{([\w.]+)\}\}$/.exec(value);
    if (whole) return vars[whole[1]!];
    return value.replace(/\{\{([\w.]+)\}\}/g, (_m, k: string) => String(vars[k]));
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, vars));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, vars)]));
  return value;
}

/** JSON Pointer (RFC 6901) set; `null` deletes. */
function setAt(doc: Record<string, unknown>, pointer: string, value: unknown): void {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = parts.pop()!;
  let node: any = doc;
  for (const p of parts) node = node[p];
  if (value === null) delete node[last];
  else node[last] = structuredClone(value);
}

const encodeList = (bits: Buffer) => `u${gzipSync(bits).toString('base64url')}`;

async function keyPairFor(spec: SignSpec, vars: Record<string, unknown>): Promise<KeyPair> {
  if (spec.key === 'issuer') return fixtureKey;
  const vm = String(fill(spec.verificationMethod ?? '{{attacker.didKey}}#{{attacker.multibase}}', vars));
  return Ed25519Multikey.from({ ...(await attackerKey.export({ publicKey: true, secretKey: true })), id: vm, controller: vm.split('#')[0] });
}

async function signDataIntegrity(doc: Record<string, unknown>, spec: SignSpec, vars: Record<string, unknown>): Promise<Record<string, unknown>> {
  const suite = suiteFor({ type: 'DataIntegrityProof', cryptosuite: spec.suite })!;
  const key = await keyPairFor(spec, vars);
  const purpose = spec.proofPurpose
    ? new (jsigs as any).purposes.ControllerProofPurpose({ term: spec.proofPurpose })
    : new jsigs.purposes.AssertionProofPurpose();
  const signed = await (jsigs as any).sign(structuredClone(doc), {
    suite: suite.signer(key.signer(), new Date(spec.created ?? '2025-01-01T00:00:00Z')),
    purpose,
    documentLoader,
  });
  return signed.proof as Record<string, unknown>;
}

async function signJwt(doc: Record<string, unknown>, spec: SignSpec, vars: Record<string, unknown>): Promise<string> {
  const issuer = (doc.issuer as { id: string }).id;
  const claims: JWTPayload = { ...doc, iss: issuer, jti: doc.id as string, nbf: Date.parse(doc.validFrom as string) / 1000, ...(fill(spec.claims ?? {}, vars) as object) };
  const header = { alg: spec.alg!, ...(fill(spec.header ?? {}, vars) as Record<string, unknown>) };
  if (spec.alg === 'none') return `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
  let key: CryptoKey | Uint8Array;
  if (spec.key === 'service-public-pem') {
    const pem = createPublicKey({ key: t.ctx.instance.publicKeys.find((k) => k.type === 'RSA')!.publicJwk as any, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    key = new TextEncoder().encode(String(pem));
  } else if (spec.alg === 'ES256') key = attackerEs256.privateKey;
  else {
    const pair = spec.key === 'issuer' ? fixtureKey : attackerKey;
    const jwk = (await Ed25519Multikey.toJwk({ keyPair: pair, secretKey: true })) as JWK;
    // The multikey library writes the 64-byte seed‖public form; JOSE wants the 32-byte seed (RFC 8037).
    const d = Buffer.from(jwk.d!, 'base64url').subarray(0, 32).toString('base64url');
    key = (await importJWK({ ...jwk, d }, 'EdDSA')) as CryptoKey;
  }
  return new SignJWT(claims).setProtectedHeader(header as any).sign(key);
}

async function build(c: Case): Promise<{ input: { credential: Record<string, unknown> } | { jwt: string } }> {
  const issuer = issuerIdFor(c);
  const vars: Record<string, unknown> = {
    issuer,
    origin,
    'attacker.jwk': attackerEs256.jwk,
    'attacker.multibase': attackerKey.publicKeyMultibase,
    'attacker.didKey': `did:key:${attackerKey.publicKeyMultibase}`,
    'service.id': t.ctx.instance.did,
    'service.kid': t.ctx.instance.signing.jwtKid,
  };
  served.clear();
  served.set('/.well-known/did.json', {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: fixtureDid,
    verificationMethod: [{ id: `${fixtureDid}#key-1`, type: 'Multikey', controller: fixtureDid, publicKeyMultibase: fixtureKey.publicKeyMultibase }],
    assertionMethod: [`${fixtureDid}#key-1`],
  });
  for (const [path, doc] of Object.entries(c.served ?? {})) served.set(path, fill(doc, vars));

  let doc: Record<string, unknown> = firstAidBadge({ id: issuer, name: 'Fixture Issuer' });
  if (c.statusList) {
    const { purpose, revoked, signer, bomb, missing } = c.statusList;
    const bits = Buffer.alloc(bomb ? 64 * 1024 * 1024 : 16384);
    if (revoked) bits[0] = 0x01; // index 7
    const listId = `${origin}/status/1`;
    doc[c.statusKey ?? 'credentialStatus'] = { id: `${listId}#7`, type: 'BitstringStatusListEntry', statusPurpose: purpose, statusListIndex: '7', statusListCredential: listId };
    const list: Record<string, unknown> = {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      id: listId,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer,
      validFrom: '2025-01-01T00:00:00Z',
      credentialSubject: { id: `${listId}#list`, type: 'BitstringStatusList', statusPurpose: purpose, encodedList: encodeList(bits) },
    };
    const listSpec: SignSpec = { format: 'data-integrity', suite: 'eddsa-rdfc-2022', key: signer === 'attacker' ? 'attacker' : 'issuer' };
    if (!missing) served.set('/status/1', { ...list, proof: await signDataIntegrity(list, listSpec, vars) });
  }
  const tamper = (d: Record<string, unknown>) => {
    for (const [pointer, value] of Object.entries(c.set ?? {})) setAt(d, pointer, fill(value, vars));
    if (c.addContext !== undefined) (d['@context'] as unknown[]).push(fill(c.addContext, vars));
  };
  if (!c.tamperAfterSigning) tamper(doc);

  const specs = Array.isArray(c.sign) ? c.sign : [c.sign];
  if (specs[0]!.format === 'jwt') {
    if (c.tamperAfterSigning) tamper(doc);
    return { input: { jwt: await signJwt(doc, specs[0]!, vars) } };
  }
  const proofs: Array<Record<string, unknown>> = [];
  for (const spec of specs) proofs.push(await signDataIntegrity(doc, spec, vars));
  if (c.swapProofFrom) {
    const other = structuredClone(doc);
    for (const [pointer, value] of Object.entries(c.swapProofFrom)) setAt(other, pointer, value);
    proofs[0] = await signDataIntegrity(other, specs[0]!, vars);
  }
  doc = { ...doc, proof: c.repeatProof ? Array.from({ length: c.repeatProof }, () => proofs[0]) : proofs };
  if (c.tamperAfterSigning) tamper(doc);
  for (const [pointer, value] of Object.entries(c.after ?? {})) setAt(doc, pointer, fill(value, vars));
  return { input: { credential: doc } };
}

const summary = (r: VerificationReport, ids: string[]) => Object.fromEntries(ids.map((id) => [id, ((c) => (c ? `${c.status}:${c.code}` : 'missing'))(r.checks.find((x) => x.id === id))]));

describe.each(CASES)('adversarial case $name', ({ spec }) => {
  it(`${spec.attack} (${spec.class})`, async () => {
    expect(spec.note.length).toBeGreaterThan(10);
    const { input } = await build(spec);
    requested.length = 0;

    // 1. The verifier functions.
    if (spec.expect.error) {
      const thrown = await t.ctx.verifier.verify(input).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isAppError(thrown) && { code: thrown.code, status: thrown.status }).toEqual(spec.expect.error);
    } else {
      const report = await t.ctx.verifier.verify(input);
      const ids = Object.keys(spec.expect.checks ?? {});
      expect({ verdict: report.verdict, checks: summary(report, ids) }).toEqual({ verdict: spec.expect.verdict, checks: spec.expect.checks ?? {} });
      expect(report.verified).toBe(false);
    }

    // 2. POST /verify, as JSON.
    const post = request(t.app).post('/verify');
    const res = await ('jwt' in input ? post.set('Content-Type', 'text/plain').send(input.jwt) : post.set('Content-Type', 'application/json').send(input.credential));
    if (spec.expect.error) {
      expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: spec.expect.error.status, code: spec.expect.error.code });
    } else {
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ verdict: spec.expect.verdict, verified: false });
      const ids = Object.keys(spec.expect.checks ?? {});
      expect(summary(res.body as VerificationReport, ids)).toEqual(spec.expect.checks);

      // 3. The verify page: red for failed, amber for unconfirmed, never green.
      const page = await request(t.app)
        .post('/verify')
        .set('Accept', 'text/html')
        .field('credential', 'jwt' in input ? input.jwt : JSON.stringify(input.credential));
      expect(page.status).toBe(200);
      expect(page.text).toContain(spec.expect.verdict === 'unconfirmed' ? 'class="verdict verdict--warn"' : 'class="verdict verdict--bad"');
      expect(page.text).not.toContain('class="verdict verdict--ok"');
    }
    for (const path of spec.neverFetched ?? []) expect(requested).not.toContain(path);
  });
});

it('covers every class of attack the trust issue names', () => {
  const classes = new Set(CASES.map((c) => c.spec.class));
  for (const name of ['key-binding', 'spelling', 'context', 'proof-set', 'jwt', 'status', 'availability', 'classic']) expect(classes).toContain(name);
});
