/**
 * Verification returns a report, it does not throw (OB 3.0 §9: each step is a check). A failing
 * credential is a normal answer; the HTTP layer answers 4xx only when the input cannot be read at all
 * or is over a cap.
 */
export const CHECK_IDS = [
  /** The input is a W3C Verifiable Credential: VCDM 2.0 or 1.1 envelope. */
  'format',
  /** Every @context is bundled (never fetched) and the document expands as JSON-LD in safe mode. */
  'contexts',
  /** Open Badges conformance: the 1EdTech JSON Schema and OB 3.0 rules, for documents that claim to be Open Badges. */
  'open_badge',
  /** Every cryptographic proof (each Data Integrity proof of a set, in `previousProof` order, or the VC-JWT). */
  'proof',
  /** Every signing key is listed by the issuer's own key material. */
  'issuer_key',
  /** validFrom/validUntil (1.1: issuanceDate/expirationDate), as signed. */
  'validity_period',
  /** Revocation and suspension (BitstringStatusListEntry, StatusList2021Entry, 1EdTechRevocationList), as signed. */
  'status',
  /** Optional: the recipient's e-mail against the hashed identity. */
  'recipient',
  /** Embedded endorsements, each verified as a document of its own. */
  'endorsements',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

/**
 * `unconfirmed`: nothing is known to be wrong, but something that matters could not be checked
 * (an issuer's host or a status list did not answer). `warning`: a note that does not change the verdict.
 */
export type CheckStatus = 'passed' | 'failed' | 'unconfirmed' | 'warning' | 'skipped';

/** Machine-readable reasons, stable across releases: pages and clients decide on these, not on messages. */
export const REASON_CODES = [
  // format
  'vc_2_0', 'vc_1_1', 'not_a_credential',
  // contexts
  'contexts_known', 'unknown_context', 'jsonld_invalid', 'no_ob_context',
  // open_badge
  'ob_conformant', 'ob_compacted', 'ob_schema_invalid', 'ob_no_subject_identifier', 'not_an_open_badge',
  // proof
  'signature_valid', 'signature_invalid', 'no_proof', 'unsupported_suite', 'wrong_purpose', 'malformed_proof', 'proof_expired',
  'previous_proof_missing', 'jwt_alg_not_allowed', 'jwt_claims_mismatch', 'jwt_malformed', 'key_material_unavailable',
  // issuer_key
  'key_bound', 'key_not_bound', 'key_unreachable', 'no_key',
  // validity_period
  'valid', 'expired', 'not_yet_valid', 'invalid_date',
  // status
  'not_revoked', 'revoked', 'suspended', 'status_unreachable', 'status_list_invalid', 'status_entry_invalid', 'status_unsupported', 'no_status',
  // recipient
  'recipient_matched', 'recipient_not_matched', 'no_email_identity', 'not_requested',
  // endorsements
  'endorsements_valid', 'endorsement_invalid', 'endorsement_unconfirmed', 'no_endorsements', 'nested_endorsements_not_checked',
  // any check that could not run because the document could not be read
  'not_checked',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export interface Check {
  id: CheckId;
  status: CheckStatus;
  code: ReasonCode;
  /** Plain language, for a person who is not a specialist. */
  message: string;
}

/** `verified`: every check passed. `unconfirmed`: nothing is wrong, but something could not be checked. `failed`: something is wrong. */
export type Verdict = 'verified' | 'unconfirmed' | 'failed';

/** What the document is: an Open Badge (OpenBadgeCredential/AchievementCredential), an OB endorsement, or another W3C credential. */
export type CredentialKind = 'open_badge' | 'endorsement' | 'verifiable_credential';

export type InputFormat = 'json' | 'jwt' | 'png' | 'svg';

/** What revocation looked like, when a status list answered. */
export interface StatusInfo {
  revoked: boolean;
  suspended?: boolean;
  /** Only for our own credentials: when it was revoked, and the reason if the provider published it. */
  revokedAt?: string;
  reason?: string;
  /** Only for our own credentials: since when it is suspended. */
  suspendedAt?: string;
}

export interface VerificationReport {
  verdict: Verdict;
  /** True only when the verdict is `verified`. */
  verified: boolean;
  kind?: CredentialKind;
  checks: Check[];
  /** The credential that was read (the JWT payload's credential for a VC-JWT). */
  credential?: Record<string, unknown>;
  /** How the credential arrived. */
  format?: InputFormat;
  /** Revocation details, when the status check ran. */
  status?: StatusInfo;
  /** The validity period as signed (the strictest reading when several values are signed). */
  validity?: { validFrom?: string; validUntil?: string };
}

export function verdictOf(checks: readonly Check[]): Verdict {
  if (checks.some((c) => c.status === 'failed')) return 'failed';
  if (checks.some((c) => c.status === 'unconfirmed')) return 'unconfirmed';
  return 'verified';
}
