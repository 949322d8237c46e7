import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import type { GuardedFetcher } from '../net/guarded-fetch.js';
import { issuerIdOf } from './credential-fields.js';
import type { KeyResolver, ResolvedMethod } from './key-resolver.js';

/**
 * VC-JWT (OB 3.0 §8.2.5 "Verify a Credential"): find the key by `kid` (a DID URL or a URL that
 * answers with a JWK) or `jwk`, check the JWS (RFC 7515 §5.2), then read the credential: the `vc`
 * claim for VCDM 1.1, else the payload itself; and check the claims against it.
 */
export const JWT_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'] as const;
const REGISTERED_CLAIMS = ['iss', 'jti', 'nbf', 'exp', 'sub', 'iat', 'aud'];

export type JwtOutcome =
  | { ok: true; credential: Record<string, unknown>; keyNote: KeyBinding; alg: string }
  | { ok: false; reason: string; credential?: Record<string, unknown>; keyNote?: KeyBinding };

/** What is known of the key's tie to the issuer. */
export interface KeyBinding {
  controller: string | undefined;
  confirmed: boolean;
  description: string;
}

export interface JwtDeps {
  keys: KeyResolver;
  fetcher: GuardedFetcher;
  /** Our own JWKs by `kid`, resolved without HTTP. */
  localJwks: JWK[];
}

const b64urlDecode = (s: string): unknown => JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));

async function methodToJwk(resolved: ResolvedMethod): Promise<JWK> {
  const m = resolved.method;
  if (m.publicKeyJwk && typeof m.publicKeyJwk === 'object') return m.publicKeyJwk as JWK;
  if (typeof m.publicKeyMultibase === 'string') {
    const keyPair = await Ed25519Multikey.from({ type: 'Multikey', publicKeyMultibase: m.publicKeyMultibase });
    return (await Ed25519Multikey.toJwk({ keyPair })) as JWK;
  }
  throw new Error(`the key ${m.id} has no publicKeyJwk or Ed25519 publicKeyMultibase`);
}

export async function verifyJwt(jwt: string, deps: JwtDeps): Promise<JwtOutcome> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  let payload: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(jwt);
    payload = b64urlDecode(jwt.split('.')[1] ?? '') as Record<string, unknown>;
  } catch {
    return { ok: false, reason: 'the JWT header or payload is not valid base64url JSON' };
  }
  if (!payload || typeof payload !== 'object') return { ok: false, reason: 'the JWT payload is not a JSON object' };
  // VCDM 1.1 wraps the credential in `vc`; VCDM 2.0 (OB 3.0 §8.2.4) uses the payload itself.
  const credential =
    payload.vc && typeof payload.vc === 'object'
      ? (payload.vc as Record<string, unknown>)
      : Object.fromEntries(Object.entries(payload).filter(([k]) => !REGISTERED_CLAIMS.includes(k)));

  const alg = header.alg ?? '';
  if (!(JWT_ALGORITHMS as readonly string[]).includes(alg)) {
    return { ok: false, credential, reason: `the JWT algorithm "${alg}" is not accepted (accepted: ${JWT_ALGORITHMS.join(', ')})` };
  }

  let jwk: JWK;
  let keyNote: KeyBinding;
  const issuer = issuerIdOf(credential);
  try {
    if (header.jwk) {
      if ('d' in header.jwk) return { ok: false, credential, reason: 'the JWT header carries a private key' };
      jwk = header.jwk as JWK;
      keyNote = await bindEmbeddedJwk(jwk, issuer, deps.fetcher);
    } else if (typeof header.kid === 'string' && header.kid) {
      ({ jwk, keyNote } = await keyFromKid(header.kid, issuer, deps));
    } else {
      return { ok: false, credential, reason: 'the JWT header names no key (neither "kid" nor "jwk")' };
    }
  } catch (e) {
    return { ok: false, credential, reason: (e as Error).message };
  }

  try {
    await compactVerify(jwt, await importJWK(jwk, alg), { algorithms: [alg] });
  } catch {
    return { ok: false, credential, keyNote, reason: 'the JWT signature does not match: it was changed after signing, or signed with another key' };
  }

  const mismatch = claimMismatch(payload, credential);
  if (mismatch) return { ok: false, credential, keyNote, reason: mismatch };
  return { ok: true, credential, keyNote, alg };
}

/** OB 3.0 §8.2.5 step 5: the registered claims must agree with the credential. */
function claimMismatch(payload: Record<string, unknown>, credential: Record<string, unknown>): string | undefined {
  const issuer = issuerIdOf(credential);
  if (payload.iss !== undefined && payload.iss !== issuer) return `the JWT "iss" (${String(payload.iss)}) is not the credential's issuer (${String(issuer)})`;
  if (payload.jti !== undefined && credential.id !== undefined && payload.jti !== credential.id) return `the JWT "jti" is not the credential id`;
  const subject = credential.credentialSubject as { id?: unknown } | undefined;
  if (payload.sub !== undefined && subject?.id !== undefined && payload.sub !== subject.id) return 'the JWT "sub" is not the credential subject id';
  const validFrom = (credential.validFrom ?? credential.issuanceDate) as string | undefined;
  if (typeof payload.nbf === 'number' && validFrom && Math.abs(payload.nbf - Date.parse(validFrom) / 1000) > 1) return 'the JWT "nbf" does not match validFrom';
  const validUntil = (credential.validUntil ?? credential.expirationDate) as string | undefined;
  if (typeof payload.exp === 'number' && validUntil && Math.abs(payload.exp - Date.parse(validUntil) / 1000) > 1) return 'the JWT "exp" does not match validUntil';
  return undefined;
}

async function keyFromKid(kid: string, issuer: string | undefined, deps: JwtDeps): Promise<{ jwk: JWK; keyNote: KeyBinding }> {
  const local = deps.localJwks.find((k) => k.kid === kid);
  if (local) {
    return { jwk: local, keyNote: { controller: issuer, confirmed: true, description: 'the key is published by this service for the issuer' } };
  }
  if (kid.startsWith('did:')) {
    const resolved = await deps.keys.resolve(kid);
    return {
      jwk: await methodToJwk(resolved),
      keyNote: { controller: resolved.controller, confirmed: resolved.confirmed, description: `the key ${kid} is in the DID document of ${String(resolved.controller)}` },
    };
  }
  if (/^https?:\/\//.test(kid)) {
    let doc: Record<string, unknown>;
    try {
      doc = (await deps.fetcher.getJson(kid, { accept: 'application/jwk+json, application/json' })) as Record<string, unknown>;
    } catch (e) {
      throw new Error(`the key named by "kid" (${kid}) could not be fetched (${(e as Error).message})`);
    }
    const jwk = (Array.isArray(doc.keys) ? (doc.keys as JWK[]).find((k) => k.kid === kid) : doc) as JWK | undefined;
    if (!jwk || typeof jwk.kty !== 'string') throw new Error(`${kid} does not answer with a JWK`);
    // The key is the issuer's when it is served from the issuer's own web origin.
    const sameOrigin = issuer !== undefined && originOf(issuer) === new URL(kid).origin;
    return {
      jwk,
      keyNote: {
        controller: sameOrigin ? issuer : new URL(kid).origin,
        confirmed: sameOrigin,
        description: sameOrigin ? `the key is published at the issuer's site (${kid})` : `the key is published at ${new URL(kid).origin}, which is not the issuer's site`,
      },
    };
  }
  throw new Error(`the JWT "kid" (${kid}) is neither a DID URL nor an https URL`);
}

/** did:web:host[:path] and https URLs have a web origin; other DIDs do not. */
function originOf(id: string): string | undefined {
  if (/^https?:\/\//.test(id)) return new URL(id).origin;
  const m = /^did:web:([^:]+)/.exec(id);
  return m ? `https://${decodeURIComponent(m[1]!)}` : undefined;
}

/** A `jwk` header proves nothing by itself: it is the issuer's only if the issuer's JWKS lists it. */
async function bindEmbeddedJwk(jwk: JWK, issuer: string | undefined, fetcher: GuardedFetcher): Promise<KeyBinding> {
  const origin = issuer ? originOf(issuer) : undefined;
  if (!origin) return { controller: issuer, confirmed: false, description: 'the key is embedded in the JWT and the issuer publishes no key set to compare it with' };
  try {
    const set = (await fetcher.getJson(`${origin}/.well-known/jwks.json`, { accept: 'application/jwk-set+json, application/json' })) as { keys?: JWK[] };
    const listed = (set.keys ?? []).some((k) => k.kty === jwk.kty && k.n === jwk.n && k.x === jwk.x && k.y === jwk.y);
    return listed
      ? { controller: issuer, confirmed: true, description: `the embedded key is in the issuer's key set (${origin}/.well-known/jwks.json)` }
      : { controller: issuer, confirmed: false, description: `the embedded key is not in the issuer's key set (${origin}/.well-known/jwks.json)` };
  } catch (e) {
    return { controller: issuer, confirmed: false, description: `the key is embedded in the JWT and the issuer's key set could not be fetched (${(e as Error).message})` };
  }
}
