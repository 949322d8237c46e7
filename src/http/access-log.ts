import type { RequestHandler } from 'express';
import type { Logger } from '../logger.js';

/** `/credentials/x?email=…` → `/credentials/x`: what a log line may say of a URL. */
export const pathOnly = (url: string | undefined): string => (url ?? '').split(/[?#]/)[0] ?? '';

/**
 * One JSON line per request at `info`: the method and path only (no query string, which could carry
 * an e-mail address, and no headers: cookies, keys), the status and the time taken. A request whose
 * client went away before the answer was written is logged at `warn`. Below `info` it costs nothing.
 */
export function accessLog(logger: Logger): RequestHandler {
  let counter = 0;
  return (req, res, next) => {
    if (!logger.isLevelEnabled('info') || req.url === '/health') return next();
    const started = performance.now();
    const id = ++counter;
    const request = { id, method: req.method, url: pathOnly(req.originalUrl) };
    res.once('close', () => {
      const responseTime = Math.round(performance.now() - started);
      if (res.writableFinished) logger.info({ req: request, res: { statusCode: res.statusCode }, responseTime }, 'request completed');
      else logger.warn({ req: request, responseTime }, 'request aborted');
    });
    next();
  };
}
