import type { Request, RequestHandler } from 'express';
import { AppError } from '../../errors/errors.js';
import { readMultipart, type MultipartLimits } from '../raw-body.js';

/**
 * A console form sent as multipart (it may carry a file), parsed before the session's checks read
 * its CSRF field: the fields become `req.body`, the files `filesOf(req)`.
 */
export function multipartForm(limits: MultipartLimits): RequestHandler {
  return (req, _res, next) => {
    if (!req.is('multipart/form-data')) return next(new AppError('unsupported_media_type', 'this form is sent as multipart/form-data'));
    readMultipart(req, limits).then(({ fields, files }) => {
      req.body = fields;
      (req as Request & { files?: Record<string, Buffer> }).files = files;
      next();
    }, next);
  };
}

export const filesOf = (req: Request): Record<string, Buffer> => (req as Request & { files?: Record<string, Buffer> }).files ?? {};
