/**
 * Every error the service reports has a stable code. The table below maps each code to its HTTP
 * status, so the compiler rejects a code without one. Bodies are `{ error: { code, message, details? } }`.
 */
export const ERROR_STATUS = {
  bad_request: 400,
  malformed_json: 400,
  /** JSON nested deeper than MAX_JSON_DEPTH (src/json/limits.ts): refused as text, before parsing, like malformed_json. */
  json_too_deep: 400,
  /** The client closed the connection before the body ended; nobody reads the answer, the code is for the logs. */
  request_aborted: 400,
  invalid_header: 400,
  unauthorized: 401,
  invalid_api_key: 401,
  badge_class_not_allowed: 403,
  /** A console action the person's role does not allow, or an API call the key's scope does not. */
  forbidden: 403,
  /** A badge class the organisation may award (shared with it, or opened to it) but not change: only its owner may. */
  badge_class_not_owned: 403,
  /** A console form sent from another site, or without its session's token. */
  csrf_failed: 403,
  not_credential_issuer: 403,
  not_found: 404,
  credential_not_found: 404,
  badge_class_not_found: 404,
  organisation_not_found: 404,
  issuance_job_not_found: 404,
  pathway_not_found: 404,
  /** An organisation's competence framework it does not have (frameworks/store.ts). */
  framework_not_found: 404,
  questionnaire_not_found: 404,
  endorsement_not_found: 404,
  /** A kept self-assessment result that was deleted, expired or never existed. */
  profile_result_not_found: 404,
  /** A learner's completion of a pathway, awaiting approval or decided. */
  completion_not_found: 404,
  method_not_allowed: 405,
  not_acceptable: 406,
  idempotency_key_reused: 409,
  credential_not_revocable: 409,
  /** A credential already corrected by a re-issue: the correction is re-issued, not the original. */
  credential_replaced: 409,
  /** A credential already renewed: the renewal is renewed, not the one before. */
  credential_renewed: 409,
  /** A credential that does not expire has nothing to renew. */
  credential_not_renewable: 409,
  /** The issuer has not given what a European Digital Credential must state (its country, a legal identifier). */
  europass_unavailable: 409,
  organisation_exists: 409,
  badge_class_exists: 409,
  pathway_exists: 409,
  framework_exists: 409,
  framework_changed: 409,
  questionnaire_exists: 409,
  /** A second endorsement of the same badge class or organisation by one organisation. */
  endorsement_exists: 409,
  /** An endorsement withdrawn by its issuer: no longer served. */
  endorsement_withdrawn: 410,
  questionnaire_changed: 409,
  /** A pathway edited from a version that is no longer its current one. */
  pathway_changed: 409,
  /** Approving or declining a completion that someone already decided. */
  completion_decided: 409,
  /** A badge class edited from a version that is no longer its current one. */
  badge_class_changed: 409,
  /** A spreadsheet job confirmed or cancelled when it no longer can be (already confirmed, done or cancelled). */
  issuance_job_state: 409,
  /** Reinstating a credential that is not suspended. */
  credential_not_suspended: 409,
  /** A suspended credential has no printable certificate while it is suspended; it may be reinstated, hence 409, not 410. */
  credential_suspended: 409,
  /** A revoked credential has no printable certificate, and cannot be suspended or reinstated; revocation is final, hence 410 Gone. */
  credential_revoked: 410,
  /** Erased on request (GDPR Art. 17): its document and the learner's data are gone for good. */
  credential_erased: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  /** A change that must name the version it was made from (If-Match) and did not. */
  precondition_required: 428,
  validation_failed: 422,
  unreadable_credential: 422,
  no_credential_in_image: 422,
  multiple_credentials: 422,
  unknown_badge_class: 422,
  badge_class_archived: 422,
  /** A spreadsheet that cannot be read as CSV, has no e-mail column, or too many rows. */
  spreadsheet_unreadable: 422,
  /** A spreadsheet job confirmed with no row that can be issued. */
  nothing_to_issue: 422,
  /** Caps on one verification (src/verify/bounds.ts, docs/security.md). */
  credential_too_complex: 422,
  too_many_proofs: 422,
  too_many_endorsements: 422,
  too_many_status_entries: 422,
  verification_too_costly: 422,
  rate_limited: 429,
  internal_error: 500,
  /** The verifier's queue of work is full. */
  service_busy: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorDetail {
  /** Path of the offending field, e.g. `recipient.email` or `awards[3].badgeClass`. */
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetail[] | undefined;

  constructor(code: ErrorCode, message: string, details?: ErrorDetail[]) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toBody(): { error: { code: ErrorCode; message: string; details?: ErrorDetail[] } } {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
