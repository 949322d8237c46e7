import { BakingError } from './errors.js';

/** Compact JWS: three base64url segments (RFC 7515 §7.1); the payload segment may be empty (detached). */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/;

export function isCompactJws(text: string): boolean {
  return COMPACT_JWS.test(text);
}

/** Credential JSON with an embedded proof must be a JSON object. */
export function isCredentialJson(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

export function assertCompactJws(jws: string): void {
  if (!isCompactJws(jws)) throw new BakingError('invalid_payload', 'the payload is not a compact JWS (three base64url parts joined by ".")');
}

export function assertCredentialJson(json: string): void {
  if (!isCredentialJson(json)) throw new BakingError('invalid_payload', 'the payload is not a JSON object');
}

/** OB 3.0 §5.3: what is baked is either a compact JWS (VC-JWT) or the credential JSON (embedded proof). */
export function assertPayload(payload: string): void {
  if (!isCompactJws(payload) && !isCredentialJson(payload)) {
    throw new BakingError('invalid_payload', 'the payload is neither credential JSON nor a compact JWS');
  }
}
