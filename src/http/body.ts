import express, { type RequestHandler } from 'express';
import { AppError } from '../errors/errors.js';
import { assertJsonDepth } from '../json/limits.js';

const JSON_TYPES = ['application/json', 'application/*+json'];

/** Marks the error thrown from body-parser's verify hook, so it can be told apart from the parser's own. */
const TOO_DEEP = 'json.too.deep';

/**
 * The body as the scanner should see it. UTF-8 is scanned as bytes; in UTF-16 the bytes of one
 * character can look like a bracket or a quote, so other charsets are decoded first.
 */
function asText(buf: Buffer, encoding: string): Buffer | string {
  if (/^utf-?8$/i.test(encoding)) return buf;
  try {
    return new TextDecoder(encoding).decode(buf);
  } catch {
    // A charset TextDecoder lacks (UTF-32): the bytes still hold every ASCII bracket.
    return buf;
  }
}

/**
 * JSON bodies only, UTF-8, up to `limit`, nested at most MAX_JSON_DEPTH levels. A body with
 * another media type is a 415, not an empty object; malformed JSON and oversize bodies become
 * 400 and 413 in the error handler; a body nested too deep is a 400 `json_too_deep`.
 */
export function jsonBody(limit: string): RequestHandler {
  const parse = express.json({
    limit,
    strict: true,
    type: JSON_TYPES,
    // Runs on the raw bytes before JSON.parse, so no deep value is ever built. It throws a plain
    // Error, not an AppError: body-parser passes the error through http-errors, which assigns
    // `status` and would throw on AppError's getter, inside a stream callback.
    verify: (_req, _res, buf, encoding) => {
      try {
        assertJsonDepth(asText(buf, encoding));
      } catch (e) {
        throw Object.assign(new Error('the JSON nests too deep'), { type: TOO_DEEP, cause: e });
      }
    },
  });
  return (req, res, next) => {
    if (!req.is(JSON_TYPES)) {
      next(new AppError('unsupported_media_type', 'the request body must be JSON (Content-Type: application/json)'));
      return;
    }
    parse(req, res, (err?: unknown) => {
      const signal = err as { type?: unknown; cause?: unknown } | undefined;
      next(signal?.type === TOO_DEEP ? signal.cause : err);
    });
  };
}
