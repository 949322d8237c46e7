import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsa2022 } from '@digitalbazaar/eddsa-2022-cryptosuite';
import * as eddsaJcs2022 from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import type { DataIntegritySuite, LinkedDataSuite, Signer } from '../proof-format.js';

/**
 * EdDSA cryptosuites (W3C VC-DI-EDDSA v1.0): `eddsa-rdfc-2022` (§3.3, RDFC-1.0; the one OB 3.0
 * certification requires), `eddsa-jcs-2022` (§3.4, RFC 8785 JCS), and `eddsa-2022`, the name the
 * 2023 drafts used for the RDFC suite, which verifiers "should consider" (OB 3.0 impl guide).
 */
const dataIntegrity = (cryptosuite: unknown, signer?: Signer, date?: Date) =>
  new DataIntegrityProof({ cryptosuite, ...(signer ? { signer } : {}), ...(date ? { date } : {}) }) as unknown as LinkedDataSuite;

export const EDDSA_SUITES: readonly DataIntegritySuite[] = [
  {
    type: 'DataIntegrityProof',
    cryptosuite: 'eddsa-rdfc-2022',
    jcs: false,
    curves: ['Ed25519'],
    verifier: () => dataIntegrity(eddsaRdfc2022),
    signer: (signer, date) => dataIntegrity(eddsaRdfc2022, signer, date),
  },
  {
    type: 'DataIntegrityProof',
    cryptosuite: 'eddsa-jcs-2022',
    jcs: true,
    curves: ['Ed25519'],
    verifier: () => dataIntegrity(eddsaJcs2022.createVerifyCryptosuite()),
    signer: (signer, date) => dataIntegrity(eddsaJcs2022.createSignCryptosuite(), signer, date),
  },
  {
    type: 'DataIntegrityProof',
    cryptosuite: 'eddsa-2022',
    jcs: false,
    curves: ['Ed25519'],
    verifier: () => dataIntegrity(eddsa2022),
    signer: (signer, date) => dataIntegrity(eddsa2022, signer, date),
  },
];
