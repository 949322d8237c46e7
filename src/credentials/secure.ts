import type { KeyObject } from 'node:crypto';
import { ed25519Signer } from '../keys/signers.js';
import { createDocumentLoader } from '../jsonld/document-loader.js';
import { signDataIntegrity } from '../proofs/data-integrity.js';
import type { Credential } from '../proofs/proof-format.js';
import { createVcJwtFormat } from '../proofs/vc-jwt.js';

/**
 * The `secure` step of issuance (OB 3.0 §8): the embedded Data Integrity proof (`eddsa-rdfc-2022`),
 * and the VC-JWT (RS256) over the credential that carries it, either at once or when it is first
 * asked for (`signJwts`): RS256 is deterministic and the claims come from the credential, so the
 * JWT is the same bytes whenever it is signed. Keys arrive imported (KeyObjects), so whoever runs
 * the step, the service's own thread or a signing worker, imports them once.
 */
export interface SigningKeys {
  /** Names this set of keys: whoever signs keeps its signers by it. */
  id: string;
  ed25519: KeyObject;
  /** The proof's verificationMethod: the issuer's DID URL of the Ed25519 key. */
  verificationMethod: string;
  rsa: KeyObject;
  /** The VC-JWT `kid`: a URL that answers with the public JWK. */
  jwtKid: string;
}

export interface SecuredCredential {
  /** The signed credential as JSON text: what is stored and served. */
  document: string;
  /** Null when the VC-JWT was not asked for at issuance. */
  jwt: string | null;
}

export interface SecureOptions {
  /** The proofs' `created`: the issuance time. */
  created: Date;
  /** Sign the VC-JWT now too. */
  jwt: boolean;
  /** The issuing organisation's keys. */
  keys: SigningKeys;
}

/** Secures a batch of unsigned credentials. */
export type SecureBatch = (credentials: Credential[], options: SecureOptions) => Promise<SecuredCredential[]>;
/** VC-JWTs of signed credentials given as their stored JSON text, in the order given. */
export type SignJwts = (documents: string[], keys: SigningKeys) => Promise<string[]>;

export interface SecureStep {
  secure: SecureBatch;
  signJwts: SignJwts;
  close(): Promise<void>;
}

export interface Signers {
  secure(credentials: Credential[], options: Omit<SecureOptions, 'keys'>): Promise<SecuredCredential[]>;
  signJwts(documents: string[]): Promise<string[]>;
}

export function createSigners(keys: SigningKeys): Signers {
  const signer = ed25519Signer(keys.ed25519, keys.verificationMethod);
  // Credentials name bundled contexts only; signing never resolves anything else.
  const documentLoader = createDocumentLoader();
  const vcJwt = createVcJwtFormat({ privateKey: keys.rsa, kid: keys.jwtKid });
  const jwtOf = async (credential: Credential): Promise<string> => {
    const jws = await vcJwt.secure(credential);
    if (jws.format !== 'vc-jwt') throw new Error('VC-JWT format returned no JWT');
    return jws.jwt;
  };
  return {
    async secure(credentials, { created, jwt }) {
      const out: SecuredCredential[] = [];
      for (const unsigned of credentials) {
        const credential = await signDataIntegrity(unsigned, { signer, documentLoader, created });
        out.push({ document: JSON.stringify(credential), jwt: jwt ? await jwtOf(credential) : null });
      }
      return out;
    },
    async signJwts(documents) {
      const out: string[] = [];
      for (const document of documents) out.push(await jwtOf(JSON.parse(document) as Credential));
      return out;
    },
  };
}

/** Organisations' signers, made once per set of keys (most recently used kept). */
const KEPT_SIGNERS = 1000;
export function signersByKeys(): (keys: SigningKeys) => Signers {
  const kept = new Map<string, Signers>();
  return (keys) => {
    let signers = kept.get(keys.id);
    if (signers) kept.delete(keys.id);
    else signers = createSigners(keys);
    kept.set(keys.id, signers);
    if (kept.size > KEPT_SIGNERS) kept.delete(kept.keys().next().value!);
    return signers;
  };
}

/** Signing in the service's own thread (SIGNING_THREADS=0). */
export function createInlineSecureStep(): SecureStep {
  const signersFor = signersByKeys();
  // Between chunks of a large batch, let other requests through.
  const inTurns =
    <I, O>(fn: (items: I[]) => Promise<O[]>) =>
    async (items: I[]): Promise<O[]> => {
      const out: O[] = [];
      for (const [i, chunk] of chunksOf(items).entries()) {
        if (i > 0) await new Promise((resolve) => setImmediate(resolve));
        out.push(...(await fn(chunk)));
      }
      return out;
    };
  return {
    secure: (credentials, { keys, ...options }) => inTurns((chunk: Credential[]) => signersFor(keys).secure(chunk, options))(credentials),
    signJwts: (documents, keys) => inTurns((chunk: string[]) => signersFor(keys).signJwts(chunk))(documents),
    close: async () => {},
  };
}

/** Credentials signed per task or turn of the event loop: small enough to share out, large enough to amortise. */
const CHUNK = 8;

export const chunksOf = <T>(items: T[]): T[][] => Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));
