import ipaddr from 'ipaddr.js';
import type { Request, RequestHandler, Response } from 'express';
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config, RateLimit } from '../config/config.js';
import { AppError } from '../errors/errors.js';

/**
 * Per-client rate limits. Counting, windows and expiry are rate-limiter-flexible's; this module only
 * maps its answers to HTTP. Counters live in this process's memory (`RateLimiterMemory`); when several
 * instances serve the same clients, swap the factory below for the library's PostgreSQL or Redis
 * limiter; the middleware stays as it is. The client is `req.ip` (the app trusts only a loopback proxy).
 */
type RateLimits = Config['rateLimits'];

/** One counter per client, `points` per `durationSeconds` window; undefined when limits are off. */
export function createLimiter(name: string, limit: RateLimit, enabled = true): RateLimiterAbstract | undefined {
  if (!enabled) return undefined;
  return new RateLimiterMemory({ keyPrefix: name, points: limit.points, duration: limit.durationSeconds });
}

/**
 * The client a limit counts: its IPv4 address, or the /64 of its IPv6 address, since one subscriber
 * is usually given a whole /64 (RFC 6177) and could otherwise start afresh with each address in it.
 */
export function clientOf(req: Pick<Request, 'ip' | 'socket'>): string {
  const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  return `${(parsed as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16)).join(':')}::/64`;
}

/** Whole seconds until the client's window ends, at least 1. */
const secondsLeft = (state: RateLimiterRes): number => Math.max(1, Math.ceil(state.msBeforeNext / 1000));

/** `RateLimit-*` fields (draft-ietf-httpapi-ratelimit-headers) and, when refused, `Retry-After`. */
function setHeaders(res: Response, limiter: RateLimiterAbstract, state: RateLimiterRes, refused: boolean): void {
  const seconds = secondsLeft(state);
  res.set('RateLimit-Limit', String(limiter.points));
  res.set('RateLimit-Remaining', String(refused ? 0 : state.remainingPoints));
  res.set('RateLimit-Reset', String(seconds));
  if (refused) res.set('Retry-After', String(seconds));
}

function refusal(res: Response, limiter: RateLimiterAbstract, state: RateLimiterRes, what: string): AppError {
  setHeaders(res, limiter, state, true);
  return new AppError('rate_limited', `too many ${what} from this client; try again in ${secondsLeft(state)} seconds`);
}

/**
 * Middleware that spends one point of `limiter` per request for which `applies` holds; past the limit
 * the request is refused with 429 `rate_limited`. `what` names the requests in the message.
 */
export function rateLimit(limiter: RateLimiterAbstract | undefined, what: string, applies: (req: Request) => boolean = () => true): RequestHandler {
  if (!limiter) return (_req, _res, next) => next();
  return (req, res, next) => {
    if (!applies(req)) return next();
    limiter.consume(clientOf(req)).then(
      (state) => {
        setHeaders(res, limiter, state, false);
        next();
      },
      (rejection: unknown) => next(rejection instanceof RateLimiterRes ? refusal(res, limiter, rejection, what) : rejection),
    );
  };
}

/** `POST /verify`: each verification may fetch keys and status lists and check signatures. */
export const verifyRateLimit = (limits: RateLimits): RequestHandler =>
  rateLimit(createLimiter('verify', limits.verify, limits.enabled), 'verification requests');

/**
 * A recipient check compares an e-mail address with a credential's hashed `identifier`, so unlimited
 * checks would let anyone test address lists against it. Mount on every path that takes an address:
 * a POST to `/credentials/:id/recipient-check`, or a page request carrying `?email=`.
 */
export const recipientCheckRateLimit = (limits: RateLimits): RequestHandler =>
  rateLimit(createLimiter('recipient-check', limits.recipientCheck, limits.enabled), 'recipient checks');

/**
 * Failed API-key attempts per client. A client that has used up its failures is refused before its
 * key is even looked at, so a valid key found by guessing is of no use until the window passes.
 * Successful requests spend nothing and reset nothing.
 */
export interface ApiKeyFailureLimit {
  /** Resolves to a 429 `rate_limited` error when the client has no failures left, else undefined. */
  check(req: Request, res: Response): Promise<AppError | undefined>;
  /** Records one failed attempt; resolves to a 429 error when that attempt was over the limit. */
  fail(req: Request, res: Response): Promise<AppError | undefined>;
}

export function createApiKeyFailureLimit(limits: RateLimits): ApiKeyFailureLimit | undefined {
  const limiter = createLimiter('api-key-failures', limits.apiKeyFailures, limits.enabled);
  if (!limiter) return undefined;
  const what = 'failed API-key attempts';
  return {
    async check(req, res) {
      const state = await limiter.get(clientOf(req));
      return state && state.consumedPoints >= limiter.points ? refusal(res, limiter, state, what) : undefined;
    },
    async fail(req, res) {
      try {
        setHeaders(res, limiter, await limiter.consume(clientOf(req)), false);
        return undefined;
      } catch (rejection) {
        // Only a concurrent burst gets here: `check` refuses once the points are spent.
        if (rejection instanceof RateLimiterRes) return refusal(res, limiter, rejection, what);
        throw rejection;
      }
    },
  };
}
