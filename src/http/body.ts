import express, { type RequestHandler } from 'express';
import { AppError } from '../errors/errors.js';

const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * JSON bodies only, UTF-8, up to `limit`. A body with another media type is a 415, not an empty
 * object; malformed JSON and oversize bodies become 400 and 413 in the error handler.
 */
export function jsonBody(limit: string): RequestHandler {
  const parse = express.json({ limit, strict: true, type: JSON_TYPES });
  return (req, res, next) => {
    if (!req.is(JSON_TYPES)) {
      next(new AppError('unsupported_media_type', 'the request body must be JSON (Content-Type: application/json)'));
      return;
    }
    parse(req, res, next);
  };
}
