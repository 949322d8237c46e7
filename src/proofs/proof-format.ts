/**
 * Proof formats (OB 3.0 §8, VC Data Integrity, VC-JOSE-COSE). Issuance runs the configured formats in
 * order: the embedded Data Integrity proof first, then the VC-JWT over the credential that carries it,
 * as OB 3.0 §8 asks when a credential has both. Verification chooses a Data Integrity suite by the
 * proof's own `type` and `cryptosuite` (see `suites/index.ts`), and a VC-JWT by its compact form.
 */
export type Credential = Record<string, unknown>;

export type Secured =
  | { format: 'data-integrity'; credential: Credential }
  | { format: 'vc-jwt'; jwt: string };

/** Issuance: secures an unsigned credential. */
export interface ProofFormat {
  readonly format: Secured['format'];
  secure(credential: Credential): Promise<Secured>;
}

/** A jsonld-signatures suite object, the shape every @digitalbazaar suite implements. */
export interface LinkedDataSuite {
  verifyProof(options: {
    proof: Record<string, unknown>;
    document: Record<string, unknown>;
    proofSet: Array<Record<string, unknown>>;
    documentLoader: unknown;
  }): Promise<{ verified: boolean; error?: Error }>;
}

/** A signer as the @digitalbazaar key libraries make them (`keyPair.signer()`). */
export interface Signer {
  id: string;
  algorithm: string;
  sign(input: { data: Uint8Array }): Promise<Uint8Array>;
}

/**
 * One Data Integrity cryptosuite (or legacy Linked Data signature type), its signing and verifying
 * side by side, both from the field's own libraries.
 */
export interface DataIntegritySuite {
  /** The proof `type`: `DataIntegrityProof`, or a legacy type such as `Ed25519Signature2020`. */
  readonly type: string;
  /** The proof `cryptosuite`, for `DataIntegrityProof`. */
  readonly cryptosuite?: string;
  /** JCS suites sign the JSON as written, so their proofs keep their own `@context` (VC-DI-EDDSA §3.3.1). */
  readonly jcs: boolean;
  /** Key types that may sign: the curve of the Multikey or JWK. */
  readonly curves: readonly string[];
  verifier(): LinkedDataSuite;
  signer(signer: Signer, date?: Date): unknown;
}

export const suiteName = (suite: Pick<DataIntegritySuite, 'type' | 'cryptosuite'>): string =>
  suite.cryptosuite ? `${suite.type} (${suite.cryptosuite})` : suite.type;
