import { cryptosuite as eddsa2022 } from '@digitalbazaar/eddsa-2022-cryptosuite';
import * as eddsaJcs2022 from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { templatedCryptosuite } from '../../jsonld/canonical-templates.js';
import type { DataIntegritySuite } from '../proof-format.js';
import { dataIntegritySuite } from './data-integrity-proof.js';

/**
 * EdDSA cryptosuites (W3C VC-DI-EDDSA v1.0): `eddsa-rdfc-2022` (§3.3, RDFC-1.0; the one OB 3.0
 * certification requires), `eddsa-jcs-2022` (§3.4, RFC 8785 JCS), and `eddsa-2022`, the name the
 * 2023 drafts used for the RDFC suite, which verifiers "should consider" (OB 3.0 impl guide).
 */
const ED25519 = ['Ed25519'] as const;

/** RDFC-1.0 by template where a document's shape allows (`jsonld/canonical-templates.ts`). */
const verifyingRdfc = templatedCryptosuite(eddsaRdfc2022);
/** Issuance signs documents of our own making: a template from the first of each shape. */
export const signingEddsaRdfc2022 = templatedCryptosuite(eddsaRdfc2022, { buildOn: 1 });

export const EDDSA_SUITES: readonly DataIntegritySuite[] = [
  dataIntegritySuite({ cryptosuite: 'eddsa-rdfc-2022', jcs: false, curves: ED25519, verifying: () => verifyingRdfc, signing: () => signingEddsaRdfc2022 }),
  dataIntegritySuite({
    cryptosuite: 'eddsa-jcs-2022',
    jcs: true,
    curves: ED25519,
    verifying: () => eddsaJcs2022.createVerifyCryptosuite(),
    signing: () => eddsaJcs2022.createSignCryptosuite(),
  }),
  dataIntegritySuite({ cryptosuite: 'eddsa-2022', jcs: false, curves: ED25519, verifying: () => eddsa2022, signing: () => eddsa2022 }),
];
