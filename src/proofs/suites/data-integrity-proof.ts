import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import type { DataIntegritySuite, LinkedDataSuite, Signer } from '../proof-format.js';

/** A `DataIntegrityProof` suite over a cryptosuite of the field's libraries, signing and verifying. */
export function dataIntegritySuite(options: {
  cryptosuite: string;
  jcs: boolean;
  curves: readonly string[];
  verifying: () => unknown;
  signing: () => unknown;
}): DataIntegritySuite {
  const proof = (cryptosuite: unknown, signer?: Signer, date?: Date) =>
    new DataIntegrityProof({ cryptosuite, ...(signer ? { signer } : {}), ...(date ? { date } : {}) }) as unknown as LinkedDataSuite;
  return {
    type: 'DataIntegrityProof',
    cryptosuite: options.cryptosuite,
    jcs: options.jcs,
    curves: options.curves,
    verifier: () => proof(options.verifying()),
    signer: (signer, date) => proof(options.signing(), signer, date),
  };
}
