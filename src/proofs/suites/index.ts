import type { DataIntegritySuite } from '../proof-format.js';
import { ECDSA_SUITES } from './ecdsa.js';
import { ED25519_SIGNATURE_2020 } from './ed25519-signature-2020.js';
import { EDDSA_SUITES } from './eddsa.js';

/** Every embedded-proof suite the verifier accepts, found by the proof's own `type` and `cryptosuite`. */
export const DATA_INTEGRITY_SUITES: readonly DataIntegritySuite[] = [...EDDSA_SUITES, ...ECDSA_SUITES, ED25519_SIGNATURE_2020];

const key = (type: unknown, cryptosuite: unknown) => `${String(type)}\n${cryptosuite === undefined ? '' : String(cryptosuite)}`;
const BY_NAME = new Map(DATA_INTEGRITY_SUITES.map((s) => [key(s.type, s.cryptosuite), s]));

export function suiteFor(proof: Record<string, unknown>): DataIntegritySuite | undefined {
  return BY_NAME.get(key(proof.type, proof.type === 'DataIntegrityProof' ? proof.cryptosuite : undefined));
}

export const SUPPORTED_SUITES = DATA_INTEGRITY_SUITES.map((s) => s.cryptosuite ?? s.type);
