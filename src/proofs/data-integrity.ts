import type { Ed25519KeyPair } from '@digitalbazaar/ed25519-multikey';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import type { DocumentLoader } from '../jsonld/document-loader.js';
import type { Credential, ProofFormat, Secured } from './proof-format.js';

/**
 * Data Integrity `DataIntegrityProof` with the `eddsa-rdfc-2022` cryptosuite (VC-DI-EDDSA §3.3),
 * the suite OB 3.0 certification requires. Canonicalisation is RDFC-1.0 over bundled contexts only.
 */
export interface DataIntegrityOptions {
  key: Ed25519KeyPair;
  documentLoader: DocumentLoader;
  /** The proof's `created`; defaults to now. */
  now?: () => Date;
}

export function createDataIntegrityFormat({ key, documentLoader, now = () => new Date() }: DataIntegrityOptions): ProofFormat {
  return {
    format: 'data-integrity',
    async secure(credential: Credential): Promise<Secured> {
      const signed = await signDataIntegrity(structuredClone(credential), { key, documentLoader, created: now() });
      return { format: 'data-integrity', credential: signed };
    },
  };
}

export async function signDataIntegrity(
  credential: Credential,
  { key, documentLoader, created }: { key: Ed25519KeyPair; documentLoader: DocumentLoader; created: Date },
): Promise<Credential> {
  const suite = new DataIntegrityProof({ signer: key.signer(), date: created, cryptosuite });
  const signed = await vc.issue({ credential, suite, documentLoader, now: created });
  // OB 3.0 App. A: `proof` has multiplicity *, and the canonical JSON Schema requires an array.
  const { proof, ...rest } = signed;
  return { ...rest, proof: Array.isArray(proof) ? proof : [proof] };
}

/** RDFC-1.0 canonical N-Quads of a document without its proof (VC-DI-EDDSA §3.3.3 step 1). */
export async function canonicalizeDocument(document: Credential, documentLoader: DocumentLoader): Promise<string> {
  const { proof: _proof, ...unsecured } = document;
  return cryptosuite.canonize(unsecured, { documentLoader });
}

/** RDFC-1.0 canonical N-Quads of a proof configuration, in the document's `@context` (§3.3.5). */
export async function canonicalizeProofConfig(
  proofConfig: Credential,
  document: Credential,
  documentLoader: DocumentLoader,
): Promise<string> {
  const suite = new DataIntegrityProof({ cryptosuite });
  return suite.canonizeProof({ ...proofConfig }, { document, documentLoader });
}
