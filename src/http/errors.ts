import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from '../errors/errors.js';
import type { Logger } from '../logger.js';

/** Errors raised by body-parser, mapped to our codes. */
function fromBodyParser(err: { type?: string; status?: number; limit?: number }): AppError | undefined {
  switch (err.type) {
    case 'entity.parse.failed':
      return new AppError('malformed_json', 'the request body is not valid JSON');
    case 'entity.too.large':
      return new AppError('payload_too_large', `the request body is larger than the limit of ${String(err.limit)} bytes`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('unsupported_media_type', 'the request body must be UTF-8 encoded JSON');
    case 'request.aborted':
      return new AppError('request_aborted', 'the client closed the connection before the body ended');
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new AppError('malformed_json', 'the request body could not be read');
    default:
      // Other client errors raised inside express (a malformed percent-encoding in the path, ...).
      if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
        return new AppError('bad_request', 'the request could not be read');
      }
      return undefined;
  }
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new AppError('not_found', `nothing is served at ${req.method} ${req.path}`));
};

/** The last handler: every error leaves as `{ error: { code, message, details? } }`; a 500 says nothing more. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const appError =
      err instanceof AppError ? err : fromBodyParser(err as { type?: string }) ?? undefined;
    if (appError) {
      res.status(appError.status).type('application/json').send(appError.toBody());
      return;
    }
    logger.error({ err, method: req.method, url: req.originalUrl.split(/[?#]/)[0] }, 'unhandled error');
    if (res.headersSent) return;
    res.status(500).json(new AppError('internal_error', 'the server could not complete the request').toBody());
  };
}
