import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { Ed25519Signature2020 } from '@digitalbazaar/ed25519-signature-2020';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import jsigs from 'jsonld-signatures';
import { createDocumentLoader } from '../jsonld/document-loader.js';
import type { KeyResolver, ResolvedMethod } from './key-resolver.js';

/**
 * Embedded proofs (OB 3.0 §8.3, VC Data Integrity §4.4): `DataIntegrityProof` with `eddsa-rdfc-2022`,
 * and the older `Ed25519Signature2020` that verifiers "should consider". One valid proof suffices.
 */
export type ProofOutcome =
  | { ok: true; method: ResolvedMethod; proofType: string }
  | { ok: false; reason: string; method?: ResolvedMethod };

const SUPPORTED = 'DataIntegrityProof with eddsa-rdfc-2022, or Ed25519Signature2020';

function suiteFor(proof: Record<string, unknown>): unknown {
  if (proof.type === 'DataIntegrityProof' && proof.cryptosuite === 'eddsa-rdfc-2022') return new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });
  if (proof.type === 'Ed25519Signature2020') return new Ed25519Signature2020();
  return undefined;
}

export async function verifyEmbeddedProofs(credential: Record<string, unknown>, keys: KeyResolver): Promise<ProofOutcome> {
  const proofs = (Array.isArray(credential.proof) ? credential.proof : [credential.proof]).filter(
    (p): p is Record<string, unknown> => !!p && typeof p === 'object',
  );
  if (proofs.length === 0) return { ok: false, reason: 'the credential has no proof (no signature)' };
  let lastFailure: ProofOutcome = { ok: false, reason: `no proof of a supported type (${SUPPORTED})` };
  for (const proof of proofs) {
    const suite = suiteFor(proof);
    if (!suite) {
      lastFailure = { ok: false, reason: `the proof type ${String(proof.type)}${proof.cryptosuite ? `/${String(proof.cryptosuite)}` : ''} is not supported (${SUPPORTED})` };
      continue;
    }
    if (proof.proofPurpose !== 'assertionMethod') {
      lastFailure = { ok: false, reason: `the proof purpose is "${String(proof.proofPurpose)}"; OB 3.0 requires "assertionMethod"` };
      continue;
    }
    const vmUrl = typeof proof.verificationMethod === 'string' ? proof.verificationMethod : (proof.verificationMethod as { id?: string } | undefined)?.id;
    if (!vmUrl) {
      lastFailure = { ok: false, reason: 'the proof names no verificationMethod' };
      continue;
    }
    let method: ResolvedMethod;
    try {
      method = await keys.resolve(vmUrl);
    } catch (e) {
      lastFailure = { ok: false, reason: (e as Error).message };
      continue;
    }
    // The key was resolved above; the signature check gets it from this loader, and the controller
    // binding is judged apart (the issuer_key check), so the purpose is given the controller here.
    const documentLoader = createDocumentLoader([async (url) => (url === vmUrl ? method.method : undefined)]);
    const controller = { id: method.controller ?? vmUrl, assertionMethod: [vmUrl] };
    const single = { ...credential, proof: { ...proof } };
    const result = await jsigs.verify(single, {
      suite,
      purpose: new jsigs.purposes.AssertionProofPurpose({ controller }),
      documentLoader,
    });
    if (result.verified) return { ok: true, method, proofType: proof.type === 'DataIntegrityProof' ? `DataIntegrityProof (${String(proof.cryptosuite)})` : String(proof.type) };
    const error = result.error?.errors?.[0] ?? result.results?.[0]?.error ?? result.error;
    lastFailure = { ok: false, method, reason: describe(error) };
  }
  return lastFailure;
}

function describe(error: Error | undefined): string {
  const message = error?.message ?? '';
  if (/not bundled|was not fetched/.test(message)) return message;
  if (/Invalid signature|signature/i.test(message)) return 'the signature does not match the credential: it was changed after signing, or signed with another key';
  if (/safe mode|relative|undefined term|dropped/i.test(message)) return `the credential cannot be canonicalised: ${message}`;
  return message ? `the proof could not be verified: ${message}` : 'the signature does not match the credential';
}
