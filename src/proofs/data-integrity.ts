import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { createDocumentLoader, type DocumentLoader } from '../jsonld/document-loader.js';
import { suiteName, type Credential, type ProofFormat, type Secured, type Signer } from './proof-format.js';
import { signingEddsaRdfc2022 } from './suites/eddsa.js';
import { SUPPORTED_SUITES, suiteFor } from './suites/index.js';

/**
 * Data Integrity `DataIntegrityProof` with the `eddsa-rdfc-2022` cryptosuite (VC-DI-EDDSA §3.3),
 * the suite OB 3.0 certification requires. Canonicalisation is RDFC-1.0 over bundled contexts only.
 */
export interface DataIntegrityOptions {
  /** Signs with the issuer's Ed25519 key; its `id` is the proof's verificationMethod. */
  signer: Signer;
  documentLoader: DocumentLoader;
  /** The proof's `created`; defaults to now. */
  now?: () => Date;
}

export function createDataIntegrityFormat({ signer, documentLoader, now = () => new Date() }: DataIntegrityOptions): ProofFormat {
  return {
    format: 'data-integrity',
    async secure(credential: Credential): Promise<Secured> {
      const signed = await signDataIntegrity(structuredClone(credential), { signer, documentLoader, created: now() });
      return { format: 'data-integrity', credential: signed };
    },
  };
}

export async function signDataIntegrity(
  credential: Credential,
  { signer, documentLoader, created }: { signer: Signer; documentLoader: DocumentLoader; created: Date },
): Promise<Credential> {
  // Canonicalised by template where the credential's shape allows (jsonld/canonical-templates.ts).
  const suite = new DataIntegrityProof({ signer, date: created, cryptosuite: signingEddsaRdfc2022 });
  const signed = await vc.issue({ credential, suite, documentLoader, now: created });
  // OB 3.0 App. A: `proof` has multiplicity *, and the canonical JSON Schema requires an array.
  const { proof, ...rest } = signed;
  return { ...rest, proof: Array.isArray(proof) ? proof : [proof] };
}

/** RDFC-1.0 canonical N-Quads of a document without its proof (VC-DI-EDDSA §3.3.3 step 1), the stock way. */
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

/** The outcome for one proof of a set; `reason` is for people, `code` for programs. */
export type ProofResult =
  | { ok: true; proof: Record<string, unknown>; suite: string; verificationMethod: string }
  | {
      ok: false;
      proof: Record<string, unknown>;
      code: 'signature_invalid' | 'unsupported_suite' | 'wrong_purpose' | 'malformed_proof' | 'proof_expired' | 'previous_proof_missing' | 'key_material_unavailable';
      reason: string;
      verificationMethod?: string;
    };

export interface ProofSetOptions {
  /** The verification method document for a URL the proof names, or undefined when no key material could be had. */
  methodFor(verificationMethod: string): Promise<Record<string, unknown> | undefined>;
  /**
   * Checks one signature. Defaults to `verifySignature` in this thread; the verifier runs it in a
   * worker thread, since canonicalising a large document can take far longer than the event loop may wait.
   */
  checkSignature?: (task: SignatureTask) => Promise<SignatureResult>;
  now: Date;
}

/** One signature to check: plain data, so it can cross to a worker thread. */
export interface SignatureTask {
  proof: Record<string, unknown>;
  /** The document as the proof signed it: without proofs, or with the proofs it chains to. */
  document: Credential;
  proofSet: Array<Record<string, unknown>>;
  verificationMethod: string;
  /** The verification method document (a Multikey), already bound or not by the caller. */
  method: Record<string, unknown>;
}

export type SignatureResult = { verified: true } | { verified: false; reason: string };

/** Checks one signature with the suite the proof names, over bundled contexts only. */
export async function verifySignature({ proof, document, proofSet, verificationMethod, method }: SignatureTask): Promise<SignatureResult> {
  const suite = suiteFor(proof);
  if (!suite) return { verified: false, reason: 'the proof type is not supported' };
  const contexts = createDocumentLoader();
  const loader: DocumentLoader = async (url) =>
    url === verificationMethod ? { contextUrl: null, documentUrl: url, document: { ...method, id: verificationMethod } } : contexts(url);
  // RDFC suites read the proof in the document's context; JCS suites hash the proof as written.
  const proofToVerify = suite.jcs ? { ...proof } : { '@context': document['@context'], ...proof };
  try {
    const result = await suite.verifier().verifyProof({ proof: proofToVerify, document, proofSet, documentLoader: loader });
    return result.verified ? { verified: true } : { verified: false, reason: describe(result.error) };
  } catch (e) {
    return { verified: false, reason: describe(e as Error) };
  }
}

const asProofs = (value: unknown): Array<Record<string, unknown>> =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((p): p is Record<string, unknown> => !!p && typeof p === 'object' && !Array.isArray(p));

const idsOf = (value: unknown): string[] => (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');

/**
 * Verifies every proof of a proof set (VC Data Integrity §4.3 "Verify Proof Sets and Chains": all
 * of them must verify, not just one). A proof with `previousProof` is a link of a chain: it signed
 * the document together with the proofs it names, so it is checked over exactly that (§2.1.2).
 */
export async function verifyProofSet(document: Credential, options: ProofSetOptions): Promise<ProofResult[]> {
  const { proof: rawProofs, ...unsecured } = document;
  const proofs = asProofs(rawProofs);
  // One after another: each hands a copy of the document to a worker, and the event loop gets a turn between them.
  const results: ProofResult[] = [];
  for (const proof of proofs) results.push(await verifyOne(proof, proofs, unsecured, options));
  return results;
}

async function verifyOne(
  proof: Record<string, unknown>,
  proofSet: Array<Record<string, unknown>>,
  unsecured: Credential,
  { methodFor, checkSignature = verifySignature, now }: ProofSetOptions,
): Promise<ProofResult> {
  const suite = suiteFor(proof);
  if (!suite) {
    const name = proof.cryptosuite ? `${String(proof.type)} (${String(proof.cryptosuite)})` : String(proof.type);
    return { ok: false, proof, code: 'unsupported_suite', reason: `the proof type ${name} is not one this verifier knows (${SUPPORTED_SUITES.join(', ')})` };
  }
  // VCDM §5.? and OB 3.0 §8.3: a credential is asserted by its issuer; a proof made for authentication
  // or another purpose does not vouch for its statements.
  if (proof.proofPurpose !== 'assertionMethod') {
    return { ok: false, proof, code: 'wrong_purpose', reason: `the proof purpose is "${String(proof.proofPurpose)}", not "assertionMethod"` };
  }
  const vm = typeof proof.verificationMethod === 'string' ? proof.verificationMethod : (proof.verificationMethod as { id?: unknown } | undefined)?.id;
  if (typeof vm !== 'string' || vm === '') return { ok: false, proof, code: 'malformed_proof', reason: 'the proof names no verificationMethod' };
  if (typeof proof.proofValue !== 'string') return { ok: false, proof, code: 'malformed_proof', reason: 'the proof has no proofValue', verificationMethod: vm };
  if (typeof proof.expires === 'string' && Date.parse(proof.expires) < now.getTime()) {
    return { ok: false, proof, code: 'proof_expired', reason: `the proof expired on ${proof.expires}`, verificationMethod: vm };
  }
  const previousIds = proof.previousProof === undefined ? [] : idsOf(proof.previousProof);
  const previous = previousIds.map((id) => proofSet.find((p) => p.id === id));
  if (previous.some((p) => p === undefined) || (proof.previousProof !== undefined && previousIds.length === 0)) {
    return { ok: false, proof, code: 'previous_proof_missing', reason: `the proof chains to ${previousIds.join(', ') || 'an unnamed proof'}, which is not in the proof set`, verificationMethod: vm };
  }
  const method = await methodFor(vm);
  if (!method) return { ok: false, proof, code: 'key_material_unavailable', reason: `the key ${vm} could not be obtained`, verificationMethod: vm };

  const document = previous.length ? { ...unsecured, proof: previous.length === 1 ? previous[0] : previous } : { ...unsecured };
  const result = await checkSignature({ proof, document, proofSet, verificationMethod: vm, method });
  if (result.verified) return { ok: true, proof, suite: suiteName(suite), verificationMethod: vm };
  return { ok: false, proof, code: 'signature_invalid', reason: result.reason, verificationMethod: vm };
}

function describe(error: Error | undefined): string {
  const message = (error?.message ?? '').replace(/\.+$/, '');
  if (/not bundled|was not fetched/.test(message)) return message;
  if (/safe mode|relative|undefined term|dropped|invalid property/i.test(message)) return `the credential cannot be canonicalised: ${message}`;
  if (/Invalid signature|signature/i.test(message) || message === '') return 'the signature does not match the credential: it was changed after signing, or signed with another key';
  return `the proof could not be verified: ${message.slice(0, 200)}`;
}
