/**
 * A proof format secures a credential (OB 3.0 §8). Issuance runs the configured formats in order:
 * the embedded Data Integrity proof first, then the VC-JWT over the credential that carries it,
 * as OB 3.0 §8 asks when a credential has both.
 */
export type Credential = Record<string, unknown>;

export type Secured =
  | { format: 'data-integrity'; credential: Credential }
  | { format: 'vc-jwt'; jwt: string };

export interface ProofFormat {
  readonly format: Secured['format'];
  secure(credential: Credential): Promise<Secured>;
}
