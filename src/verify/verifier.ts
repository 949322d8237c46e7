import { createHash } from 'node:crypto';
import type { JWK } from 'jose';
import { BUNDLED_CONTEXTS, CONTEXT } from '../jsonld/contexts.js';
import type { GuardedFetcher } from '../net/guarded-fetch.js';
import { identityHash, normalizeEmail } from '../recipients/identity.js';
import { issuerIdOf } from './credential-fields.js';
import { verifyEmbeddedProofs } from './data-integrity-proof.js';
import { verifyJwt, type KeyBinding } from './jwt-proof.js';
import type { KeyResolver } from './key-resolver.js';
import type { Check, CheckId, CheckStatus, InputFormat, StatusInfo, VerificationReport } from './report.js';
import { checkOb3Schema } from './schema-check.js';
import { checkStatus, type LocalStatus } from './status-check.js';

/**
 * Verifies any issuer's Open Badges 3.0 credential (OB 3.0 §9.1) and returns a report: format and
 * contexts, JSON Schema, proof, the key's binding to the issuer, validity period, status, an optional
 * recipient check, and embedded endorsements (§9.2). Nothing here throws for a bad credential.
 */
export interface VerifierDeps {
  keys: KeyResolver;
  fetcher: GuardedFetcher;
  localJwks: JWK[];
  localStatus: LocalStatus;
  now?: () => Date;
}

export type VerifiableInput = { credential: Record<string, unknown> } | { jwt: string };

export interface VerifyOptions {
  /** How the input arrived (JSON, JWT, baked PNG or SVG). */
  format?: InputFormat;
  /** Compare this e-mail with the credential's hashed identity (§9.1 step 5). */
  email?: string;
}

const OB_TYPES = ['OpenBadgeCredential', 'AchievementCredential'];
const OB_CONTEXT = /^https:\/\/purl\.imsglobal\.org\/spec\/ob\/v3p0\/context(-3\.\d\.\d)*\.json$/;

type Shape = { version: 2 | 1; issuer: string; types: string[] };

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function checkShape(c: Record<string, unknown>, expected: string[]): { shape?: Shape; problem?: string } {
  const contexts = asArray(c['@context']);
  const first = contexts[0];
  const version = first === CONTEXT.credentialsV2 ? 2 : first === CONTEXT.credentialsV1 ? 1 : undefined;
  if (!version) return { problem: `its first @context is not the W3C Verifiable Credentials context (found ${JSON.stringify(first ?? null)})` };
  const types = asArray(c.type).filter((t): t is string => typeof t === 'string');
  if (!types.includes('VerifiableCredential')) return { problem: 'its type does not include "VerifiableCredential"' };
  if (!expected.some((t) => types.includes(t))) return { problem: `its type does not include ${expected.map((t) => `"${t}"`).join(' or ')}` };
  const issuer = issuerIdOf(c);
  if (!issuer) return { problem: 'it has no issuer id' };
  if (!isObject(c.credentialSubject)) return { problem: 'it has no credentialSubject' };
  const dateField = version === 2 ? 'validFrom' : 'issuanceDate';
  if (typeof c[dateField] !== 'string' || Number.isNaN(Date.parse(c[dateField]))) return { problem: `it has no valid "${dateField}"` };
  if (expected.includes('OpenBadgeCredential')) {
    const subject = c.credentialSubject;
    if (!isObject(subject.achievement)) return { problem: 'its credentialSubject has no achievement' };
    if (subject.id === undefined && asArray(subject.identifier).length === 0) return { problem: 'its credentialSubject has neither an id nor an identifier (OB 3.0 §9.1 step 1)' };
  }
  return { shape: { version, issuer, types } };
}

export function createVerifier(deps: VerifierDeps) {
  const now = deps.now ?? (() => new Date());

  async function verifyListProof(list: Record<string, unknown>): Promise<string | undefined> {
    const outcome = await verifyEmbeddedProofs(list, deps.keys);
    if (!outcome.ok) return outcome.reason;
    if (outcome.method.controller !== issuerIdOf(list)) return 'the list is signed with a key of another controller';
    return undefined;
  }

  async function run(input: VerifiableInput, options: VerifyOptions, expected: string[], depth: number): Promise<VerificationReport> {
    const checks: Check[] = [];
    const add = (id: CheckId, status: CheckStatus, message: string) => checks.push({ id, status, message });
    const format = options.format ?? ('jwt' in input ? 'jwt' : 'json');

    // The JWT carries the credential: decode it first, verify its signature as the proof.
    let credential: Record<string, unknown> | undefined;
    let jwtOutcome: Awaited<ReturnType<typeof verifyJwt>> | undefined;
    if ('jwt' in input) {
      jwtOutcome = await verifyJwt(input.jwt, { keys: deps.keys, fetcher: deps.fetcher, localJwks: deps.localJwks });
      credential = jwtOutcome.credential;
    } else {
      credential = input.credential;
    }

    const { shape, problem } = credential ? checkShape(credential, expected) : { problem: jwtOutcome && !jwtOutcome.ok ? jwtOutcome.reason : 'it is empty' };
    const kind = expected.includes('EndorsementCredential') ? 'endorsement' : 'Open Badges 3.0 credential';
    if (!shape || !credential) {
      add('format', 'failed', `This is not a readable ${kind}: ${problem}.`);
      for (const id of ['contexts', 'schema', 'proof', 'issuer_key', 'validity_period', 'status', 'recipient', 'endorsements'] as const) {
        add(id, 'skipped', 'Not checked, because the credential could not be read.');
      }
      return { verified: false, checks, ...(credential ? { credential } : {}), format };
    }
    add('format', 'passed', `A ${kind} (Verifiable Credentials ${shape.version === 2 ? '2.0' : '1.1'}${'jwt' in input ? ', as a VC-JWT' : ''}).`);

    // Contexts: bundled only; an unknown one is a failure and is never fetched.
    const contexts = asArray(credential['@context']);
    const unknown = contexts.filter((c): c is string => typeof c === 'string' && !BUNDLED_CONTEXTS.has(c));
    const obContext = contexts.find((c) => typeof c === 'string' && OB_CONTEXT.test(c));
    if (unknown.length) add('contexts', 'failed', `It uses JSON-LD contexts this verifier does not know: ${unknown.join(', ')}. They were not fetched.`);
    else if (!obContext && expected.includes('OpenBadgeCredential')) add('contexts', 'warning', 'It does not use an Open Badges 3.0 JSON-LD context.');
    else add('contexts', 'passed', 'All JSON-LD contexts are known.');

    // JSON Schema: the bundled canonical schema is for VCDM 2.0 AchievementCredentials.
    if (shape.version === 2 && expected.includes('OpenBadgeCredential')) {
      const schema = checkOb3Schema(credential);
      if (schema.status === 'passed') add('schema', 'passed', 'It follows the 1EdTech Open Badges 3.0 JSON Schema.');
      else if (schema.status === 'warning') add('schema', 'warning', `It follows the 1EdTech JSON Schema only once single values are read as arrays, which the specification tolerates (${schema.detail}).`);
      else add('schema', 'failed', `It does not follow the 1EdTech Open Badges 3.0 JSON Schema: ${schema.detail}.`);
    } else {
      add('schema', 'skipped', shape.version === 1 ? 'The JSON Schema check is for Verifiable Credentials 2.0; this credential uses 1.1.' : 'No JSON Schema is bundled for this kind of credential.');
    }

    // Proof and key binding.
    let binding: KeyBinding | undefined;
    if (jwtOutcome) {
      if (jwtOutcome.ok) add('proof', 'passed', `Signed by the issuer's key (VC-JWT, ${jwtOutcome.alg}).`);
      else add('proof', 'failed', `The signature is not valid: ${jwtOutcome.reason}.`);
      binding = jwtOutcome.keyNote;
    } else {
      const outcome = await verifyEmbeddedProofs(credential, deps.keys);
      if (outcome.ok) add('proof', 'passed', `Signed by the key ${outcome.method.method.id} (${outcome.proofType}).`);
      else add('proof', 'failed', `The signature is not valid: ${outcome.reason}.`);
      if (outcome.method) {
        binding = {
          controller: outcome.method.controller,
          confirmed: outcome.method.confirmed,
          description:
            outcome.method.source === 'fragment'
              ? `the key was read from the verification method's own URL (${outcome.method.method.id}) because the issuer's document could not be fetched (${outcome.method.note ?? 'no answer'})`
              : `the key is listed in the issuer's ${outcome.method.source === 'did:key' ? 'did:key identifier' : 'document'}`,
        };
      }
    }
    const proofPassed = checks.at(-1)!.status === 'passed';
    if (!binding) add('issuer_key', 'skipped', 'Not checked, because no key could be found.');
    else if (binding.controller !== shape.issuer) add('issuer_key', 'failed', `The signing key belongs to ${String(binding.controller)}, not to the issuer ${shape.issuer}.`);
    else if (!binding.confirmed) add('issuer_key', 'warning', `The key could not be confirmed as the issuer's: ${binding.description}.`);
    else if (!proofPassed) add('issuer_key', 'passed', `The key is the issuer's (${binding.description}), but the signature does not match.`);
    else add('issuer_key', 'passed', `The key belongs to the issuer: ${binding.description}.`);

    // Validity period (VCDM 2.0 validFrom/validUntil; 1.1 issuanceDate/expirationDate).
    const from = String(credential[shape.version === 2 ? 'validFrom' : 'issuanceDate']);
    const until = credential[shape.version === 2 ? 'validUntil' : 'expirationDate'];
    const t = now().getTime();
    if (Date.parse(from) > t) add('validity_period', 'failed', `Not valid yet: it is valid from ${from}.`);
    else if (typeof until === 'string' && !Number.isNaN(Date.parse(until)) && Date.parse(until) < t) add('validity_period', 'failed', `Expired on ${until.slice(0, 10)}.`);
    else add('validity_period', 'passed', typeof until === 'string' ? `Valid until ${until.slice(0, 10)}.` : 'Valid, with no expiry date.');

    // Status.
    const status = await checkStatus(credential, { fetcher: deps.fetcher, local: deps.localStatus, verifyListProof });
    add('status', status.status, status.message);
    const statusInfo: StatusInfo | undefined = status.info;

    // Recipient (optional).
    if (options.email === undefined || options.email.trim() === '') {
      add('recipient', 'skipped', 'No e-mail address was given to compare with the recipient.');
    } else {
      const result = recipientMatches(credential, options.email);
      if (result === undefined) add('recipient', 'failed', 'The credential names its recipient without an e-mail address, so it cannot be compared.');
      else add('recipient', result ? 'passed' : 'failed', result ? `The credential was issued to ${options.email.trim()}.` : `The credential was not issued to ${options.email.trim()}.`);
    }

    // Endorsements (§9.2), one level deep.
    if (depth > 0) add('endorsements', 'skipped', 'Endorsements of endorsements are not checked.');
    else {
      const embedded = collectEndorsements(credential);
      if (embedded.length === 0) add('endorsements', 'skipped', 'It carries no endorsements.');
      else {
        const reports = await Promise.all(embedded.map((e) => run(e, { format: 'jwt' in e ? 'jwt' : 'json' }, ['EndorsementCredential'], depth + 1)));
        const bad = reports.filter((r) => !r.verified).length;
        if (bad === 0) add('endorsements', 'passed', `${reports.length} endorsement(s) verified.`);
        else add('endorsements', 'failed', `${bad} of ${reports.length} endorsement(s) could not be verified.`);
      }
    }

    return { verified: !checks.some((c) => c.status === 'failed'), checks, credential, format, ...(statusInfo ? { status: statusInfo } : {}) };
  }

  return {
    verify(input: VerifiableInput, options: VerifyOptions = {}): Promise<VerificationReport> {
      return run(input, options, OB_TYPES, 0);
    },
  };
}

export type Verifier = ReturnType<typeof createVerifier>;

/** §9.1 step 5: undefined when the credential has no e-mail identity to compare with. */
function recipientMatches(credential: Record<string, unknown>, email: string): boolean | undefined {
  const subject = credential.credentialSubject as Record<string, unknown>;
  const identities = asArray(subject.identifier).filter(isObject).filter((i) => i.identityType === 'emailAddress');
  if (identities.length === 0) return undefined;
  const candidates = [...new Set([email.trim(), normalizeEmail(email)])];
  return identities.some((identity) => {
    const hash = String(identity.identityHash ?? '');
    if (identity.hashed === false) return candidates.some((c) => c.toLowerCase() === hash.toLowerCase());
    const salt = typeof identity.salt === 'string' ? identity.salt : '';
    return candidates.some((c) =>
      hash.startsWith('md5$')
        ? hash.toLowerCase() === `md5$${createHash('md5').update(c + salt).digest('hex')}`
        : hash.toLowerCase() === identityHash(c, salt),
    );
  });
}

function collectEndorsements(credential: Record<string, unknown>): VerifiableInput[] {
  const subject = credential.credentialSubject as Record<string, unknown>;
  const holders = [credential, credential.issuer, subject.achievement, isObject(subject.achievement) ? subject.achievement.creator : undefined].filter(isObject);
  return holders.flatMap((h) => [
    ...asArray(h.endorsement).filter(isObject).map((c) => ({ credential: c })),
    ...asArray(h.endorsementJwt).filter((j): j is string => typeof j === 'string').map((jwt) => ({ jwt })),
  ]);
}
