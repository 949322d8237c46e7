import * as ecdsaJcs2019 from '@digitalbazaar/ecdsa-jcs-2019-cryptosuite';
import { cryptosuite as ecdsaRdfc2019 } from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import * as ecdsaSd2023 from '@digitalbazaar/ecdsa-sd-2023-cryptosuite';
import { templatedCryptosuite } from '../../jsonld/canonical-templates.js';
import type { DataIntegritySuite } from '../proof-format.js';
import { dataIntegritySuite } from './data-integrity-proof.js';

/**
 * ECDSA cryptosuites (W3C VC-DI-ECDSA v1.0) with P-256 and P-384 keys: `ecdsa-rdfc-2019` (§3.2),
 * `ecdsa-jcs-2019` (§3.3), and `ecdsa-sd-2023` (§3.4), whose holders present derived proofs that
 * disclose only some statements; a derived proof verifies over exactly the disclosed document.
 */
const CURVES = ['P-256', 'P-384'] as const;
const ecdsaRdfc = templatedCryptosuite(ecdsaRdfc2019);

export const ECDSA_SUITES: readonly DataIntegritySuite[] = [
  dataIntegritySuite({ cryptosuite: 'ecdsa-rdfc-2019', jcs: false, curves: CURVES, verifying: () => ecdsaRdfc, signing: () => ecdsaRdfc }),
  dataIntegritySuite({
    cryptosuite: 'ecdsa-jcs-2019',
    jcs: true,
    curves: CURVES,
    verifying: () => ecdsaJcs2019.createVerifyCryptosuite(),
    signing: () => ecdsaJcs2019.createSignCryptosuite(),
  }),
  dataIntegritySuite({
    cryptosuite: 'ecdsa-sd-2023',
    jcs: false,
    // The library implements the suite's P-256 profile only (`requiredAlgorithm`).
    curves: ['P-256'],
    verifying: () => ecdsaSd2023.createVerifyCryptosuite(),
    // The issuer's base proof; holders derive with `createDiscloseCryptosuite` before presenting.
    signing: () => ecdsaSd2023.createSignCryptosuite({ mandatoryPointers: ['/issuer'] }),
  }),
];
