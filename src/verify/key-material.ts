import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { base64url, calculateJwkThumbprint, type JWK } from 'jose';
import { didWebDocumentUrl } from '../organisations/did.js';
import type { DocumentResolver } from '../jsonld/document-loader.js';
import { isRemoteFetchError, type GuardedFetcher } from '../net/guarded-fetch.js';

/**
 * A key counts as the issuer's only when the issuer's own key material lists it (VC Data Integrity
 * §4.6 "Retrieve Verification Method" and Controlled Identifiers §3: the controller document must
 * name the method under the verification relationship, here `assertionMethod`): its DID document
 * (did:key and did:jwk, where the identifier is the key; did:web), or, for an https issuer, its
 * controller document and its JWK Set (OB 3.0 impl guide: `/.well-known/jwks.json` of the issuer's
 * authority). A `jwk` JOSE header or a key written into a URL fragment binds nothing by itself: it
 * only lets the signature be checked while the binding is reported as not bound or unreachable.
 */
export interface KeyMethod {
  id: string;
  type: string;
  controller?: string;
  publicKeyMultibase?: string;
  publicKeyJwk?: JWK;
}

/** The issuer's key material, or why there is none. */
export type IssuerKeys =
  | { status: 'found'; source: string; methods: KeyMethod[]; assertion: KeyMethod[] }
  | { status: 'unreachable'; reason: string }
  | { status: 'invalid'; reason: string };

/** How a signing key relates to the issuer; `method` is the key to check the signature with, when one is known. */
export type Binding =
  | { status: 'bound'; method: KeyMethod; description: string }
  | { status: 'not_bound' | 'unreachable'; method?: KeyMethod; description: string };

export interface KeyMaterialDeps {
  /** Our own DIDs, resolved without network. */
  local: DocumentResolver[];
  /** Our own JWKs by `kid` URL, read without HTTP. */
  localJwk: (kid: string) => Promise<JWK | undefined>;
  fetcher: GuardedFetcher;
  /** Fetch did:web documents over plain http (REMOTE_FETCH_ALLOW_HTTP, for local testing). */
  didWebOverHttp?: boolean;
}

const MULTIKEY_CONTEXT = 'https://w3id.org/security/multikey/v1';
/** Multibase prefixes of Multikey public keys: Ed25519 (0xed01), P-256 (0x1200), P-384 (0x1201). */
const MULTIKEY = /^z(6Mk|Dn|82)[1-9A-HJ-NP-Za-km-z]{40,120}$/;
/** How many `assertionMethod` references an issuer document may make us fetch. */
const MAX_KEY_REFERENCES = 4;

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const baseOf = (url: string): string => url.split('#')[0] ?? url;
const absolute = (id: string, base: string): string => (id.startsWith('#') ? `${base}${id}` : id);

function toMethod(value: unknown, base: string): KeyMethod | undefined {
  if (!isObject(value) || typeof value.id !== 'string' || typeof value.type !== 'string') return undefined;
  return {
    id: absolute(value.id, base),
    type: value.type,
    controller: typeof value.controller === 'string' ? absolute(value.controller, base) : base,
    ...(typeof value.publicKeyMultibase === 'string' ? { publicKeyMultibase: value.publicKeyMultibase } : {}),
    ...(isObject(value.publicKeyJwk) ? { publicKeyJwk: value.publicKeyJwk as JWK } : {}),
  };
}

/** Keys whose identifier carries the key itself: did:key, did:jwk, and `<controller>#<Multikey>`. */
export function selfDescribedMethod(url: string): KeyMethod | undefined {
  const [base = '', fragment] = url.split('#');
  if (base.startsWith('did:key:')) {
    const multibase = base.slice('did:key:'.length);
    if (!MULTIKEY.test(multibase) || (fragment !== undefined && fragment !== multibase)) return undefined;
    return { id: `${base}#${multibase}`, type: 'Multikey', controller: base, publicKeyMultibase: multibase };
  }
  if (base.startsWith('did:jwk:')) {
    try {
      const jwk = JSON.parse(new TextDecoder().decode(base64url.decode(base.slice('did:jwk:'.length)))) as JWK;
      if (!isObject(jwk) || typeof jwk.kty !== 'string' || 'd' in jwk) return undefined;
      if (fragment !== undefined && fragment !== '0') return undefined;
      return { id: `${base}#0`, type: 'JsonWebKey', controller: base, publicKeyJwk: jwk };
    } catch {
      return undefined;
    }
  }
  if (fragment && MULTIKEY.test(fragment)) return { id: url, type: 'Multikey', controller: base, publicKeyMultibase: fragment };
  return undefined;
}

/** The key as a JWK (for VC-JWT); Multikeys are converted by their own libraries. */
export async function jwkOf(method: KeyMethod): Promise<JWK> {
  if (method.publicKeyJwk) return method.publicKeyJwk;
  const multibase = method.publicKeyMultibase ?? '';
  if (multibase.startsWith('z6Mk')) return (await Ed25519Multikey.toJwk({ keyPair: await Ed25519Multikey.from({ type: 'Multikey', publicKeyMultibase: multibase }) })) as JWK;
  if (MULTIKEY.test(multibase)) return (await EcdsaMultikey.toJwk({ keyPair: await EcdsaMultikey.from({ type: 'Multikey', publicKeyMultibase: multibase }) })) as JWK;
  throw new Error(`the key ${method.id} has neither a publicKeyJwk nor a Multikey publicKeyMultibase`);
}

/** The key as a verification method document for the Data Integrity suites (which read Multikeys). */
export async function methodDocument(method: KeyMethod): Promise<Record<string, unknown>> {
  if (method.publicKeyMultibase) {
    const context = method.type === 'Ed25519VerificationKey2020' ? 'https://w3id.org/security/suites/ed25519-2020/v1' : MULTIKEY_CONTEXT;
    return { '@context': context, id: method.id, type: method.type, controller: method.controller, publicKeyMultibase: method.publicKeyMultibase };
  }
  const jwk = method.publicKeyJwk;
  if (jwk?.kty === 'OKP' && jwk.crv === 'Ed25519') {
    const key = await Ed25519Multikey.from({ type: 'JsonWebKey', id: method.id, controller: method.controller, publicKeyJwk: jwk });
    return { '@context': MULTIKEY_CONTEXT, id: method.id, type: 'Multikey', controller: method.controller, publicKeyMultibase: key.publicKeyMultibase };
  }
  if (jwk?.kty === 'EC') {
    const key = await EcdsaMultikey.fromJwk({ jwk: jwk as Record<string, unknown>, id: method.id, ...(method.controller ? { controller: method.controller } : {}) });
    return { '@context': MULTIKEY_CONTEXT, id: method.id, type: 'Multikey', controller: method.controller, publicKeyMultibase: key.publicKeyMultibase };
  }
  throw new Error(`the key ${method.id} is not a key type Data Integrity proofs use`);
}

const thumbprint = async (jwk: JWK): Promise<string | undefined> => {
  try {
    return await calculateJwkThumbprint(jwk);
  } catch {
    return undefined;
  }
};

async function sameKey(a: KeyMethod, b: KeyMethod): Promise<boolean> {
  if (a.publicKeyMultibase && a.publicKeyMultibase === b.publicKeyMultibase) return true;
  try {
    const [ta, tb] = await Promise.all([jwkOf(a).then(thumbprint), jwkOf(b).then(thumbprint)]);
    return ta !== undefined && ta === tb;
  } catch {
    return false;
  }
}

/** One verification's view of key material: lookups are remembered for the run (the fetcher caches across runs). */
export function createKeyMaterial(deps: KeyMaterialDeps) {
  const memo = new Map<string, Promise<IssuerKeys>>();

  const fetchJson = async (url: string, accept: string): Promise<{ ok: true; value: unknown } | { ok: false; unreachable: boolean; reason: string }> => {
    try {
      return { ok: true, value: await deps.fetcher.getJson(url, { accept }) };
    } catch (e) {
      // An answer that is not key material (a 404, HTML, a wrong document) is an answer; a host that
      // cannot be reached, or that we may not reach, leaves the question open.
      const answered = isRemoteFetchError(e) && (e.code === 'invalid_json' || (e.code === 'http_status' && (e.status === 404 || e.status === 410)));
      return { ok: false, unreachable: !answered, reason: (e as Error).message };
    }
  };

  async function fromDocument(doc: Record<string, unknown>, controller: string, source: string): Promise<IssuerKeys> {
    if (doc.id !== controller) return { status: 'invalid', reason: `${source} is the document of "${String(doc.id)}", not of ${controller}` };
    const methods = asArray(doc.verificationMethod).map((m) => toMethod(m, controller)).filter((m): m is KeyMethod => !!m);
    const assertion: KeyMethod[] = [];
    let references = 0;
    for (const entry of asArray(doc.assertionMethod)) {
      const embedded = toMethod(entry, controller);
      if (embedded) {
        assertion.push(embedded);
        continue;
      }
      if (typeof entry !== 'string') continue;
      const id = absolute(entry, controller);
      const known = methods.find((m) => m.id === id) ?? selfDescribedMethod(id);
      if (known) {
        assertion.push(known);
        continue;
      }
      // A reference to a key document elsewhere: it must name this controller too.
      if (/^https?:\/\//.test(id) && references++ < MAX_KEY_REFERENCES) {
        const got = await fetchJson(id, 'application/ld+json, application/json');
        const method = got.ok ? toMethod(got.value, controller) : undefined;
        if (method && method.id === id && method.controller === controller) assertion.push(method);
      }
    }
    return { status: 'found', source, methods: [...methods, ...assertion], assertion };
  }

  async function load(issuer: string): Promise<IssuerKeys> {
    for (const resolve of deps.local) {
      const doc = await resolve(issuer);
      if (isObject(doc)) return fromDocument(doc, issuer, 'this service’s DID document');
    }
    if (issuer.startsWith('did:key:') || issuer.startsWith('did:jwk:')) {
      const method = selfDescribedMethod(issuer);
      if (!method) return { status: 'invalid', reason: `${issuer} is not a valid ${issuer.slice(0, 7)} identifier` };
      return { status: 'found', source: `the ${issuer.slice(0, 7)} identifier itself`, methods: [method], assertion: [method] };
    }
    if (issuer.startsWith('did:web:')) {
      let url: string;
      try {
        url = didWebDocumentUrl(issuer);
      } catch (e) {
        return { status: 'invalid', reason: (e as Error).message };
      }
      if (deps.didWebOverHttp) url = url.replace(/^https:/, 'http:');
      const got = await fetchJson(url, 'application/did+json, application/did+ld+json, application/json');
      if (!got.ok) return got.unreachable ? { status: 'unreachable', reason: got.reason } : { status: 'invalid', reason: got.reason };
      if (!isObject(got.value)) return { status: 'invalid', reason: `${url} is not a DID document` };
      return fromDocument(got.value, issuer, `the DID document at ${url}`);
    }
    if (/^https?:\/\//.test(issuer)) {
      const jwksUrl = `${new URL(issuer).origin}/.well-known/jwks.json`;
      const [profile, jwks] = await Promise.all([
        fetchJson(issuer, 'application/ld+json, application/json'),
        fetchJson(jwksUrl, 'application/jwk-set+json, application/json'),
      ]);
      const fromProfile = profile.ok && isObject(profile.value) ? await fromDocument(profile.value, issuer, `the issuer's document at ${issuer}`) : undefined;
      const keys = jwks.ok && isObject(jwks.value) ? asArray(jwks.value.keys).filter(isObject) : [];
      const jwkMethods: KeyMethod[] = await Promise.all(
        keys
          .filter((k) => typeof k.kty === 'string' && !('d' in k))
          .map(async (k) => ({ id: typeof k.kid === 'string' ? k.kid : `${jwksUrl}#${(await thumbprint(k as JWK)) ?? ''}`, type: 'JsonWebKey', controller: issuer, publicKeyJwk: k as JWK })),
      );
      const found = fromProfile?.status === 'found' ? fromProfile : undefined;
      if (found || jwkMethods.length) {
        return {
          status: 'found',
          source: [found ? `the issuer's document at ${issuer}` : '', jwkMethods.length ? `its JWK Set at ${jwksUrl}` : ''].filter(Boolean).join(' and '),
          methods: [...(found?.methods ?? []), ...jwkMethods],
          assertion: [...(found?.assertion ?? []), ...jwkMethods],
        };
      }
      if ((!profile.ok && profile.unreachable) || (!jwks.ok && jwks.unreachable)) {
        return { status: 'unreachable', reason: !profile.ok ? profile.reason : !jwks.ok ? jwks.reason : 'no answer' };
      }
      return { status: 'invalid', reason: `neither ${issuer} nor ${jwksUrl} lists any key` };
    }
    return { status: 'unreachable', reason: `this verifier does not resolve identifiers like ${issuer.slice(0, 40)}` };
  }

  const forIssuer = (issuer: string): Promise<IssuerKeys> => {
    let pending = memo.get(issuer);
    if (!pending) {
      pending = load(issuer);
      memo.set(issuer, pending);
    }
    return pending;
  };

  /** Any published form of a method, to check a signature even when the key is not the issuer's. */
  async function anyMethod(url: string): Promise<KeyMethod | undefined> {
    const self = selfDescribedMethod(url);
    if (self) return self;
    const local = await deps.localJwk(url);
    if (local) return { id: url, type: 'JsonWebKey', publicKeyJwk: local };
    const owner = await forIssuer(baseOf(url));
    if (owner.status === 'found') {
      const method = owner.methods.find((m) => m.id === url);
      if (method) return method;
    }
    if (/^https?:\/\//.test(url)) {
      // A bare JWK or key document at the URL itself (OB 3.0 §8.2.3: a `kid` dereferences to a JWK).
      const got = await fetchJson(url, 'application/jwk+json, application/ld+json, application/json');
      if (got.ok && isObject(got.value)) {
        if (typeof got.value.kty === 'string' && !('d' in got.value)) return { id: url, type: 'JsonWebKey', publicKeyJwk: got.value as JWK };
        const method = toMethod(got.value, baseOf(url));
        if (method?.id === url) return method;
      }
    }
    return undefined;
  }

  /** The binding of the verification method a Data Integrity proof or a VC-JWT `kid` names. */
  async function bindMethod(url: string, issuer: string): Promise<Binding> {
    const keys = await forIssuer(issuer);
    if (keys.status === 'found') {
      const listed = keys.assertion.find((m) => m.id === url);
      if (listed) return { status: 'bound', method: listed, description: `${keys.source} lists ${url} under assertionMethod` };
      const method = await anyMethod(url);
      // The same key published under another name (a JWT `kid` URL beside a DID document entry) is still listed.
      if (method) {
        for (const candidate of keys.assertion) {
          if (await sameKey(candidate, method)) return { status: 'bound', method: candidate, description: `${keys.source} lists this key (as ${candidate.id}) under assertionMethod` };
        }
      }
      return { status: 'not_bound', ...(method ? { method } : {}), description: `${keys.source} does not list the key ${url}` };
    }
    const method = await anyMethod(url);
    // A key that names another controller is not the issuer's, whatever the issuer's host would say
    // (Controlled Identifiers §3.3: the method's controller must be the document that lists it).
    if (method?.controller !== undefined && method.controller !== issuer) {
      return { status: 'not_bound', method, description: `the key ${url} belongs to ${method.controller}, not to the issuer ${issuer}` };
    }
    if (keys.status === 'invalid') return { status: 'not_bound', ...(method ? { method } : {}), description: `the issuer ${issuer} publishes no usable key material (${keys.reason})` };
    return { status: 'unreachable', ...(method ? { method } : {}), description: `the issuer's key material could not be fetched (${keys.reason})` };
  }

  /** The binding of a key carried in a JOSE `jwk` header: only the issuer's key material can vouch for it. */
  async function bindJwk(jwk: JWK, issuer: string): Promise<Binding> {
    const method: KeyMethod = { id: 'the JWT header key', type: 'JsonWebKey', publicKeyJwk: jwk };
    const keys = await forIssuer(issuer);
    if (keys.status === 'found') {
      for (const candidate of keys.assertion) {
        if (await sameKey(candidate, method)) return { status: 'bound', method: candidate, description: `${keys.source} lists the key of the JWT header (as ${candidate.id})` };
      }
      return { status: 'not_bound', method, description: `the JWT carries its own key, and ${keys.source} does not list it` };
    }
    if (keys.status === 'invalid') return { status: 'not_bound', method, description: `the JWT carries its own key, and the issuer publishes no usable key material (${keys.reason})` };
    return { status: 'unreachable', method, description: `the JWT carries its own key, and the issuer's key material could not be fetched (${keys.reason})` };
  }

  return { forIssuer, bindMethod, bindJwk, anyMethod };
}

export type KeyMaterial = ReturnType<typeof createKeyMaterial>;
