/**
 * Verification returns a report, it does not throw (OB 3.0 §9: each step is a check). A failing
 * credential is a normal answer; the HTTP layer answers 4xx only when the input cannot be read at all.
 */
export const CHECK_IDS = [
  /** The input is an OB 3.0 credential: VCDM 2.0 or 1.1 shape, OpenBadgeCredential/AchievementCredential type. */
  'format',
  /** Every @context is known and bundled (never fetched); JSON-LD expansion succeeds. */
  'contexts',
  /** The 1EdTech JSON Schema (credentialSchema, VCCS-10). */
  'schema',
  /** The cryptographic proof (Data Integrity or VC-JWT). */
  'proof',
  /** The signing key belongs to the issuer. */
  'issuer_key',
  /** validFrom/validUntil (or issuanceDate/expirationDate) against now. */
  'validity_period',
  /** Revocation (BitstringStatusListEntry, 1EdTechRevocationList). */
  'status',
  /** Optional: the recipient's e-mail against the hashed identity. */
  'recipient',
  /** Embedded endorsements, each verified in turn. */
  'endorsements',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export type CheckStatus = 'passed' | 'failed' | 'skipped' | 'warning';

export interface Check {
  id: CheckId;
  status: CheckStatus;
  /** Plain language, for a person who is not a specialist. */
  message: string;
}

export type InputFormat = 'json' | 'jwt' | 'png' | 'svg';

/** What revocation looked like, when a status list answered. */
export interface StatusInfo {
  revoked: boolean;
  /** Only for our own credentials: when it was revoked, and the reason if the provider published it. */
  revokedAt?: string;
  reason?: string;
}

export interface VerificationReport {
  /** True when no check failed (warnings and skipped checks do not stop a credential from verifying). */
  verified: boolean;
  checks: Check[];
  /** The credential that was read (the JWT payload's credential for a VC-JWT). */
  credential?: Record<string, unknown>;
  /** How the credential arrived. */
  format?: InputFormat;
  /** Revocation details, when the status check ran. */
  status?: StatusInfo;
}
