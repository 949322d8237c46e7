import { SignJWT, type CryptoKey } from 'jose';
import type { Credential, ProofFormat, Secured } from './proof-format.js';

/**
 * VC-JWT (OB 3.0 §8.2): the JWS payload is the credential itself plus the registered claims the
 * spec maps (§8.2.4): `iss` = issuer.id, `jti` = id, `nbf` = validFrom, `sub` = credentialSubject.id,
 * `exp` = validUntil. The JOSE header carries only `alg`, `kid` and `typ` (§8.2.3 allows no others).
 */
export const JWT_ALG = 'RS256';

export interface VcJwtOptions {
  privateKey: CryptoKey;
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
