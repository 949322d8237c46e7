import type { KeyObject } from 'node:crypto';
import { ed25519Signer } from '../keys/signers.js';
import { createDocumentLoader } from '../jsonld/document-loader.js';
import { signDataIntegrity } from '../proofs/data-integrity.js';
import type { Credential } from '../proofs/proof-format.js';
import { createVcJwtFormat } from '../proofs/vc-jwt.js';

/**
 * The `secure` step of issuance (OB 3.0 §8): the embedded Data Integrity proof (`eddsa-rdfc-2022`),
 * then the VC-JWT (RS256) over the credential that carries it. Keys arrive imported (KeyObjects),
 * so whoever runs the step, the service's own thread or a signing worker, imports them once.
 */
export interface SigningKeys {
  ed25519: KeyObject;
  /** The proof's verificationMethod: the issuer's DID URL of the Ed25519 key. */
  verificationMethod: string;
  rsa: KeyObject;
  /** The VC-JWT `kid`: a URL that answers with the public JWK. */
  jwtKid: string;
}

export interface SecuredCredential {
  credential: Credential;
  /** The signed credential as JSON text: what is stored and served. */
  document: string;
  jwt: string;
}

/** What a signing worker hands back: text only (signing-worker.ts says why). */
export type SignedText = Omit<SecuredCredential, 'credential'>;

/** Secures a batch of unsigned credentials; the proofs' `created` is the issuance time. */
export type SecureBatch = (credentials: Credential[], created: Date) => Promise<SecuredCredential[]>;

export interface SecureStep {
  secure: SecureBatch;
  close(): Promise<void>;
}

export function createSecureBatch(keys: SigningKeys): SecureBatch {
  const signer = ed25519Signer(keys.ed25519, keys.verificationMethod);
  // Credentials name bundled contexts only; signing never resolves anything else.
  const documentLoader = createDocumentLoader();
  const vcJwt = createVcJwtFormat({ privateKey: keys.rsa, kid: keys.jwtKid });
  return async (credentials, created) => {
    const out: SecuredCredential[] = [];
    for (const unsigned of credentials) {
      const credential = await signDataIntegrity(unsigned, { signer, documentLoader, created });
      const jws = await vcJwt.secure(credential);
      if (jws.format !== 'vc-jwt') throw new Error('VC-JWT format returned no JWT');
      out.push({ credential, document: JSON.stringify(credential), jwt: jws.jwt });
    }
    return out;
  };
}

/** Signing in the service's own thread (SIGNING_THREADS=0). */
export function createInlineSecureStep(keys: SigningKeys): SecureStep {
  const secure = createSecureBatch(keys);
  return {
    // Between credentials of a large batch, let other requests through.
    secure: async (credentials, created) => {
      const out: SecuredCredential[] = [];
      for (const [i, chunk] of chunksOf(credentials).entries()) {
        if (i > 0) await new Promise((resolve) => setImmediate(resolve));
        out.push(...(await secure(chunk, created)));
      }
      return out;
    },
    close: async () => {},
  };
}

/** Credentials signed per task or turn of the event loop: small enough to share out, large enough to amortise. */
const CHUNK = 8;

export const chunksOf = <T>(items: T[]): T[][] => Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));
