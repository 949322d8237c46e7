import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { JWK } from 'jose';
import { asArray, CredentialEnvelopeSchema, firstProblem, issuerIdOf } from '../credentials/model.js';
import { BUNDLED_CONTEXTS, CONTEXT } from '../jsonld/contexts.js';
import type { DocumentResolver } from '../jsonld/document-loader.js';
import type { GuardedFetcher } from '../net/guarded-fetch.js';
import { verifyProofSet, type ProofResult } from '../proofs/data-integrity.js';
import { decodeVcJwt, jwtClaimMismatch, jwtValidity, verifyVcJwtSignature, JWT_ALGORITHMS, type DecodedVcJwt } from '../proofs/vc-jwt.js';
import { AppError } from '../errors/errors.js';
import { identityHash, normalizeEmail } from '../recipients/identity.js';
import type { SchemaOutcome } from './schema-check.js';
import { assertWithinLimits, collectEndorsements, VERIFY_LIMITS } from './bounds.js';
import { createKeyMaterial, jwkOf, methodDocument, type Binding, type KeyMaterial } from './key-material.js';
import { verdictOf, type Check, type CheckId, type CheckStatus, type CredentialKind, type InputFormat, type ReasonCode, type StatusInfo, type VerificationReport } from './report.js';
import type { VerifyCpu } from './cpu-pool.js';
import { strictestPeriod, TYPE_IRI, type SignedStatements } from './signed-view.js';
import { checkStatus, type LocalStatus } from './status-check.js';

/**
 * Verifies any W3C Verifiable Credential (VCDM 1.1 or 2.0), and Open Badges 3.0 conformance for the
 * documents that claim to be Open Badges (OB 3.0 §9.1; endorsements §9.2). Every check runs and is
 * reported, even after an earlier one fails; checks decide on the signed statements (the JSON-LD
 * expansion), never on a spelling of the JSON. Nothing here throws for a bad credential; input over
 * a cap is refused before any work (`bounds.ts`).
 */
export interface VerifierDeps {
  /** Expansion, signatures and the JSON Schema, off the event loop (`cpu-pool.ts`). */
  cpu: VerifyCpu;
  /** How long one verification may take, its endorsements and status lists included. */
  timeoutMs?: number;
  /** Our own DIDs, resolved without network. */
  localResolvers: DocumentResolver[];
  /** Whether an issuer id is one of ours: only their credentials are looked up in our own status lists. */
  isLocalIssuer: (issuer: string) => boolean;
  /** Our own public JWKs by `kid` URL, read without HTTP. */
  localJwk: (kid: string) => Promise<JWK | undefined>;
  localStatus: LocalStatus;
  fetcher: GuardedFetcher;
  didWebOverHttp?: boolean;
  now?: () => Date;
}

export type VerifiableInput = { credential: Record<string, unknown> } | { jwt: string };

export interface VerifyOptions {
  /** How the input arrived (JSON, JWT, baked PNG or SVG). */
  format?: InputFormat;
  /** Compare this e-mail with the credential's hashed identity (§9.1 step 5). Never logged or echoed. */
  email?: string;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const OB_TYPES = ['OpenBadgeCredential', 'AchievementCredential'];
const OB_TYPE_IRIS: string[] = [TYPE_IRI.OpenBadgeCredential, TYPE_IRI.AchievementCredential];
const OB_CONTEXT = /^https:\/\/purl\.imsglobal\.org\/spec\/ob\/v3p0\/context(-3\.\d\.\d)*\.json$/;
const ALL_CHECKS: readonly CheckId[] = ['format', 'contexts', 'open_badge', 'proof', 'issuer_key', 'validity_period', 'status', 'recipient', 'endorsements'];

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const absolute = (id: string, base: string | undefined): string => (id.startsWith('#') && base ? `${base}${id}` : id);

/** What kind of document this says it is: by its signed types, or by the type names it spells. */
function kindOf(jsonTypes: string[], signed: SignedStatements | undefined): CredentialKind {
  const signedTypes = signed?.types ?? [];
  if (jsonTypes.includes('EndorsementCredential') || signedTypes.includes(TYPE_IRI.EndorsementCredential)) return 'endorsement';
  if (OB_TYPES.some((t) => jsonTypes.includes(t)) || OB_TYPE_IRIS.some((t) => signedTypes.includes(t))) return 'open_badge';
  return 'verifiable_credential';
}

export function createVerifier(deps: VerifierDeps) {
  const now = deps.now ?? (() => new Date());
  const keyDeps = { local: deps.localResolvers, localJwk: deps.localJwk, fetcher: deps.fetcher, ...(deps.didWebOverHttp ? { didWebOverHttp: true } : {}) };

  /** Proofs of a set with the binding of each key they name. */
  async function proofsOf(document: Record<string, unknown>, issuer: string | undefined, keys: KeyMaterial, at: Date, signal: AbortSignal) {
    const bindings = new Map<string, Binding>();
    const results = await verifyProofSet(document, {
      checkSignature: (task) => deps.cpu.signature(task, signal),
      now: at,
      methodFor: async (vm) => {
        // Without an issuer no key can be bound, but the signature is still checked and reported.
        const binding: Binding = issuer
          ? await keys.bindMethod(absolute(vm, issuer), issuer)
          : await keys.anyMethod(vm).then((method) => ({ status: 'not_bound' as const, ...(method ? { method } : {}), description: 'the credential names no issuer' }));
        bindings.set(vm, binding);
        if (!binding.method) return undefined;
        try {
          return await methodDocument(binding.method);
        } catch {
          return undefined;
        }
      },
    });
    return { results, bindings: [...bindings.values()] };
  }

  /** A fetched status list counts only when its issuer is the credential's and every proof is by that issuer's key. */
  async function verifyList(list: Record<string, unknown>, issuer: string, keys: KeyMaterial, signal: AbortSignal) {
    if (issuerIdOf(list) !== issuer) return { status: 'failed' as const, reason: `it was issued by ${String(issuerIdOf(list))}, not by the credential's issuer` };
    if (asArray(list.proof).length === 0) return { status: 'failed' as const, reason: 'it is not signed' };
    const { results, bindings } = await proofsOf(list, issuer, keys, now(), signal);
    const proof = summariseProofs(results);
    const key = summariseBindings(bindings);
    if (proof.status === 'failed') return { status: 'failed' as const, reason: proof.message };
    if (key.status === 'failed') return { status: 'failed' as const, reason: key.message };
    if (proof.status !== 'passed' || key.status !== 'passed') return { status: 'unconfirmed' as const, reason: key.status !== 'passed' ? key.message : proof.message };
    return { status: 'passed' as const };
  }

  /** The VC-JWT's signature (OB 3.0 §8.2.5) by the key its header names, and that key's binding. */
  async function jwtProof(jwt: string, { header, payload, credential }: Extract<DecodedVcJwt, { ok: true }>, issuer: string | undefined, keys: KeyMaterial) {
    const alg = header.alg ?? '';
    const headerJwk = header.jwk && !('d' in header.jwk) ? (header.jwk as JWK) : undefined;
    const kid = typeof header.kid === 'string' && header.kid ? absolute(header.kid, issuer) : undefined;
    let binding: Binding | undefined;
    if (!issuer) {
      // No issuer binds no key, but the signature is still checked and reported.
      const method = headerJwk ? { id: 'the JWT header key', type: 'JsonWebKey', publicKeyJwk: headerJwk } : kid ? await keys.anyMethod(kid) : undefined;
      binding = { status: 'not_bound', ...(method ? { method } : {}), description: 'the credential names no issuer' };
    } else if (headerJwk) binding = await keys.bindJwk(headerJwk, issuer);
    else if (kid) binding = await keys.bindMethod(kid, issuer);
    const bindings = binding ? [binding] : [];
    const outcome = (status: CheckStatus, code: ReasonCode, message: string) => ({ bindings, result: [status, code, message] as const });

    if (!(JWT_ALGORITHMS as readonly string[]).includes(alg)) return outcome('failed', 'jwt_alg_not_allowed', `The JWT algorithm "${alg}" is not accepted (accepted: ${JWT_ALGORITHMS.join(', ')}).`);
    if (header.jwk && 'd' in header.jwk) return outcome('failed', 'malformed_proof', 'The JWT header carries a private key.');
    if (!header.jwk && !header.kid) return outcome('failed', 'malformed_proof', 'The JWT header names no key (neither "kid" nor "jwk").');
    if (!binding?.method) return outcome('unconfirmed', 'key_material_unavailable', `The signature could not be checked: ${binding?.description ?? 'the credential names no issuer'}.`);
    if (!(await verifyVcJwtSignature(jwt, await jwkOf(binding.method), alg))) {
      return outcome('failed', 'signature_invalid', 'The JWT signature does not match: it was changed after signing, or signed with another key.');
    }
    const mismatch = jwtClaimMismatch(payload, credential, issuer);
    if (mismatch) return outcome('failed', 'jwt_claims_mismatch', `The JWT claims disagree with the credential: ${mismatch}.`);
    return outcome('passed', 'signature_valid', `The signature is intact (VC-JWT, ${alg}).`);
  }

  async function run(input: VerifiableInput, options: VerifyOptions, depth: number, signal: AbortSignal): Promise<VerificationReport> {
    const checks: Check[] = [];
    const add = (id: CheckId, status: CheckStatus, code: ReasonCode, message: string) => checks.push({ id, status, code, message });
    const format = options.format ?? ('jwt' in input ? 'jwt' : 'json');
    const at = now();
    const keys = createKeyMaterial(keyDeps);

    // The JWT carries the credential: decode it first; its signature is checked as the proof.
    const decoded = 'jwt' in input ? decodeVcJwt(input.jwt) : undefined;
    const credential = decoded ? (decoded.ok ? decoded.credential : undefined) : (input as { credential: Record<string, unknown> }).credential;
    if (!credential || Object.keys(credential).length === 0) {
      add('format', 'failed', decoded && !decoded.ok ? 'jwt_malformed' : 'not_a_credential', `This is not a readable credential: ${decoded && !decoded.ok ? decoded.reason : 'it is empty'}.`);
      for (const id of ALL_CHECKS.slice(1)) add(id, 'skipped', 'not_checked', 'Not checked, because there is no credential to read.');
      return { verdict: 'failed', verified: false, checks, format };
    }

    // 1. Format: the VCDM envelope.
    const contexts = asArray(credential['@context']);
    const version = contexts[0] === CONTEXT.credentialsV2 ? 2 : contexts[0] === CONTEXT.credentialsV1 ? 1 : undefined;
    const jsonTypes = asArray(credential.type).filter((t): t is string => typeof t === 'string');
    const envelope = CredentialEnvelopeSchema.safeParse(credential);
    const jwtNote = decoded ? ', as a VC-JWT' : '';
    if (!version) add('format', 'failed', 'not_a_credential', `This is not a W3C Verifiable Credential: its first @context is ${JSON.stringify(contexts[0] ?? null)}, not the Verifiable Credentials context.`);
    else if (!jsonTypes.includes('VerifiableCredential')) add('format', 'failed', 'not_a_credential', 'This is not a W3C Verifiable Credential: its type does not include "VerifiableCredential".');
    else if (!envelope.success) add('format', 'failed', 'not_a_credential', `This is not a well-formed Verifiable Credential: ${firstProblem(envelope.error)}.`);
    else if (version === 1 && typeof credential.issuanceDate !== 'string') add('format', 'failed', 'not_a_credential', 'This Verifiable Credential 1.1 has no "issuanceDate".');
    else add('format', 'passed', version === 2 ? 'vc_2_0' : 'vc_1_1', `A Verifiable Credential (VCDM ${version === 2 ? '2.0' : '1.1'}${jwtNote}).`);

    // 2. Contexts, and the statements as signed.
    const unknown = contexts.filter((c): c is string => typeof c === 'string' && !BUNDLED_CONTEXTS.has(c));
    const view = await deps.cpu.signedStatements(asSigned(credential), signal);
    const statements = view.ok ? view.statements : undefined;
    const kind = kindOf(jsonTypes, statements);
    if (unknown.length) add('contexts', 'failed', 'unknown_context', `It uses JSON-LD contexts this verifier does not know: ${unknown.join(', ')}. They were not fetched.`);
    else if (!view.ok) add('contexts', 'failed', 'jsonld_invalid', `Its statements cannot be read as signed: ${view.reason}.`);
    else if (kind !== 'verifiable_credential' && !contexts.some((c) => typeof c === 'string' && OB_CONTEXT.test(c))) add('contexts', 'warning', 'no_ob_context', 'It does not use an Open Badges 3.0 JSON-LD context.');
    else add('contexts', 'passed', 'contexts_known', 'All JSON-LD contexts are known, and the statements read the same however they are spelled.');

    // The issuer as signed; with no readable statements, as written (the proof check fails anyway).
    const signedIssuers = statements?.issuer ?? [];
    const issuer = statements ? (signedIssuers.length === 1 ? signedIssuers[0] : undefined) : issuerIdOf(credential);

    // 3. Open Badges conformance, for documents that claim to be Open Badges.
    await checkOpenBadge(kind, depth, version, credential, statements, add, () => deps.cpu.schema(credential, signal));

    // 4. Proof and 5. the key's binding to the issuer.
    let bindings: Binding[] = [];
    if (decoded?.ok) {
      const jwt = await jwtProof((input as { jwt: string }).jwt, decoded, issuer, keys);
      bindings = jwt.bindings;
      add('proof', ...jwt.result);
    } else if (asArray(credential.proof).length === 0) {
      add('proof', 'failed', 'no_proof', 'The credential has no proof (no signature).');
    } else {
      const proofs = await proofsOf(credential, issuer, keys, at, signal);
      bindings = proofs.bindings;
      const summary = summariseProofs(proofs.results);
      add('proof', summary.status, summary.code, summary.message);
    }
    const key = issuer ? summariseBindings(bindings) : { status: 'failed' as const, code: 'key_not_bound' as const, message: signedIssuers.length > 1 ? 'The credential names more than one issuer.' : 'The credential names no issuer, so no key can be the issuer’s.' };
    add('issuer_key', key.status, key.code, key.message);

    // 6. Validity period, as signed (and, for a VC-JWT, as its nbf/exp say): the strictest reading.
    let validity: VerificationReport['validity'];
    if (!statements) add('validity_period', 'skipped', 'not_checked', 'Not checked, because the statements could not be read as signed.');
    else {
      const period = strictestPeriod(statements, decoded?.ok ? jwtValidity(decoded.payload) : {});
      const { validFrom, validUntil } = period;
      validity = { ...(validFrom ? { validFrom } : {}), ...(validUntil ? { validUntil } : {}) };
      if (period.invalid !== undefined) add('validity_period', 'failed', 'invalid_date', `A validity date is not a date: ${JSON.stringify(period.invalid).slice(0, 60)}.`);
      else if (validFrom && Date.parse(validFrom) > at.getTime()) add('validity_period', 'failed', 'not_yet_valid', `Not valid yet: it is valid from ${validFrom}.`);
      else if (validUntil && Date.parse(validUntil) < at.getTime()) add('validity_period', 'failed', 'expired', `Expired on ${validUntil.slice(0, 10)}.`);
      else add('validity_period', 'passed', 'valid', validUntil ? `Valid until ${validUntil.slice(0, 10)}.` : 'Valid, with no expiry date.');
    }

    // 7. Status, as signed.
    let statusInfo: StatusInfo | undefined;
    if (!statements) add('status', 'skipped', 'not_checked', 'Not checked, because the statements could not be read as signed.');
    else if (!issuer && statements.statusEntries.length) add('status', 'unconfirmed', 'status_unreachable', 'Revocation could not be checked, because the credential names no single issuer.');
    else {
      const status = await checkStatus(statements.statusEntries, statements.id, issuer ?? '', {
        fetcher: deps.fetcher,
        local: issuer && deps.isLocalIssuer(issuer) ? deps.localStatus : undefined,
        verifyList: (list, listIssuer) => verifyList(list, listIssuer, keys, signal),
      });
      add('status', status.status, status.code, status.message);
      statusInfo = status.info;
    }

    // 8. Recipient (optional, §9.1 step 5).
    if (options.email === undefined || options.email.trim() === '') add('recipient', 'skipped', 'not_requested', 'No e-mail address was given to compare with the recipient.');
    else if (!statements) add('recipient', 'skipped', 'not_checked', 'Not checked, because the statements could not be read as signed.');
    else {
      const matched = recipientMatches(statements, options.email);
      if (matched === undefined) add('recipient', 'warning', 'no_email_identity', 'The credential names its recipient without an e-mail address, so it cannot be compared.');
      else if (matched) add('recipient', 'passed', 'recipient_matched', 'The credential was issued to the e-mail address given.');
      else add('recipient', 'failed', 'recipient_not_matched', 'The credential was not issued to the e-mail address given.');
    }

    // 9. Endorsements (§9.2), each a document of its own, one level deep.
    const endorsements = collectEndorsements(credential);
    if (endorsements.length === 0) add('endorsements', 'skipped', 'no_endorsements', 'It carries no endorsements.');
    else if (depth > 0) add('endorsements', 'skipped', 'nested_endorsements_not_checked', 'Endorsements of endorsements are not checked.');
    else {
      const reports = await Promise.all(endorsements.map((e) => run(e, {}, depth + 1, signal)));
      const failed = reports.filter((r) => r.verdict === 'failed').length;
      const open = reports.filter((r) => r.verdict === 'unconfirmed').length;
      if (failed) add('endorsements', 'failed', 'endorsement_invalid', `${failed} of ${reports.length} endorsement(s) could not be verified.`);
      else if (open) add('endorsements', 'warning', 'endorsement_unconfirmed', `${open} of ${reports.length} endorsement(s) could not be confirmed; the others are verified.`);
      else add('endorsements', 'passed', 'endorsements_valid', `${reports.length} endorsement(s) verified.`);
    }

    const verdict = verdictOf(checks);
    return {
      verdict,
      verified: verdict === 'verified',
      kind,
      checks,
      credential,
      format,
      ...(statusInfo ? { status: statusInfo } : {}),
      ...(validity ? { validity } : {}),
    };
  }

  return {
    /** Throws a 4xx AppError only when the input is over a cap (bounds.ts); otherwise returns a report. */
    async verify(input: VerifiableInput, options: VerifyOptions = {}): Promise<VerificationReport> {
      assertWithinLimits(input);
      const deadline = AbortSignal.timeout(deps.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      // Every worker task of this verification listens to the one deadline.
      setMaxListeners(VERIFY_LIMITS.maxWork * 4, deadline);
      const report = await run(input, options, 0, deadline);
      // A check whose fetch outlived the deadline must not turn into a partial answer.
      if (deadline.aborted) throw new AppError('verification_too_costly', 'the verification did not finish in the time one request may take');
      return report;
    },
  };
}

export type Verifier = ReturnType<typeof createVerifier>;

/**
 * A JCS proof signs the document with its own `@context` in place of the document's (VC-DI-EDDSA
 * §3.4.2, VC-DI-ECDSA §3.3.2): contexts appended after signing are not covered. The statements are
 * then read with the contexts that were signed, so an unsigned context cannot change their meaning.
 */
function asSigned(credential: Record<string, unknown>): Record<string, unknown> {
  const jcs = asArray(credential.proof).find(
    (p): p is Record<string, unknown> => isObject(p) && typeof p.cryptosuite === 'string' && p.cryptosuite.includes('-jcs-') && p['@context'] !== undefined,
  );
  return jcs ? { ...credential, '@context': jcs['@context'] } : credential;
}

type Add = (id: CheckId, status: CheckStatus, code: ReasonCode, message: string) => void;

async function checkOpenBadge(
  kind: CredentialKind,
  depth: number,
  version: 1 | 2 | undefined,
  credential: Record<string, unknown>,
  statements: SignedStatements | undefined,
  add: Add,
  checkSchema: () => Promise<SchemaOutcome>,
): Promise<void> {
  if (depth > 0 && kind !== 'endorsement') {
    add('open_badge', 'failed', 'ob_schema_invalid', 'An endorsement must be an EndorsementCredential (OB 3.0 §9.2).');
    return;
  }
  if (kind === 'verifiable_credential') {
    add('open_badge', 'skipped', 'not_an_open_badge', 'This is a verifiable credential, not an Open Badge; the Open Badges rules do not apply to it.');
    return;
  }
  const signedTypes = statements?.types ?? [];
  const wanted = kind === 'endorsement' ? [TYPE_IRI.EndorsementCredential as string] : OB_TYPE_IRIS;
  if (statements && !wanted.some((t) => signedTypes.includes(t))) {
    add('open_badge', 'failed', 'ob_schema_invalid', 'It calls itself an Open Badge, but its signed type is not the Open Badges type (the Open Badges context is missing).');
    return;
  }
  if (kind === 'endorsement') {
    const subject = credential.credentialSubject;
    if (!isObject(subject) || typeof subject.id !== 'string') add('open_badge', 'failed', 'ob_schema_invalid', 'The endorsement does not name what it endorses (credentialSubject.id, OB 3.0 §B.1.?).');
    else add('open_badge', 'passed', 'ob_conformant', 'A conformant Open Badges 3.0 endorsement.');
    return;
  }
  const subjects = statements?.subjects ?? [];
  if (statements && !subjects.some((s) => s.id !== undefined || s.identifiers.length > 0)) {
    add('open_badge', 'failed', 'ob_no_subject_identifier', 'Its credentialSubject has neither an id nor an identifier (OB 3.0 §9.1 step 1).');
    return;
  }
  if (version !== 2) {
    add('open_badge', 'passed', 'ob_conformant', 'An Open Badge on Verifiable Credentials 1.1; the 1EdTech JSON Schema is for 2.0 and was not applied.');
    return;
  }
  const schema = await checkSchema();
  if (schema.status === 'passed') add('open_badge', 'passed', 'ob_conformant', 'It follows the 1EdTech Open Badges 3.0 JSON Schema.');
  else if (schema.status === 'warning') add('open_badge', 'warning', 'ob_compacted', `It follows the 1EdTech JSON Schema once single values are read as arrays, which the specification tolerates (${schema.detail}).`);
  else add('open_badge', 'failed', 'ob_schema_invalid', `It does not follow the 1EdTech Open Badges 3.0 JSON Schema: ${schema.detail}.`);
}

const PROOF_FAILURES = new Set(['signature_invalid', 'wrong_purpose', 'malformed_proof', 'proof_expired', 'previous_proof_missing']);

/** Every proof of a set must verify (VC Data Integrity §4.3); one that cannot be checked leaves the result open. */
function summariseProofs(results: ProofResult[]): { status: CheckStatus; code: ReasonCode; message: string } {
  if (results.length === 0) return { status: 'failed', code: 'no_proof', message: 'The credential has no proof (no signature).' };
  const of = results.length > 1 ? ` (${results.length} proofs)` : '';
  const bad = results.find((r) => !r.ok && PROOF_FAILURES.has(r.code));
  if (bad && !bad.ok) {
    const count = results.filter((r) => !r.ok && PROOF_FAILURES.has(r.code)).length;
    return { status: 'failed', code: bad.code, message: `${results.length > 1 ? `${count} of ${results.length} proofs do not verify: ` : 'The signature is not valid: '}${bad.reason}.` };
  }
  const open = results.find((r) => !r.ok);
  if (open && !open.ok) return { status: 'unconfirmed', code: open.code, message: `The signature could not be checked${of}: ${open.reason}.` };
  const suites = [...new Set(results.map((r) => (r.ok ? r.suite : '')))].join(', ');
  return { status: 'passed', code: 'signature_valid', message: `The signature is intact${of}: ${suites}.` };
}

function summariseBindings(bindings: Binding[]): { status: CheckStatus; code: ReasonCode; message: string } {
  if (bindings.length === 0) return { status: 'skipped', code: 'no_key', message: 'No signing key was named, so none could be checked.' };
  const notBound = bindings.find((b) => b.status === 'not_bound');
  if (notBound) return { status: 'failed', code: 'key_not_bound', message: `The signing key is not the issuer’s: ${notBound.description}.` };
  const open = bindings.find((b) => b.status === 'unreachable');
  if (open) return { status: 'unconfirmed', code: 'key_unreachable', message: `The signing key could not be confirmed as the issuer’s: ${open.description}.` };
  return { status: 'passed', code: 'key_bound', message: `The signing key is the issuer’s: ${bindings.map((b) => b.description).join('; ')}.` };
}

/** §9.1 step 5 over the signed identifiers; undefined when there is no e-mail identity to compare with. */
function recipientMatches(statements: SignedStatements, email: string): boolean | undefined {
  const identities = statements.subjects.flatMap((s) => s.identifiers).filter((i) => i.identityType.includes('emailAddress'));
  if (identities.length === 0) return undefined;
  const candidates = [...new Set([email.trim(), normalizeEmail(email)])];
  return identities.some((identity) => {
    const salt = identity.salt[0] ?? '';
    return identity.identityHash.some((hash) => {
      if (identity.hashed.includes(false)) return candidates.some((c) => c.toLowerCase() === hash.toLowerCase());
      return candidates.some((c) =>
        hash.startsWith('md5$') ? hash.toLowerCase() === `md5$${createHash('md5').update(c + salt).digest('hex')}` : hash.toLowerCase() === identityHash(c, salt),
      );
    });
  });
}
