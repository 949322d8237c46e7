import { createHmac, timingSafeEqual } from 'node:crypto';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import type { Request, RequestHandler, Response } from 'express';
import { can, SESSION_MAX_MS, type Accounts, type Permission, type SignedIn } from '../../accounts/accounts.js';
import { AppError } from '../../errors/errors.js';

/**
 * Console sessions ride in one cookie: HttpOnly, SameSite=Lax, Secure and `__Host-` prefixed when
 * the service is on https (it cannot then be set by another subdomain or over http). Every state-
 * changing console request must come from this origin (Origin / Sec-Fetch-Site) and carry the
 * session's CSRF token: an HMAC of the session under a secret of the instance, so it needs no storage.
 */
export interface ConsoleSessions {
  cookieName: string;
  /** The signed-in person, when the request carries a live session (memoised per request). */
  signedIn(req: Request): Promise<SignedIn | undefined>;
  start(res: Response, token: string): void;
  end(req: Request, res: Response): Promise<void>;
  csrfToken(signedIn: SignedIn): string;
  /** Refuses a POST from another origin, or without the session's CSRF token in the form field `_csrf`. */
  checkForm(req: Request, signedIn: SignedIn | undefined): void;
}

const SIGNED_IN = Symbol('signedIn');

export function createConsoleSessions({ accounts, publicUrl, csrfSecret }: { accounts: Accounts; publicUrl: string; csrfSecret: Buffer }): ConsoleSessions {
  const secure = publicUrl.startsWith('https://');
  const cookieName = secure ? '__Host-console' : 'console';
  const origin = new URL(publicUrl).origin;
  const tokenOf = (req: Request): string | undefined => parseCookies(req.headers.cookie ?? '')[cookieName];
  const csrfToken = (signedIn: SignedIn) => createHmac('sha256', csrfSecret).update(signedIn.session.id).digest('base64url');

  return {
    cookieName,
    signedIn(req) {
      const memo = req as Request & { [SIGNED_IN]?: Promise<SignedIn | undefined> };
      if (!memo[SIGNED_IN]) {
        const token = tokenOf(req);
        memo[SIGNED_IN] = token ? accounts.resolveSession(token) : Promise.resolve(undefined);
      }
      return memo[SIGNED_IN];
    },
    start(res, token) {
      res.append('Set-Cookie', serializeCookie(cookieName, token, { httpOnly: true, secure, sameSite: 'lax', path: '/', maxAge: SESSION_MAX_MS / 1000 }));
    },
    async end(req, res) {
      const token = tokenOf(req);
      if (token) await accounts.endSession(token);
      res.append('Set-Cookie', serializeCookie(cookieName, '', { httpOnly: true, secure, sameSite: 'lax', path: '/', maxAge: 0 }));
    },
    csrfToken,
    checkForm(req, signedIn) {
      const from = req.get('origin');
      const site = req.get('sec-fetch-site');
      if ((from !== undefined && from !== origin) || (site !== undefined && site !== 'same-origin' && site !== 'none')) {
        throw new AppError('csrf_failed', 'this form was sent from another site; open the page again and send it from there');
      }
      if (!signedIn) return;
      const sent = typeof (req.body as Record<string, unknown> | undefined)?._csrf === 'string' ? String((req.body as Record<string, unknown>)._csrf) : '';
      const expected = Buffer.from(csrfToken(signedIn));
      const given = Buffer.from(sent);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new AppError('csrf_failed', 'this form has expired; open the page again and send it from there');
      }
    },
  };
}

/** What a signed-in console route works with. */
export interface ConsoleUser extends SignedIn {
  current: NonNullable<SignedIn['current']>;
}

/**
 * Pages for signed-in people with a permission in their current organisation. Someone not signed in is
 * sent to the sign-in page (and back afterwards); someone without the permission gets a 403.
 */
export function requireConsole(sessions: ConsoleSessions, permission: Permission = 'view'): RequestHandler {
  return async (req, res, next) => {
    try {
      const signedIn = await sessions.signedIn(req);
      if (!signedIn) {
        if (req.method === 'GET') return res.redirect(303, `/console/sign-in?next=${encodeURIComponent(req.originalUrl)}`);
        throw new AppError('unauthorized', 'your session has ended: sign in again');
      }
      if (!signedIn.current) throw new AppError('forbidden', 'you do not belong to any organisation yet');
      if (!can(signedIn.current.role, permission)) throw new AppError('forbidden', `your role (${signedIn.current.role}) does not allow this`);
      if (req.method !== 'GET' && req.method !== 'HEAD') sessions.checkForm(req, signedIn);
      res.locals.console = signedIn;
      next();
    } catch (e) {
      next(e);
    }
  };
}

export const consoleUserOf = (res: Response): ConsoleUser => {
  const user = res.locals.console as ConsoleUser | undefined;
  if (!user) throw new Error('route is missing requireConsole');
  return user;
};
