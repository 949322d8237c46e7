import type { RequestHandler } from 'express';
import { AppError } from '../errors/errors.js';
import type { Caller, ApiKeyStore } from '../organisations/api-keys.js';
import type { ApiKeyFailureLimit } from './rate-limit.js';

/**
 * Training providers authenticate with `Authorization: Bearer <API key>`. With `failures`, a client
 * that has sent too many wrong keys is refused (429) whatever key it sends, until its window passes.
 */
export function requireApiKey(apiKeys: ApiKeyStore, failures?: ApiKeyFailureLimit): RequestHandler {
  return async (req, res, next) => {
    const locked = await failures?.check(req, res);
    if (locked) return next(locked);
    const header = req.get('authorization');
    const match = header ? /^Bearer[ ]+([^\s]+)\s*$/i.exec(header) : null;
    if (!match) {
      res.set('WWW-Authenticate', 'Bearer');
      next(new AppError('unauthorized', 'an API key is required: send "Authorization: Bearer <key>"'));
      return;
    }
    const caller = await apiKeys.authenticate(match[1]!);
    if (!caller) {
      const overLimit = await failures?.fail(req, res);
      if (overLimit) return next(overLimit);
      res.set('WWW-Authenticate', 'Bearer error="invalid_token"');
      next(new AppError('invalid_api_key', 'the API key is not valid'));
      return;
    }
    res.locals.caller = caller;
    next();
  };
}

export function callerOf(res: { locals: Record<string, unknown> }): Caller {
  const caller = res.locals.caller as Caller | undefined;
  if (!caller) throw new Error('route is missing requireApiKey');
  return caller;
}

