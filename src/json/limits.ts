import { AppError } from '../errors/errors.js';

/**
 * How deeply objects and arrays may nest in JSON we accept. A credential nests about eight levels
 * (credentialSubject.achievement.criteria, proof, ...); 64 leaves room for any extension while
 * keeping every recursive walk downstream (JSON-LD expansion, canonicalization, zod, stringify)
 * far from the stack limit, which tens of thousands of levels reach.
 */
export const MAX_JSON_DEPTH = 64;

const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/**
 * The deepest nesting of `{` and `[` in JSON text, counted without parsing and without recursion,
 * so it is safe on any input. Brackets inside strings do not count. The text is not validated:
 * on malformed text the count is still an upper bound worth refusing on, and JSON.parse reports
 * the syntax error afterwards. Stops early once the depth passes `stopAbove`.
 *
 * A Buffer is scanned as bytes: in UTF-8 every byte of a multi-byte character is ≥ 0x80, so it
 * can never be mistaken for a bracket, quote or backslash.
 */
export function maxJsonDepth(text: string | Uint8Array, stopAbove = Number.POSITIVE_INFINITY): number {
  const at = typeof text === 'string' ? (i: number) => text.charCodeAt(i) : (i: number) => text[i]!;
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = at(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > max) {
        max = depth;
        if (max > stopAbove) return max;
      }
    } else if ((c === CLOSE_OBJECT || c === CLOSE_ARRAY) && depth > 0) {
      // Never below zero: stray closers first must not hide the openers after them.
      depth--;
    }
  }
  return max;
}

/**
 * Refuses JSON text nested deeper than `limit`, before anything parses or walks it.
 *
 * The code is `json_too_deep` with status 400, not 422: the body is refused for its shape as
 * text, before its meaning is looked at, like `malformed_json`; 422 is kept for input that was
 * read and found wrong (`validation_failed`, `unreadable_credential`).
 */
export function assertJsonDepth(text: string | Uint8Array, limit = MAX_JSON_DEPTH): void {
  if (maxJsonDepth(text, limit) > limit) {
    throw new AppError('json_too_deep', `the JSON nests objects and arrays more than ${limit} levels deep`);
  }
}
