import { Ed25519Signature2020 } from '@digitalbazaar/ed25519-signature-2020';
import type { DataIntegritySuite, LinkedDataSuite } from '../proof-format.js';

/** `Ed25519Signature2020` (W3C CCG, 2020), the suite VCDM 1.1 wallets and OB 3.0 impl-guide verifiers still meet. */
export const ED25519_SIGNATURE_2020: DataIntegritySuite = {
  type: 'Ed25519Signature2020',
  jcs: false,
  curves: ['Ed25519'],
  verifier: () => new Ed25519Signature2020() as unknown as LinkedDataSuite,
  signer: (signer, date) => new Ed25519Signature2020({ signer, ...(date ? { date } : {}) }),
};
