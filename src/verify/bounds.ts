import { AppError } from '../errors/errors.js';
import { decodeVcJwt } from '../proofs/vc-jwt.js';

/**
 * Caps on what one verification may cost, checked on the structure before any signature, fetch or
 * canonicalisation runs, so that a hostile document is refused in microseconds with a stable code
 * instead of holding the event loop (docs/security.md "Caps"). Real credentials are far below them:
 * ours carry one proof, no endorsement and about 150 JSON values.
 */
export const VERIFY_LIMITS = {
  /** JSON nesting, objects and arrays together. */
  maxDepth: 64,
  /** Objects, arrays and values in one credential with its endorsements. */
  maxNodes: 20_000,
  /** Proofs in one proof set. */
  maxProofs: 8,
  /** Endorsements (embedded and as JWTs) over all holders of one credential. */
  maxEndorsements: 16,
  /** Status entries of one credential. */
  maxStatusEntries: 8,
  /** Signatures, key look-ups and status look-ups in one request: proofs and status entries of the credential and of each endorsement. */
  maxWork: 64,
  /**
   * JSON-LD passes over JSON values: each document is expanded once and canonicalised once per proof,
   * at about 0.05 ms a value on one core (bench/verify-event-loop.ts), so this bounds one request's
   * worker time to a few seconds. The largest credential with one proof needs 40,000.
   */
  maxValuePasses: 100_000,
} as const;

/** A credential as text (JSON or a VC-JWT), also when it is baked in an image: ours are a few KiB. */
export const MAX_CREDENTIAL_TEXT = 512 * 1024;
/** A baked PNG or SVG: badge images are far smaller; reading a PNG's chunks costs about 7 ms per MiB. */
export const MAX_IMAGE_BYTES = 3 * 1024 * 1024;

type Input = { credential: Record<string, unknown> } | { jwt: string };

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

/** Counts nodes and depth without recursion, so that depth itself cannot overflow the stack. */
function measure(root: unknown, limits: typeof VERIFY_LIMITS): number {
  let nodes = 0;
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    nodes += 1;
    if (nodes > limits.maxNodes) throw new AppError('credential_too_complex', `the credential has more than ${limits.maxNodes} JSON values`);
    if (value && typeof value === 'object') {
      if (depth > limits.maxDepth) throw new AppError('json_too_deep', `the credential is nested more than ${limits.maxDepth} levels deep`);
      for (const child of Object.values(value as Record<string, unknown>)) stack.push([child, depth + 1]);
    }
  }
  return nodes;
}

function credentialOf(input: Input): Record<string, unknown> | undefined {
  if ('credential' in input) return input.credential;
  const decoded = decodeVcJwt(input.jwt);
  return decoded.ok ? decoded.credential : undefined;
}

/** The endorsements OB 3.0 §9.2 has a verifier check: on the credential, its issuer, its achievement and the achievement's creator. */
export function collectEndorsements(credential: Record<string, unknown>): Input[] {
  const subject = isObject(credential.credentialSubject) ? credential.credentialSubject : {};
  const achievement = subject.achievement;
  const holders = [credential, credential.issuer, achievement, isObject(achievement) ? achievement.creator : undefined].filter(isObject);
  return holders.flatMap((h) => [
    ...asArray(h.endorsement).filter(isObject).map((c) => ({ credential: c })),
    ...asArray(h.endorsementJwt).filter((j): j is string => typeof j === 'string').map((jwt) => ({ jwt })),
  ]);
}

/** Throws a 4xx AppError when the input is over a cap; returns the work units it will cost. */
export function assertWithinLimits(input: Input, limits: typeof VERIFY_LIMITS = VERIFY_LIMITS): number {
  const credential = credentialOf(input);
  if (!credential) return 1;
  const costOf = (c: Record<string, unknown>): number => {
    const proofs = asArray(c.proof).length;
    if (proofs > limits.maxProofs) throw new AppError('too_many_proofs', `a credential may carry at most ${limits.maxProofs} proofs; this one has ${proofs}`);
    const statuses = asArray(c.credentialStatus).length;
    if (statuses > limits.maxStatusEntries) throw new AppError('too_many_status_entries', `a credential may carry at most ${limits.maxStatusEntries} status entries; this one has ${statuses}`);
    return Math.max(1, proofs) + statuses;
  };
  const endorsements = collectEndorsements(credential);
  if (endorsements.length > limits.maxEndorsements) {
    throw new AppError('too_many_endorsements', `a credential may carry at most ${limits.maxEndorsements} endorsements; this one has ${endorsements.length}`);
  }
  let work = costOf(credential);
  let passes = measure(credential, limits) * (1 + asArray(credential.proof).length);
  for (const endorsement of endorsements) {
    const inner = credentialOf(endorsement);
    work += inner ? costOf(inner) : 1;
    if (inner) passes += measure(inner, limits) * (1 + asArray(inner.proof).length);
  }
  if (work > limits.maxWork) throw new AppError('verification_too_costly', `verifying this credential would take ${work} signature and status checks; the limit is ${limits.maxWork}`);
  if (passes > limits.maxValuePasses) {
    throw new AppError('verification_too_costly', `verifying this credential would read ${passes} JSON values (once per proof); the limit is ${limits.maxValuePasses}`);
  }
  return work;
}
