import type { RequestHandler } from 'express';
import { AppError } from '../errors/errors.js';
import type { Caller, ProviderStore } from '../providers/api-keys.js';

/** Training providers authenticate with `Authorization: Bearer <API key>`. */
export function requireApiKey(providers: ProviderStore): RequestHandler {
  return (req, res, next) => {
    const header = req.get('authorization');
    const match = header ? /^Bearer[ ]+([^\s]+)\s*$/i.exec(header) : null;
    if (!match) {
      res.set('WWW-Authenticate', 'Bearer');
      next(new AppError('unauthorized', 'an API key is required: send "Authorization: Bearer <key>"'));
      return;
    }
    const caller = providers.authenticate(match[1]!);
    if (!caller) {
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

