import { createECDH, createHash } from 'node:crypto';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { createCredential as createListCredential, createList } from '@digitalbazaar/vc-bitstring-status-list';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import jsigs from 'jsonld-signatures';
import request from 'supertest';
import { createDocumentLoader } from '../../src/jsonld/document-loader.js';
import { createGuardedFetcher } from '../../src/net/guarded-fetch.js';
import type { Signer } from '../../src/proofs/proof-format.js';
import { suiteFor } from '../../src/proofs/suites/index.js';
import { verdictOf, type Check, type CheckId, type ReasonCode, type VerificationReport } from '../../src/verify/report.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';

/**
 * Property tests (fast-check, seeded): the verifier decides on what the signature covers.
 *
 * 1. Tampering: any change to the signed content of a credential, under any suite we sign with, fails
 *    the proof check; spellings that sign the same thing leave the report as it was. Which spellings
 *    are "the same thing" depends on the suite family:
 *    - RDFC suites (eddsa-rdfc-2022, VC-DI-EDDSA §3.3; ecdsa-rdfc-2019, VC-DI-ECDSA §3.2; and eddsa-2022,
 *      the draft name of the former) sign the RDFC-1.0 canonical N-Quads of the JSON-LD expansion. Key
 *      order, whitespace, string escapes, a full IRI or an alias instead of a term, `@id`/`@type` instead
 *      of the `id`/`type` aliases, a single value instead of a one-element array (no `@list` containers
 *      are in play) and the order of array elements (JSON-LD arrays are unordered sets) do not change the
 *      dataset, so they do not change what is signed.
 *    - JCS suites (eddsa-jcs-2022, VC-DI-EDDSA §3.4; ecdsa-jcs-2019, VC-DI-ECDSA §3.3) sign the RFC 8785
 *      canonical JSON of the document without its proof, and of the proof without its proofValue. JCS
 *      sorts object keys (RFC 8785 §3.2.3) and re-serialises strings with minimal escapes and no
 *      whitespace (§3.2.2.2, §3.2.1), so key order, whitespace and escapes are invisible to it, as is
 *      the shape of the `proof` member (it is removed before hashing). Everything else above changes the
 *      JSON, and so must fail a JCS proof, even where the JSON-LD statements stay the same.
 *    The JSON-level checks (`format`: the VCDM envelope; `open_badge`: the 1EdTech JSON Schema) read
 *    the JSON as written, by design: the spellings below are chosen where the envelope and the schema
 *    do not constrain the spelling, and a one-element array written as a single value is the
 *    compaction OB 3.0 App. A tolerates (`ob_compacted`, a warning).
 * 2. Validity and status: whatever the spelling of `validFrom`/`validUntil` (VCDM 1.1 names included)
 *    and of `credentialStatus`, the validity_period and status codes are what the signed dates and the
 *    signed status list bit say. A verifier reading plain JSON keys would miss a full-IRI `validUntil`
 *    or `credentialStatus`; that is the attack this guards.
 */

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
type Path = Array<string | number>;
type Family = 'rdfc' | 'jcs';

const NOW = new Date('2025-06-01T00:00:00Z');
const CREATED = new Date('2025-01-01T00:00:00Z');

const CRED = 'https://www.w3.org/2018/credentials#';
const OB = 'https://purl.imsglobal.org/spec/vc/ob/vocab.html#';
const STATUS = 'https://www.w3.org/ns/credentials/status#';
const SCHEMA = 'https://schema.org/';
const XSD = 'http://www.w3.org/2001/XMLSchema#';
/** The OB 3.0.3 context writes its XML Schema datatypes with https (a different IRI from XSD's): a respelling must copy it. */
const OB_XSD = 'https://www.w3.org/2001/XMLSchema#';
const CONTEXTS = ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'];

/** Bits that are set in every fixture status list: index % 3 === 1 (so about a third of picks are revoked). */
const LIST_LENGTH = 131_072;
const REVOKED_UP_TO = 4096;
const isRevoked = (index: number) => index < REVOKED_UP_TO && index % 3 === 1;

type Curve = 'Ed25519' | 'P-256' | 'P-384';
interface Signing {
  cryptosuite: string;
  curve: Curve;
  family: Family;
}
/** Every suite we sign with here. ecdsa-sd-2023 is left out: its base proof is for a holder to derive from (VC-DI-ECDSA §3.4), not for verifiers. */
const SIGNINGS: readonly Signing[] = [
  { cryptosuite: 'eddsa-rdfc-2022', curve: 'Ed25519', family: 'rdfc' },
  { cryptosuite: 'eddsa-2022', curve: 'Ed25519', family: 'rdfc' },
  { cryptosuite: 'eddsa-jcs-2022', curve: 'Ed25519', family: 'jcs' },
  { cryptosuite: 'ecdsa-rdfc-2019', curve: 'P-256', family: 'rdfc' },
  { cryptosuite: 'ecdsa-jcs-2019', curve: 'P-256', family: 'jcs' },
  { cryptosuite: 'ecdsa-rdfc-2019', curve: 'P-384', family: 'rdfc' },
  { cryptosuite: 'ecdsa-jcs-2019', curve: 'P-384', family: 'jcs' },
];

interface Issuer {
  did: string;
  vm: string;
  signer: Signer;
  listUrl: string;
}

/** A signed credential every property starts from, and the report it gets untouched. */
interface Base {
  name: string;
  kind: 'ob' | 'vc';
  family: Family;
  cryptosuite: string;
  doc: JsonObject;
  baseline: VerificationReport;
}

const documentLoader = createDocumentLoader();
let t: TestApp;
let fixtures: FixtureServer;
let origin = '';
let served: Map<string, unknown>;
const issuers = new Map<Curve, Issuer>();
/** Keys of nobody in particular, for proofs that name another key. */
const strangers = new Map<Curve, Issuer>();
const bases: Base[] = [];

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const check = (report: VerificationReport, id: CheckId): Check => report.checks.find((c) => c.id === id)!;
const outcome = (report: VerificationReport) => ({ verdict: report.verdict, checks: report.checks.map(({ id, status, code }) => ({ id, status, code })) });

/**
 * Keys derived from a label, so that a seed replays the same run: fast-check's generators read the
 * base credentials' shape, and the counterexample it prints must mean the same thing next time.
 */
async function makeIssuer(curve: Curve, label: string): Promise<Issuer> {
  const seed = createHash('sha512').update(`properties.test ${label}`).digest();
  let secret: Record<string, unknown>;
  if (curve === 'Ed25519') {
    secret = await (await Ed25519Multikey.generate({ seed: seed.subarray(0, 32) })).export({ publicKey: true, secretKey: true });
  } else {
    const size = curve === 'P-256' ? 32 : 48;
    const ecdh = createECDH(curve === 'P-256' ? 'prime256v1' : 'secp384r1');
    const d = seed.subarray(0, size);
    ecdh.setPrivateKey(d);
    const point = ecdh.getPublicKey(); // 0x04 || x || y
    const jwk = { kty: 'EC', crv: curve, d: d.toString('base64url'), x: point.subarray(1, 1 + size).toString('base64url'), y: point.subarray(1 + size).toString('base64url'), key_ops: ['sign'] };
    secret = await (await EcdsaMultikey.fromJwk({ jwk, secretKey: true })).export({ publicKey: true, secretKey: true });
  }
  const multibase = String(secret.publicKeyMultibase);
  const did = `did:key:${multibase}`;
  const vm = `${did}#${multibase}`;
  const key = curve === 'Ed25519' ? await Ed25519Multikey.from({ ...secret, id: vm, controller: did }) : await EcdsaMultikey.from({ ...secret, id: vm, controller: did });
  return { did, vm, signer: key.signer(), listUrl: `${origin}/status/${label}` };
}

/** Signs as `jsigs.sign` does for `vc.issue`, without its JSON-key checks, which would refuse the spellings under test. */
async function sign(doc: JsonObject, signing: Signing, issuer = issuers.get(signing.curve)!, created = CREATED): Promise<JsonObject> {
  const suite = suiteFor({ type: 'DataIntegrityProof', cryptosuite: signing.cryptosuite });
  if (!suite) throw new Error(`no suite ${signing.cryptosuite}`);
  const { sign: jsigsSign, purposes } = jsigs as unknown as {
    sign(document: unknown, options: { suite: unknown; purpose: unknown; documentLoader: unknown }): Promise<JsonObject>;
    purposes: { AssertionProofPurpose: new () => unknown };
  };
  const signed = await jsigsSign(structuredClone(doc), { suite: suite.signer(issuer.signer, created), purpose: new purposes.AssertionProofPurpose(), documentLoader });
  // OB 3.0 App. A: the canonical schema wants `proof` as an array.
  return { ...signed, proof: Array.isArray(signed.proof) ? signed.proof : [signed.proof!] };
}

const verify = (doc: JsonObject) => t.ctx.verifier.verify({ credential: structuredClone(doc) as Record<string, unknown> });

const achievement = (slug: string): JsonObject => ({
  id: `https://issuer.example/achievements/${slug}`,
  type: ['Achievement'],
  achievementType: 'Competency',
  name: 'Moving and Handling',
  description: 'Moves and repositions a person safely.',
  criteria: { narrative: 'Passed the practical assessment.' },
  tag: ['manual handling', 'safety'],
  humanCode: 'MH-1',
  fieldOfStudy: 'Care',
  version: '1.0',
  inLanguage: 'en',
  alignment: [
    { type: ['Alignment'], targetName: 'Safe handling', targetUrl: 'https://framework.example/1', targetFramework: 'Care Framework', targetCode: '1' },
    { type: ['Alignment'], targetName: 'Risk assessment', targetUrl: 'https://framework.example/2', targetFramework: 'Care Framework', targetCode: '2' },
  ],
});

const statusEntry = (issuer: Issuer, index: number): JsonObject => ({
  id: `${issuer.listUrl}#${index}`,
  type: 'BitstringStatusListEntry',
  statusPurpose: 'revocation',
  statusListIndex: String(index),
  statusListCredential: issuer.listUrl,
});

/** An OpenBadgeCredential (schema-conformant), or a plain VerifiableCredential with the same subject (no OB rules apply). */
function unsignedBase(kind: 'ob' | 'vc', issuer: Issuer, n: number): JsonObject {
  const subject = { id: 'did:example:learner', type: ['AchievementSubject'], achievement: achievement(`a${n}`) };
  if (kind === 'vc') {
    return {
      '@context': CONTEXTS,
      id: `urn:uuid:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      type: ['VerifiableCredential'],
      issuer: issuer.did,
      validFrom: '2025-01-01T00:00:00Z',
      validUntil: '2030-01-01T00:00:00Z',
      name: 'Moving and Handling',
      credentialSubject: subject,
      credentialStatus: statusEntry(issuer, 3 * n),
    };
  }
  return {
    '@context': CONTEXTS,
    id: `https://issuer.example/credentials/${n}`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: issuer.did, type: ['Profile'], name: 'Care Training Ltd', url: 'https://issuer.example', email: 'badges@issuer.example' },
    validFrom: '2025-01-01T00:00:00Z',
    validUntil: '2030-01-01T00:00:00Z',
    awardedDate: '2025-01-01T00:00:00Z',
    name: 'Moving and Handling',
    description: 'Awarded for the practical assessment.',
    credentialSubject: subject,
    credentialStatus: statusEntry(issuer, 3 * n),
  };
}

async function signedStatusList(issuer: Issuer, curve: Curve): Promise<JsonObject> {
  const list = await createList({ length: LIST_LENGTH });
  for (let i = 0; i < REVOKED_UP_TO; i++) if (isRevoked(i)) list.setStatus(i, true);
  const unsigned = { ...(await createListCredential({ id: issuer.listUrl, list, statusPurpose: 'revocation' })), issuer: issuer.did, validFrom: '2025-01-01T00:00:00Z' } as JsonObject;
  return sign(unsigned, { cryptosuite: curve === 'Ed25519' ? 'eddsa-rdfc-2022' : 'ecdsa-rdfc-2019', curve, family: 'rdfc' }, issuer);
}

beforeAll(async () => {
  fixtures = await startFixtureServer();
  ({ origin, served } = fixtures);
  t = await startTestApp(
    { REMOTE_FETCH_ALLOW_HTTP: 'true', REMOTE_FETCH_ALLOW_PRIVATE: 'true' },
    { now: () => NOW, fetcher: createGuardedFetcher({ allowHttp: true, allowPrivateAddresses: true }) },
  );

  for (const [curve, name] of [['Ed25519', 'ed25519'], ['P-256', 'p256'], ['P-384', 'p384']] as const) {
    const issuer = await makeIssuer(curve, name);
    issuers.set(curve, issuer);
    strangers.set(curve, await makeIssuer(curve, `${name}-stranger`));
    served.set(new URL(issuer.listUrl).pathname, await signedStatusList(issuer, curve));
  }

  let n = 0;
  for (const signing of SIGNINGS) {
    for (const kind of ['ob', 'vc'] as const) {
      const doc = await sign(unsignedBase(kind, issuers.get(signing.curve)!, ++n), signing);
      bases.push({ name: `${kind} ${signing.cryptosuite} ${signing.curve}`, kind, family: signing.family, cryptosuite: signing.cryptosuite, doc, baseline: await verify(doc) });
    }
  }
  // Our own credential: eddsa-rdfc-2022 by this service's did:web key, with its status in our own list.
  const slug = t.ctx.catalog.list()[0]!.badgeClass.slug;
  const issued = await request(t.app).post('/api/v1/credentials').set('Authorization', `Bearer ${t.apiKey}`).send({ badgeClass: slug, recipient: { id: 'did:example:learner' } }).expect(201);
  const own = issued.body.credential as JsonObject;
  bases.push({ name: 'ob eddsa-rdfc-2022 (issued here)', kind: 'ob', family: 'rdfc', cryptosuite: 'eddsa-rdfc-2022', doc: own, baseline: await verify(own) });
}, 60_000);

afterAll(async () => {
  t.close();
  await fixtures.close();
});

const baseNamed = (name: string): Base => bases.find((b) => b.name === name)!;

// ---------------------------------------------------------------------------------------------
// JSON paths

function at(doc: Json, path: Path): Json | undefined {
  let node: Json | undefined = doc;
  for (const part of path) {
    if (Array.isArray(node) && typeof part === 'number') node = node[part];
    else if (isObject(node) && typeof part === 'string') node = node[part];
    else return undefined;
  }
  return node;
}

/** The container holding the value at `path`, and its key there. */
function slot(doc: Json, path: Path): { parent: JsonObject | Json[]; key: string | number } {
  const parent = at(doc, path.slice(0, -1));
  const key = path.at(-1);
  if (key === undefined || !(Array.isArray(parent) || isObject(parent))) throw new Error(`no slot at ${JSON.stringify(path)}`);
  return { parent, key };
}

function setAt(doc: Json, path: Path, value: Json): void {
  const { parent, key } = slot(doc, path);
  (parent as Record<string | number, Json>)[key] = value;
}

function deleteAt(doc: Json, path: Path): void {
  const { parent, key } = slot(doc, path);
  if (Array.isArray(parent)) parent.splice(key as number, 1);
  else delete parent[key as string];
}

/** Renames the key at `path`, keeping its place among its siblings. */
function renameAt(doc: Json, path: Path, to: string, value: Json): void {
  const { parent, key } = slot(doc, path);
  if (!isObject(parent) || typeof key !== 'string') throw new Error(`cannot rename ${JSON.stringify(path)}`);
  const entries = Object.entries(parent).map(([k, v]): [string, Json] => (k === key ? [to, value] : [k, v]));
  for (const k of Object.keys(parent)) delete parent[k];
  for (const [k, v] of entries) parent[k] = v;
}

/** Every value in the signed part of a credential: not under `@context` and not under the root's `proof`. */
function signedValues(doc: JsonObject): Array<{ path: Path; value: Json }> {
  const out: Array<{ path: Path; value: Json }> = [];
  const walk = (value: Json, path: Path) => {
    out.push({ path, value });
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i]));
    else if (isObject(value)) for (const [k, v] of Object.entries(value)) if (k !== '@context' && !(path.length === 0 && k === 'proof')) walk(v, [...path, k]);
  };
  walk(doc, []);
  return out.slice(1);
}

const isPrefix = (prefix: Path, path: Path) => prefix.length <= path.length && prefix.every((p, i) => p === path[i]);

/** A small PRNG so that one generated integer fixes a whole shuffle (and fast-check prints just that integer). */
function prng(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: T[], rnd: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Reorders the keys of every object, at every depth (the proof's included). */
function reorderKeys(value: Json, rnd: () => number): Json {
  if (Array.isArray(value)) return value.map((v) => reorderKeys(v, rnd));
  if (!isObject(value)) return value;
  return Object.fromEntries(shuffled(Object.entries(value), rnd).map(([k, v]) => [k, reorderKeys(v, rnd)]));
}

/** Reorders the elements of every array but `@context` (its order decides which definition wins). */
function reorderArrays(value: Json, rnd: () => number, key?: string): Json {
  if (Array.isArray(value)) return (key === '@context' ? value : shuffled(value, rnd)).map((v) => reorderArrays(v, rnd));
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reorderArrays(v, rnd, k)]));
}

/**
 * JSON text of `value` with random whitespace between tokens and random escapes inside strings (keys
 * included): `\uXXXX` for any character, `\/` for `/`. JSON.parse gives back the same value, and JCS
 * (RFC 8785 §3.2.2.2) writes the same canonical text for it.
 */
function serialise(value: Json, rnd: () => number, escapeRate: number): string {
  const ws = () => Array.from({ length: Math.floor(rnd() * 3) }, () => [' ', '\t', '\n', '\r'][Math.floor(rnd() * 4)]).join('');
  const unicode = (ch: string) => [...Array(ch.length).keys()].map((i) => `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');
  const str = (s: string) =>
    `"${[...s]
      .map((ch) => {
        if (rnd() < escapeRate) return ch === '/' && rnd() < 0.5 ? '\\/' : unicode(ch);
        return JSON.stringify(ch).slice(1, -1);
      })
      .join('')}"`;
  const write = (v: Json): string => {
    if (Array.isArray(v)) return `[${ws()}${v.map((x) => `${write(x)}${ws()}`).join(`,${ws()}`)}]`;
    if (isObject(v)) return `{${ws()}${Object.entries(v).map(([k, x]) => `${str(k)}${ws()}:${ws()}${write(x)}${ws()}`).join(`,${ws()}`)}}`;
    return typeof v === 'string' ? str(v) : JSON.stringify(v);
  };
  return `${ws()}${write(value)}${ws()}`;
}

const firstProof = (doc: JsonObject): JsonObject => {
  const proof = doc.proof;
  const first = Array.isArray(proof) ? proof[0] : proof;
  if (!isObject(first)) throw new Error('no proof');
  return first;
};

/** RFC 8785 (JCS), from the `canonicalize` library the JCS cryptosuites use themselves. */
const jcs = (value: Json): string => canonicalize(value) ?? '';

/** What a JCS suite hashes (VC-DI-EDDSA §3.4.1, §3.4.5): the document without `proof`, and the proof without `proofValue`. */
function jcsInput(doc: JsonObject): string {
  const { proof: _proof, ...unsecured } = doc;
  const { proofValue: _value, ...config } = firstProof(doc);
  return `${jcs(unsecured)}\n${jcs(config)}`;
}

// ---------------------------------------------------------------------------------------------
// 1a. Changes to the signed content

/**
 * How a string changes, as data (fast-check prints it); the new value is worked out from the old one
 * when applied, and is never the old one: an edit that would give it back appends "~" instead.
 */
type Edit =
  | { op: 'set'; text: string }
  | { op: 'append'; text: string }
  | { op: 'replace'; at: number; text: string }
  | { op: 'instant'; seconds: number }
  /** The same instant spelled otherwise: RDFC-1.0 and JCS both sign the lexical form, so this too is a change. */
  | { op: 'same-instant'; form: 0 | 1 | 2 }
  /** One base58btc character of a proofValue moved along the alphabet. */
  | { op: 'base58'; at: number; shift: number };

type Tamper =
  | { kind: 'change'; path: Path; edit: Edit }
  | { kind: 'insert-property'; path: Path; key: string; value: string; defined: boolean }
  | { kind: 'insert-item'; path: Path; value: Json }
  | { kind: 'delete'; path: Path }
  /** A field of the (first) proof set to a value, edited, or deleted (`null`), and the reason code that must follow. */
  | { kind: 'proof'; field: string; to: string | Edit | null; code: ReasonCode };

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const dateString = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function edited(old: string, edit: Edit): string {
  let value: string;
  switch (edit.op) {
    case 'set':
      value = edit.text;
      break;
    case 'append':
      value = `${old}${edit.text}`;
      break;
    case 'replace': {
      const i = edit.at % Math.max(1, old.length);
      value = `${old.slice(0, i)}${edit.text}${old.slice(i + 1)}`;
      break;
    }
    case 'instant':
      value = dateString(edit.seconds * 1000);
      break;
    case 'same-instant':
      value = old.replace(/Z$/, ['.000Z', '+00:00', '.0Z'][edit.form]!);
      break;
    case 'base58': {
      const i = edit.at % old.length;
      const next = BASE58[(BASE58.indexOf(old[i]!) + edit.shift) % BASE58.length]!;
      value = `${old.slice(0, i)}${next}${old.slice(i + 1)}`;
      break;
    }
  }
  return value === old ? `${old}~` : value;
}

/** Terms every node can use: VCDM 2.0 defines them at the top of its (protected) context. */
const EVERYWHERE_TERMS = ['name', 'description'];
const DATE_KEYS = new Set(['validFrom', 'validUntil', 'awardedDate']);

const textEdit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), text: fc.string({ maxLength: 12 }) }),
  fc.record({ op: fc.constant('append' as const), text: fc.string({ minLength: 1, maxLength: 3 }) }),
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), text: fc.string({ minLength: 1, maxLength: 1 }) }),
);
const dateEdit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constant('instant' as const), seconds: fc.integer({ min: Date.parse('2000-01-01T00:00:00Z') / 1000, max: Date.parse('2040-01-01T00:00:00Z') / 1000 }) }),
  fc.record({ op: fc.constant('same-instant' as const), form: fc.constantFrom(0 as const, 1 as const, 2 as const) }),
);

function tamperArb(base: Base): fc.Arbitrary<Tamper> {
  const values = signedValues(base.doc);
  const leaves = values.filter((v) => typeof v.value === 'string').map((v) => v.path);
  const dates = leaves.filter((path) => DATE_KEYS.has(String(path.at(-1))));
  const types = leaves.filter((path) => path.includes('type'));
  const objects: Path[] = [[], ...values.filter((v) => isObject(v.value) && !('@value' in v.value)).map((v) => v.path)];
  const arrays = values.filter((v) => Array.isArray(v.value));
  const deletable = values.map((v) => v.path);
  const proof = firstProof(base.doc);
  const vm = String(proof.verificationMethod);
  const curve: Curve = base.cryptosuite.startsWith('eddsa') ? 'Ed25519' : vm.startsWith('did:key:z82') ? 'P-384' : 'P-256';
  const proofTamper = (field: string, to: fc.Arbitrary<string | Edit | null>, code: ReasonCode = 'signature_invalid') => to.map((v): Tamper => ({ kind: 'proof', field, to: v, code }));

  return fc.oneof(
    // Change a value anywhere: credentialSubject, issuer, status entry, dates, types, ids.
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('change' as const), path: fc.constantFrom(...leaves), edit: textEdit }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('change' as const), path: fc.constantFrom(...dates), edit: dateEdit }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('change' as const),
        path: fc.constantFrom(...types),
        edit: fc.record({ op: fc.constant('set' as const), text: fc.constantFrom('Achievement', 'Profile', 'EndorsementCredential', 'EndorsementSubject', 'Image', 'BitstringStatusList') }),
      }),
    },
    // Add a property the contexts define (or give it another value).
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant('insert-property' as const), path: fc.constantFrom(...objects), key: fc.constantFrom(...EVERYWHERE_TERMS), value: fc.string({ maxLength: 10 }), defined: fc.constant(true) }),
    },
    // Add a property no context defines: JSON-LD would drop it unsigned, so safe mode must refuse it.
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('insert-property' as const),
        path: fc.constantFrom(...objects),
        key: fc.stringMatching(/^x[A-Z][a-zA-Z]{2,8}$/),
        value: fc.string({ maxLength: 10 }),
        defined: fc.constant(false),
      }),
    },
    // Insert an element into an array: a new string, or a copy of an object element under a new name.
    {
      weight: 2,
      arbitrary: fc.constantFrom(...arrays).chain(({ path, value }) => {
        const items = value as Json[];
        const sample = items.find(isObject);
        const fresh = fc.string({ minLength: 1, maxLength: 8 }).map((s): Json =>
          sample ? { ...structuredClone(sample), ...('id' in sample ? { id: `${String(sample.id)}-${s}` } : {}), ...('targetName' in sample ? { targetName: s } : { name: s }) } : `x-${s}`,
        );
        return fc.record({ kind: fc.constant('insert-item' as const), path: fc.nat({ max: items.length }).map((i) => [...path, i]), value: fresh });
      }),
    },
    // Delete a property or an array element, at any depth.
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), path: fc.constantFrom(...deletable) }) },
    // Change a proof field (its key order is not a change: see the spelling properties).
    {
      weight: 4,
      arbitrary: fc.oneof(
        proofTamper('created', dateEdit),
        proofTamper('created', fc.constant(null)),
        // Another key, or the same did:key without its fragment: the proof options name the key, so both are signed.
        proofTamper('verificationMethod', fc.constantFrom(strangers.get(curve)!.vm, issuers.get(curve === 'Ed25519' ? 'P-256' : 'Ed25519')!.vm, vm.split('#')[0]!)),
        proofTamper('verificationMethod', fc.constant(null), 'malformed_proof'),
        proofTamper('proofPurpose', fc.constantFrom('authentication', 'capabilityInvocation', 'assertion'), 'wrong_purpose'),
        proofTamper('proofPurpose', fc.constant(null), 'wrong_purpose'),
        // Another suite this verifier knows: the signature is checked as that suite's, and fails.
        proofTamper('cryptosuite', fc.constantFrom(...['eddsa-rdfc-2022', 'eddsa-jcs-2022', 'eddsa-2022', 'ecdsa-rdfc-2019', 'ecdsa-jcs-2019', 'ecdsa-sd-2023'].filter((c) => c !== proof.cryptosuite))),
        proofTamper('type', fc.constant('Ed25519Signature2020')),
        proofTamper('proofValue', fc.record({ op: fc.constant('base58' as const), at: fc.nat(), shift: fc.integer({ min: 1, max: BASE58.length - 1 }) })),
        proofTamper('proofValue', fc.constant(null), 'malformed_proof'),
        proofTamper('expires', fc.constant('2030-01-01T00:00:00Z')),
        proofTamper('expires', fc.constant('2025-05-01T00:00:00Z'), 'proof_expired'),
        proofTamper('id', fc.uuid().map((u) => `urn:uuid:${u}`)),
        fc.constantFrom('domain', 'challenge', 'nonce').chain((field) => proofTamper(field, fc.string({ minLength: 1, maxLength: 8 }))),
      ),
    },
  );
}

function applyTamper(doc: JsonObject, tamper: Tamper): JsonObject {
  const copy = structuredClone(doc);
  switch (tamper.kind) {
    case 'change':
      setAt(copy, tamper.path, edited(String(at(copy, tamper.path)), tamper.edit));
      break;
    case 'insert-property': {
      const node = at(copy, tamper.path) as JsonObject;
      node[tamper.key] = node[tamper.key] === tamper.value ? `${tamper.value}~` : tamper.value;
      break;
    }
    case 'insert-item': {
      const { parent, key } = slot(copy, tamper.path);
      (parent as Json[]).splice(key as number, 0, tamper.value);
      break;
    }
    case 'delete':
      deleteAt(copy, tamper.path);
      break;
    case 'proof': {
      const proof = firstProof(copy);
      if (tamper.to === null) delete proof[tamper.field];
      else proof[tamper.field] = typeof tamper.to === 'string' ? tamper.to : edited(String(proof[tamper.field]), tamper.to);
      break;
    }
  }
  return copy;
}

// ---------------------------------------------------------------------------------------------
// 1b. Spellings that sign the same statements (RDFC), of which only some are the same JSON (JCS)

interface TermDefinition {
  iri: string;
  /** The term's type coercion, which a full IRI key does not carry: the value must say it itself. */
  coerce?: '@id' | string;
}

/** Term definitions as the bundled contexts give them (VCDM 2.0 `VerifiableCredential` scope, OB 3.0.3, Bitstring Status List). */
const ROOT_TERMS: Record<string, TermDefinition> = {
  validUntil: { iri: `${CRED}validUntil`, coerce: `${XSD}dateTime` },
  credentialStatus: { iri: `${CRED}credentialStatus`, coerce: '@id' },
  credentialSchema: { iri: `${CRED}credentialSchema`, coerce: '@id' },
  name: { iri: `${SCHEMA}name` },
  description: { iri: `${SCHEMA}description` },
  // The OB 3.0.3 context types awardedDate as "xsd:dateTime" without defining an `xsd` prefix, so
  // the datatype IRI is literally `xsd:dateTime`; the respelling must say the same.
  awardedDate: { iri: `${OB}awardedDate`, coerce: 'xsd:dateTime' },
};
/** Required as written by the OB JSON Schema, so respelled only in plain VCs. */
const ROOT_TERMS_VC: Record<string, TermDefinition> = { validFrom: { iri: `${CRED}validFrom`, coerce: `${XSD}dateTime` } };
const PROFILE_TERMS: Record<string, TermDefinition> = { name: { iri: `${SCHEMA}name` }, email: { iri: `${SCHEMA}email` }, url: { iri: `${SCHEMA}url`, coerce: `${OB_XSD}anyURI` } };
const STATUS_TERMS: Record<string, TermDefinition> = {
  statusPurpose: { iri: `${STATUS}statusPurpose` },
  statusListIndex: { iri: `${STATUS}statusListIndex` },
  statusListCredential: { iri: `${STATUS}statusListCredential`, coerce: '@id' },
};
const ACHIEVEMENT_TERMS: Record<string, TermDefinition> = {
  tag: { iri: `${SCHEMA}keywords` },
  humanCode: { iri: `${OB}humanCode` },
  fieldOfStudy: { iri: `${OB}fieldOfStudy` },
  version: { iri: `${OB}version` },
  inLanguage: { iri: `${SCHEMA}inLanguage` },
  achievementType: { iri: `${OB}achievementType` },
  creator: { iri: `${OB}creator` },
  image: { iri: `${OB}image`, coerce: '@id' },
};
const ALIGNMENT_TERMS: Record<string, TermDefinition> = { targetFramework: { iri: `${SCHEMA}targetFramework` }, targetCode: { iri: `${OB}targetCode` }, targetType: { iri: `${OB}targetType` } };
const SUBJECT_TERMS_VC: Record<string, TermDefinition> = { achievement: { iri: `${OB}achievement` } };

interface Respelling {
  path: Path;
  iri: string;
  coerce?: string;
}

/** Keys that may be written as full IRIs without the envelope or the OB schema noticing (they are optional there). */
function respellable(base: Base): Respelling[] {
  const out: Respelling[] = [];
  const add = (path: Path, terms: Record<string, TermDefinition>) => {
    const node = at(base.doc, path);
    if (!isObject(node)) return;
    for (const [term, def] of Object.entries(terms)) if (term in node) out.push({ path: [...path, term], iri: def.iri, ...(def.coerce ? { coerce: def.coerce } : {}) });
  };
  add([], { ...ROOT_TERMS, ...(base.kind === 'vc' ? ROOT_TERMS_VC : {}) });
  add(['issuer'], PROFILE_TERMS);
  const status = base.doc.credentialStatus;
  if (Array.isArray(status)) status.forEach((_s, i) => add(['credentialStatus', i], STATUS_TERMS));
  else add(['credentialStatus'], STATUS_TERMS);
  if (base.kind === 'vc') add(['credentialSubject'], SUBJECT_TERMS_VC);
  const achievementPath = ['credentialSubject', 'achievement'];
  add(achievementPath, ACHIEVEMENT_TERMS);
  add([...achievementPath, 'creator'], PROFILE_TERMS);
  const alignment = at(base.doc, [...achievementPath, 'alignment']);
  if (Array.isArray(alignment)) alignment.forEach((_a, i) => add([...achievementPath, 'alignment', i], ALIGNMENT_TERMS));
  return out;
}

/** A value under a full IRI key, with the coercion the term would have applied made explicit. */
function coerced(value: Json, coerce: string | undefined): Json {
  if (Array.isArray(value)) return value.map((v) => coerced(v, coerce));
  if (typeof value !== 'string' || coerce === undefined) return value;
  return coerce === '@id' ? { '@id': value } : { '@value': value, '@type': coerce };
}

/** Keys the VCDM envelope check reads at the root (model.ts CredentialEnvelopeSchema), or JSON-LD keeps single. */
const ENVELOPE_KEYS = new Set(['@context', 'id', 'type', 'issuer', 'validFrom', 'validUntil', 'issuanceDate', 'expirationDate', 'credentialSchema', 'proof']);
const SINGLE_ONLY = new Set(['id', '@id', '@value', '@type', '@context']);

interface Spelling {
  respell: Respelling[];
  /** OB 3.0.3 context: `"AchievementCredential": {"@id": "OpenBadgeCredential"}`, the same type IRI. */
  achievementCredentialAlias: boolean;
  /** One-element arrays written as the single value (the root `proof` included). */
  unwrap: Path[];
  /** Single values written as one-element arrays (plain VCs, where no JSON Schema asks for a single value; not the root keys the envelope check reads). */
  wrap: Path[];
  /** `id`/`type` written as the keywords they alias, `@id`/`@type` (plain VCs; not the root `type`, which the envelope check reads). */
  keywords: Path[];
  reorderArrays: number | null;
  reorderKeys: number | null;
}

function spellingArb(base: Base): fc.Arbitrary<Spelling> {
  const values = signedValues(base.doc);
  const proofArray = Array.isArray(base.doc.proof) && base.doc.proof.length === 1 ? [['proof'] as Path] : [];
  const unwrappable = [...values.filter((v) => Array.isArray(v.value) && v.value.length === 1 && v.path.at(-1) !== '@context').map((v) => v.path), ...proofArray];
  const atKey = values.filter((v) => typeof v.path.at(-1) === 'string');
  const wrappable = base.kind !== 'vc' ? [] : atKey.filter((v) => !Array.isArray(v.value) && !SINGLE_ONLY.has(String(v.path.at(-1))) && !(v.path.length === 1 && ENVELOPE_KEYS.has(String(v.path[0])))).map((v) => v.path);
  const keywords = base.kind !== 'vc' ? [] : atKey.filter((v) => ['id', 'type'].includes(String(v.path.at(-1))) && !isPrefix(['type'], v.path)).map((v) => v.path);
  const rootTypes = base.doc.type;
  return fc.record({
    respell: fc.subarray(respellable(base)),
    achievementCredentialAlias: Array.isArray(rootTypes) && rootTypes.includes('OpenBadgeCredential') ? fc.boolean() : fc.constant(false),
    unwrap: fc.subarray(unwrappable),
    wrap: fc.subarray(wrappable),
    keywords: fc.subarray(keywords),
    reorderArrays: fc.option(fc.integer(), { freq: 3 }),
    reorderKeys: fc.option(fc.integer(), { freq: 3 }),
  });
}

function applySpelling(doc: JsonObject, spelling: Spelling): JsonObject {
  let copy = structuredClone(doc);
  if (spelling.achievementCredentialAlias) copy.type = (copy.type as Json[]).map((t) => (t === 'OpenBadgeCredential' ? 'AchievementCredential' : t));
  // Deepest first, and at one path the value before the key, so every path still points where it did.
  type Op = { path: Path; order: number; run: () => void };
  const ops: Op[] = [
    ...spelling.wrap.map((path) => ({ path, order: 0, run: () => setAt(copy, path, [at(copy, path)!]) })),
    ...spelling.unwrap.map((path) => ({ path, order: 0, run: () => setAt(copy, path, (at(copy, path) as Json[])[0]!) })),
    ...spelling.respell.map(({ path, iri, coerce }) => ({ path, order: 1, run: () => renameAt(copy, path, iri, coerced(at(copy, path)!, coerce)) })),
    ...spelling.keywords.map((path) => ({ path, order: 1, run: () => renameAt(copy, path, `@${String(path.at(-1))}`, at(copy, path)!) })),
  ];
  for (const op of ops.sort((a, b) => b.path.length - a.path.length || a.order - b.order)) op.run();
  if (spelling.reorderArrays !== null) copy = reorderArrays(copy, prng(spelling.reorderArrays)) as JsonObject;
  if (spelling.reorderKeys !== null) copy = reorderKeys(copy, prng(spelling.reorderKeys)) as JsonObject;
  return copy;
}

/** The report a respelled credential must get: the baseline, except where the JSON-level checks or a JCS proof see the spelling. */
function expectedFor(base: Base, spelling: Spelling, respelled: JsonObject) {
  const checks = outcome(base.baseline).checks.map((c) => ({ ...c }));
  const set = (id: CheckId, status: Check['status'], code: ReasonCode) => Object.assign(checks.find((c) => c.id === id)!, { status, code });
  // OB 3.0 App. A: a one-element array the schema asks for, written as a single value, is a warning.
  // An unwrap inside a respelled key is out of the schema's sight (it reads only the terms).
  const seenBySchema = spelling.unwrap.filter((p) => !spelling.respell.some((r) => isPrefix(r.path, p)));
  if (base.kind === 'ob' && seenBySchema.length > 0 && checks.find((c) => c.id === 'open_badge')!.code === 'ob_conformant') set('open_badge', 'warning', 'ob_compacted');
  if (base.family === 'jcs' && jcsInput(respelled) !== jcsInput(base.doc)) set('proof', 'failed', 'signature_invalid');
  return { verdict: verdictOf(checks.map((c) => ({ ...c, message: '' }))), checks };
}

// ---------------------------------------------------------------------------------------------
// 2. Validity and status, spelled in every way the contexts allow

type DateSpelling = 'term' | 'array' | 'value-object-under-iri' | 'plain-under-iri' | 'prefixed' | 'local-alias' | 'vc11-iri';
type StatusKeySpelling = 'term' | 'array' | 'iri' | 'prefixed' | 'local-alias';
type EntrySpelling = 'terms' | 'iris' | 'embedded-context';

interface StatedCredential {
  kind: 'ob' | 'vc';
  signing: number;
  validFrom: Array<{ spelling: DateSpelling; offset: number }>;
  validUntil: Array<{ spelling: DateSpelling; offset: number }>;
  status: { key: StatusKeySpelling; entry: EntrySpelling; index: number } | null;
}

const LOCAL_CONTEXT = {
  cred: CRED,
  startsOn: { '@id': `${CRED}validFrom`, '@type': `${XSD}dateTime` },
  endsOn: { '@id': `${CRED}validUntil`, '@type': `${XSD}dateTime` },
  revocationStatus: { '@id': `${CRED}credentialStatus`, '@type': '@id' },
};

const fromNow = (offsetSeconds: number) => dateString(NOW.getTime() + offsetSeconds * 1000);

/** Writes one validity date; the same key is never written twice (the spellings are grouped by key). */
function writeDate(doc: JsonObject, which: 'validFrom' | 'validUntil', spelling: DateSpelling, date: string): void {
  const iri = `${CRED}${which}`;
  const typed = { '@value': date, '@type': `${XSD}dateTime` };
  switch (spelling) {
    case 'term':
      doc[which] = date;
      break;
    case 'array':
      doc[which] = [date];
      break;
    case 'value-object-under-iri':
      doc[iri] = typed;
      break;
    case 'plain-under-iri':
      doc[iri] = date;
      break;
    case 'prefixed':
      doc[`cred:${which}`] = typed;
      break;
    case 'local-alias':
      doc[which === 'validFrom' ? 'startsOn' : 'endsOn'] = date;
      break;
    case 'vc11-iri':
      // VCDM 1.1's names, which signed-view.ts reads as the same statement.
      doc[`${CRED}${which === 'validFrom' ? 'issuanceDate' : 'expirationDate'}`] = typed;
      break;
  }
}

const DATE_KEY_GROUPS: DateSpelling[][] = [['term', 'array'], ['value-object-under-iri', 'plain-under-iri'], ['prefixed'], ['local-alias'], ['vc11-iri']];
const datesArb = fc
  .subarray(DATE_KEY_GROUPS, { maxLength: 2 })
  .chain((groups) =>
    fc.tuple(
      ...groups.map((group) =>
        fc.record({
          spelling: fc.constantFrom(...group),
          // Never exactly now: whether validUntil === now is still valid is not what this is about.
          offset: fc.oneof(fc.integer({ min: 1, max: 5 * 365 * 86400 }), fc.integer({ min: -5 * 365 * 86400, max: -1 }), fc.constantFrom(-1, 1, -86400, 86400)),
        }),
      ),
    ),
  );

const statedArb: fc.Arbitrary<StatedCredential> = fc.record({
  kind: fc.constantFrom('ob' as const, 'vc' as const),
  signing: fc.nat({ max: SIGNINGS.length - 1 }),
  validFrom: datesArb,
  validUntil: datesArb,
  status: fc.option(
    fc.record({
      key: fc.constantFrom<StatusKeySpelling>('term', 'array', 'iri', 'prefixed', 'local-alias'),
      entry: fc.constantFrom<EntrySpelling>('terms', 'iris', 'embedded-context'),
      index: fc.oneof(fc.nat({ max: REVOKED_UP_TO - 1 }), fc.nat({ max: Math.floor((REVOKED_UP_TO - 2) / 3) }).map((i) => 3 * i + 1)),
    }),
    { freq: 6 },
  ),
});

function statusEntrySpelled(issuer: Issuer, index: number, spelling: EntrySpelling): JsonObject {
  const id = `${issuer.listUrl}#${index}`;
  if (spelling === 'terms') return statusEntry(issuer, index);
  if (spelling === 'iris') {
    // No type-scoped context applies to a type written as a full IRI, so every property is a full IRI too.
    return {
      id,
      type: `${STATUS}BitstringStatusListEntry`,
      [`${STATUS}statusPurpose`]: 'revocation',
      [`${STATUS}statusListIndex`]: String(index),
      [`${STATUS}statusListCredential`]: { '@id': issuer.listUrl },
    };
  }
  return {
    '@context': { list: { '@id': `${STATUS}statusListCredential`, '@type': '@id' }, position: `${STATUS}statusListIndex` },
    id,
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation',
    position: String(index),
    list: issuer.listUrl,
  };
}

function statedCredential(spec: StatedCredential, issuer: Issuer): JsonObject {
  const base = unsignedBase(spec.kind, issuer, 900);
  const { validFrom: _from, validUntil: _until, credentialStatus: _status, ...doc } = base;
  doc['@context'] = [...CONTEXTS, LOCAL_CONTEXT];
  for (const { spelling, offset } of spec.validFrom) writeDate(doc, 'validFrom', spelling, fromNow(offset));
  for (const { spelling, offset } of spec.validUntil) writeDate(doc, 'validUntil', spelling, fromNow(offset));
  if (spec.status) {
    const entry = statusEntrySpelled(issuer, spec.status.index, spec.status.entry);
    const key = { term: 'credentialStatus', array: 'credentialStatus', iri: `${CRED}credentialStatus`, prefixed: 'cred:credentialStatus', 'local-alias': 'revocationStatus' }[spec.status.key];
    doc[key] = spec.status.key === 'array' ? [entry] : entry;
  }
  return doc;
}

// ---------------------------------------------------------------------------------------------

describe('the base credentials', () => {
  it('verify under every suite, with the status list and key the test controls', () => {
    expect(bases).toHaveLength(2 * SIGNINGS.length + 1);
    for (const base of bases) {
      expect({ name: base.name, ...outcome(base.baseline) }).toEqual({
        name: base.name,
        verdict: 'verified',
        checks: [
          { id: 'format', status: 'passed', code: 'vc_2_0' },
          { id: 'contexts', status: 'passed', code: 'contexts_known' },
          base.kind === 'ob' ? { id: 'open_badge', status: 'passed', code: 'ob_conformant' } : { id: 'open_badge', status: 'skipped', code: 'not_an_open_badge' },
          { id: 'proof', status: 'passed', code: 'signature_valid' },
          { id: 'issuer_key', status: 'passed', code: 'key_bound' },
          { id: 'validity_period', status: 'passed', code: 'valid' },
          { id: 'status', status: 'passed', code: 'not_revoked' },
          { id: 'recipient', status: 'skipped', code: 'not_requested' },
          { id: 'endorsements', status: 'skipped', code: 'no_endorsements' },
        ],
      });
      expect(check(base.baseline, 'proof').message).toContain(base.cryptosuite);
    }
  });

  it('have what the generators rely on: no empty or null values, and no array that repeats an element', () => {
    // Deleting an empty array, or one of two equal elements, would not change the signed statements.
    for (const base of bases) {
      for (const { path, value } of signedValues(base.doc)) {
        expect({ base: base.name, path, empty: value === null || (Array.isArray(value) && value.length === 0) }).toEqual({ base: base.name, path, empty: false });
        if (Array.isArray(value)) expect({ base: base.name, path, distinct: new Set(value.map(jcs)).size }).toEqual({ base: base.name, path, distinct: value.length });
      }
    }
  });
});

describe('tampering (property)', () => {
  it('fails the proof of a credential whose signed content or proof was changed, under every suite', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...bases.map((b) => b.name)).chain((name) => tamperArb(baseNamed(name)).map((tamper) => ({ base: name, tamper }))),
        async ({ base, tamper }) => {
          const report = await verify(applyTamper(baseNamed(base).doc, tamper));
          const code = tamper.kind === 'proof' ? tamper.code : 'signature_invalid';
          expect(check(report, 'proof')).toMatchObject({ status: 'failed', code });
          if (tamper.kind === 'insert-property' && !tamper.defined) expect(check(report, 'contexts')).toMatchObject({ status: 'failed', code: 'jsonld_invalid' });
          expect(report.verdict).toBe('failed');
          expect(report.verified).toBe(false);
        },
      ),
      {
        seed: 0x0b3_7a3,
        numRuns: 150,
        // Counterexamples found by this property, kept so they run every time.
        examples: [[{ base: 'ob eddsa-rdfc-2022 Ed25519', tamper: { kind: 'delete', path: ['issuer', 'id'] } }]],
      },
    );
  });

  it('gives the same report for a credential spelled otherwise but signing the same statements (RDFC); a JCS proof fails once the JSON changed', async () => {
    let jcsFailed = 0;
    let rdfcRespelled = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...bases.map((b) => b.name)).chain((name) => spellingArb(baseNamed(name)).map((spelling) => ({ base: name, spelling }))),
        async ({ base: name, spelling }) => {
          const base = baseNamed(name);
          const respelled = applySpelling(base.doc, spelling);
          const expected = expectedFor(base, spelling, respelled);
          expect(outcome(await verify(respelled))).toEqual(expected);
          if (base.family === 'jcs' && expected.checks.find((c) => c.id === 'proof')!.status === 'failed') jcsFailed++;
          if (base.family === 'rdfc' && jcsInput(respelled) !== jcsInput(base.doc)) rdfcRespelled++;
        },
      ),
      { seed: 0x5_9e11, numRuns: 120 },
    );
    // The property was exercised both ways: RDFC proofs held through real changes of spelling, JCS proofs failed on them.
    expect(rdfcRespelled).toBeGreaterThan(20);
    expect(jcsFailed).toBeGreaterThan(10);
  });

  it('gives the same report whatever the key order, whitespace and string escapes of the JSON text sent to POST /verify (both families)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ base: fc.constantFrom(...bases.map((b) => b.name)), seed: fc.integer(), escapeRate: fc.constantFrom(0, 0.05, 0.3, 1) }),
        async ({ base: name, seed, escapeRate }) => {
          const base = baseNamed(name);
          const rnd = prng(seed);
          const text = serialise(reorderKeys(base.doc, rnd), rnd, escapeRate);
          const res = await request(t.app).post('/verify').set('content-type', 'application/json').set('accept', 'application/json').send(text).expect(200);
          expect(outcome(res.body as VerificationReport)).toEqual(outcome(base.baseline));
        },
      ),
      { seed: 0x77_5ace, numRuns: 40 },
    );
  });
});

describe('validity and status as signed (property)', () => {
  it('reports validity_period and status from the signed dates and the signed status bit, however they are spelled', async () => {
    const seen = { hiddenExpiry: 0, hiddenRevocation: 0, verified: 0 };
    await fc.assert(
      fc.asyncProperty(statedArb, async (spec) => {
        const signing = SIGNINGS[spec.signing]!;
        const issuer = issuers.get(signing.curve)!;
        const doc = await sign(statedCredential(spec, issuer), signing);
        const report = await verify(doc);

        const instants = (dates: StatedCredential['validFrom']) => dates.map((d) => NOW.getTime() + d.offset * 1000);
        const from = Math.max(...instants(spec.validFrom));
        const until = Math.min(...instants(spec.validUntil));
        const validity = from > NOW.getTime() ? 'not_yet_valid' : until < NOW.getTime() ? 'expired' : 'valid';
        const revoked = spec.status ? isRevoked(spec.status.index) : undefined;

        // Whatever the spelling, the proof is ours and intact, and the key is the issuer's.
        expect(check(report, 'contexts')).toMatchObject({ status: 'passed' });
        expect(check(report, 'proof')).toMatchObject({ status: 'passed', code: 'signature_valid' });
        expect(check(report, 'issuer_key')).toMatchObject({ status: 'passed', code: 'key_bound' });
        expect(check(report, 'validity_period')).toMatchObject({ status: validity === 'valid' ? 'passed' : 'failed', code: validity });
        expect(report.validity).toEqual({
          ...(spec.validFrom.length ? { validFrom: dateString(from) } : {}),
          ...(spec.validUntil.length ? { validUntil: dateString(until) } : {}),
        });
        if (revoked === undefined) expect(check(report, 'status')).toMatchObject({ status: 'skipped', code: 'no_status' });
        else {
          expect(check(report, 'status')).toMatchObject(revoked ? { status: 'failed', code: 'revoked' } : { status: 'passed', code: 'not_revoked' });
          expect(report.status?.revoked).toBe(revoked);
        }
        if (validity !== 'valid' || revoked) expect(report.verdict).toBe('failed');
        if (report.verified) seen.verified++;

        // What a reader of the plain JSON keys `validUntil` / `credentialStatus` would have missed.
        const plainUntil = spec.validUntil.filter((d) => d.spelling === 'term' || d.spelling === 'array');
        if (validity === 'expired' && plainUntil.every((d) => d.offset > 0)) seen.hiddenExpiry++;
        if (revoked && spec.status && !['term', 'array'].includes(spec.status.key)) seen.hiddenRevocation++;
      }),
      { seed: 0x2_5_0601, numRuns: 80 },
    );
    expect(seen.hiddenExpiry).toBeGreaterThan(3);
    expect(seen.hiddenRevocation).toBeGreaterThan(3);
    expect(seen.verified).toBeGreaterThan(3);
  });

  it('never verifies a credential whose signed validUntil is in the past under its full IRI, or whose signed status under its full IRI is revoked', async () => {
    const issuer = issuers.get('Ed25519')!;
    const signing = SIGNINGS[0]!;
    const { validUntil: _until, credentialStatus: _status, ...rest } = unsignedBase('ob', issuer, 901);

    // A plain-JSON reader sees no `validUntil` here, and would call it valid.
    const expired = await sign({ ...rest, [`${CRED}validUntil`]: { '@value': '2025-05-31T23:59:59Z', '@type': `${XSD}dateTime` } }, signing);
    expect(expired.validUntil).toBeUndefined();
    const expiredReport = await verify(expired);
    expect(check(expiredReport, 'proof')).toMatchObject({ status: 'passed', code: 'signature_valid' });
    expect(check(expiredReport, 'validity_period')).toMatchObject({ status: 'failed', code: 'expired' });
    expect(expiredReport.validity?.validUntil).toBe('2025-05-31T23:59:59Z');
    expect(expiredReport.verdict).toBe('failed');

    // A plain-JSON reader sees no `credentialStatus` here, and would call it not revoked.
    const revokedIndex = 3 * 7 + 1;
    expect(isRevoked(revokedIndex)).toBe(true);
    const revoked = await sign({ ...rest, [`${CRED}credentialStatus`]: statusEntrySpelled(issuer, revokedIndex, 'iris') }, signing);
    expect(revoked.credentialStatus).toBeUndefined();
    const revokedReport = await verify(revoked);
    expect(check(revokedReport, 'proof')).toMatchObject({ status: 'passed', code: 'signature_valid' });
    expect(check(revokedReport, 'status')).toMatchObject({ status: 'failed', code: 'revoked' });
    expect(revokedReport.verdict).toBe('failed');
  });
});
