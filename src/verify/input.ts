import { detectImageFormat, isBakingError, unbakePng, unbakeSvg } from '../baking/index.js';
import { isCompactJws } from '../baking/payload.js';
import { AppError } from '../errors/errors.js';
import { assertJsonDepth } from '../json/limits.js';
import { MAX_CREDENTIAL_TEXT } from './bounds.js';
import type { InputFormat } from './report.js';
import type { VerifiableInput } from './verifier.js';

/**
 * Reads what someone wants verified: credential JSON, a compact JWS, or a PNG/SVG baked with either
 * (OB 3.0 §5.3). Only input that cannot be read at all is an error (a 4xx); everything else is
 * verified and reported.
 */
export function readVerificationInput(bytes: Buffer): { input: VerifiableInput; format: InputFormat } {
  if (bytes.length === 0) throw new AppError('unreadable_credential', 'nothing was given to verify');
  const image = detectImageFormat(bytes);
  if (image) {
    let text: string | undefined;
    try {
      if (image === 'png') text = unbakePng(bytes);
      else {
        const found = unbakeSvg(bytes.toString('utf8'));
        text = found ? ('jws' in found ? found.jws : found.json) : undefined;
      }
    } catch (e) {
      if (isBakingError(e)) {
        if (e.code === 'multiple_credentials') throw new AppError('multiple_credentials', `the ${image.toUpperCase()} holds more than one credential, so none can be trusted`);
        throw new AppError('unreadable_credential', `the ${image.toUpperCase()} image could not be read: ${e.message}`);
      }
      throw e;
    }
    if (text === undefined) throw new AppError('no_credential_in_image', `the ${image.toUpperCase()} image holds no Open Badges 3.0 credential`);
    if (Buffer.byteLength(text) > MAX_CREDENTIAL_TEXT) {
      throw new AppError('payload_too_large', `the credential baked in the ${image.toUpperCase()} is larger than ${MAX_CREDENTIAL_TEXT} bytes`);
    }
    return { input: parseText(text), format: image };
  }
  const text = bytes.toString('utf8');
  const input = parseText(text);
  return { input, format: 'jwt' in input ? 'jwt' : 'json' };
}

const UNSECURED_JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.$/;

/** Credential JSON or a compact JWS, from text. */
export function parseText(raw: string): VerifiableInput {
  const text = raw.replace(/^\uFEFF/, '').trim();
  // An unsecured JWT (`alg: none`, RFC 7519 §6) has an empty signature: it is read so that the
  // report can say why it is refused, rather than calling it unreadable.
  if (isCompactJws(text) || UNSECURED_JWT.test(text)) return { jwt: text };
  if (text.startsWith('{')) {
    // Before JSON.parse, so that no deep value is ever built (a baked image can carry any text).
    assertJsonDepth(text);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new AppError('unreadable_credential', 'the text is not valid JSON');
    }
    if (value && typeof value === 'object' && !Array.isArray(value)) return { credential: value as Record<string, unknown> };
  }
  throw new AppError('unreadable_credential', 'this is neither a credential (JSON), a VC-JWT, nor a PNG or SVG badge image');
}
