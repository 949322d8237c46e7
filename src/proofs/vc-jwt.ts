import type { KeyObject } from 'node:crypto';
import { SignJWT, base64url, compactVerify, decodeProtectedHeader, importJWK, type CryptoKey, type JWK, type ProtectedHeaderParameters } from 'jose';
import type { Credential, ProofFormat, Secured } from './proof-format.js';

/**
 * VC-JWT (OB 3.0 §8.2): the JWS payload is the credential itself plus the registered claims the
 * spec maps (§8.2.4): `iss` = issuer.id, `jti` = id, `nbf` = validFrom, `sub` = credentialSubject.id,
 * `exp` = validUntil. The JOSE header carries only `alg`, `kid` and `typ` (§8.2.3 allows no others).
 */
export const JWT_ALG = 'RS256';

export interface VcJwtOptions {
  privateKey: CryptoKey | KeyObject;
  /** A URL that dereferences to the public JWK (§8.2.3). */
  kid: string;
}

const seconds = (dateTime: string): number => Math.floor(Date.parse(dateTime) / 1000);

export function jwtClaims(credential: Credential): Record<string, string | number> {
  const issuer = credential.issuer as string | { id: string };
  const subject = credential.credentialSubject as { id?: string };
  return {
    iss: typeof issuer === 'string' ? issuer : issuer.id,
    jti: credential.id as string,
    nbf: seconds(credential.validFrom as string),
    // OB 3.0 §8.2.4 maps `sub` to credentialSubject.id; a subject identified only by a hashed
    // IdentityObject has no id, and then no `sub` is claimed rather than inventing one.
    ...(subject.id ? { sub: subject.id } : {}),
    ...(typeof credential.validUntil === 'string' ? { exp: seconds(credential.validUntil) } : {}),
  };
}

export function createVcJwtFormat({ privateKey, kid }: VcJwtOptions): ProofFormat {
  return {
    format: 'vc-jwt',
    async secure(credential: Credential): Promise<Secured> {
      const jwt = await new SignJWT({ ...credential, ...jwtClaims(credential) })
        .setProtectedHeader({ alg: JWT_ALG, kid, typ: 'JWT' })
        .sign(privateKey);
      return { format: 'vc-jwt', jwt };
    },
  };
}

/** Algorithms a VC-JWT may use here: RS256 (OB 3.0's minimum), ES256 and EdDSA. Never `none` or an HMAC. */
export const JWT_ALGORITHMS = ['RS256', 'ES256', 'ES384', 'EdDSA'] as const;
const REGISTERED_CLAIMS = ['iss', 'jti', 'nbf', 'exp', 'sub', 'iat', 'aud'];

export type DecodedVcJwt =
  | { ok: true; header: ProtectedHeaderParameters; payload: Record<string, unknown>; credential: Credential }
  | { ok: false; reason: string };

/** Reads a compact JWS without trusting it: the credential is the `vc` claim (VCDM 1.1) or the payload (VCDM 2.0, OB 3.0 §8.2.4). */
export function decodeVcJwt(jwt: string): DecodedVcJwt {
  let header: ProtectedHeaderParameters;
  let payload: unknown;
  try {
    header = decodeProtectedHeader(jwt);
    payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(base64url.decode(jwt.split('.')[1] ?? '')));
  } catch {
    return { ok: false, reason: 'the JWT header or payload is not valid base64url JSON' };
  }
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return { ok: false, reason: 'the JWT payload is not a JSON object' };
  const claims = payload as Record<string, unknown>;
  const credential =
    claims.vc && typeof claims.vc === 'object' && !Array.isArray(claims.vc)
      ? (claims.vc as Credential)
      : Object.fromEntries(Object.entries(claims).filter(([k]) => !REGISTERED_CLAIMS.includes(k)));
  return { ok: true, header, payload: claims, credential };
}

/** RFC 7515 §5.2 with the one algorithm the header names, which must be an accepted one. */
export async function verifyVcJwtSignature(jwt: string, jwk: JWK, alg: string): Promise<boolean> {
  if (!(JWT_ALGORITHMS as readonly string[]).includes(alg)) return false;
  try {
    await compactVerify(jwt, await importJWK(jwk, alg), { algorithms: [alg] });
    return true;
  } catch {
    return false;
  }
}

/** OB 3.0 §8.2.5 step 5: the registered claims must agree with the credential they carry. */
export function jwtClaimMismatch(payload: Record<string, unknown>, credential: Credential, issuer: string | undefined): string | undefined {
  if (payload.iss !== undefined && payload.iss !== issuer) return `the JWT "iss" (${String(payload.iss)}) is not the credential's issuer (${String(issuer)})`;
  if (payload.jti !== undefined && credential.id !== undefined && payload.jti !== credential.id) return 'the JWT "jti" is not the credential id';
  const subject = credential.credentialSubject as { id?: unknown } | undefined;
  if (payload.sub !== undefined && subject?.id !== undefined && payload.sub !== subject.id) return 'the JWT "sub" is not the credential subject id';
  for (const [claim, field] of [['nbf', 'validFrom'], ['nbf', 'issuanceDate'], ['exp', 'validUntil'], ['exp', 'expirationDate']] as const) {
    const value = payload[claim];
    const date = credential[field];
    if (value !== undefined && typeof value !== 'number') return `the JWT "${claim}" is not a number`;
    if (typeof value === 'number' && typeof date === 'string' && Math.abs(value - Date.parse(date) / 1000) > 1) return `the JWT "${claim}" does not match ${field}`;
  }
  return undefined;
}

/** The JWT's own `nbf`/`exp` as dates, so the validity check can read the strictest of both. */
export function jwtValidity(payload: Record<string, unknown>): { validFrom?: string; validUntil?: string } {
  const at = (s: unknown) => (typeof s === 'number' && Number.isFinite(s) ? new Date(s * 1000).toISOString() : undefined);
  const validFrom = at(payload.nbf);
  const validUntil = at(payload.exp);
  return { ...(validFrom ? { validFrom } : {}), ...(validUntil ? { validUntil } : {}) };
}
