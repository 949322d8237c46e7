import express, { Router, type Request } from 'express';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { createHash } from 'node:crypto';
import type { AppContext } from '../../app-context.js';
import { AppError } from '../../errors/errors.js';
import { renderInvitation, renderNewPassword, renderResetRequest, renderSignIn } from '../../pages/console/auth-pages.js';
import { CONSOLE_MESSAGES } from '../../pages/console/i18n.js';
import { sendConsolePage as sendPage } from '../pages.js';
import { clientOf, createLimiter } from '../rate-limit.js';
import { consoleLanguage } from './language.js';
import type { ConsoleSessions } from './session.js';

/** Where to go after signing in: only a console path of this site. */
const safeNext = (value: unknown): string => (typeof value === 'string' && /^\/console(?:[/?#]|$)/.test(value) && !value.startsWith('//') ? value : '/console');
const text = (body: unknown, name: string): string => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
};

/**
 * Signing in and out, password resets and invitations. Failed sign-ins are limited per client and per
 * account (`RATE_LIMIT_SIGN_IN`), so passwords cannot be guessed at speed from one place or against one
 * person from many.
 */
export function createConsoleAuthRouter(ctx: AppContext, sessions: ConsoleSessions): Router {
  const router = Router();
  const { accounts } = ctx;
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 });
  const perClient = createLimiter('sign-in-client', ctx.config.rateLimits.signIn, ctx.config.rateLimits.enabled);
  const perAccount = createLimiter('sign-in-account', ctx.config.rateLimits.signIn, ctx.config.rateLimits.enabled);
  const accountKey = (email: string) => createHash('sha256').update(email.trim().toLowerCase()).digest('hex');

  /** Minutes until the client or the account may try again, when either has no attempts left. */
  async function lockedFor(req: Request, email: string): Promise<number | undefined> {
    const states = await Promise.all([perClient?.get(clientOf(req)), email ? perAccount?.get(accountKey(email)) : undefined]);
    const limiters = [perClient, perAccount];
    const locked = states.map((s, i) => (s && limiters[i] && s.consumedPoints >= limiters[i]!.points ? s.msBeforeNext : 0)).reduce((a, b) => Math.max(a, b), 0);
    return locked > 0 ? Math.ceil(locked / 60_000) : undefined;
  }
  async function recordFailure(req: Request, email: string): Promise<void> {
    const spend = async (limiter: typeof perClient, key: string) => {
      try {
        await limiter?.consume(key);
      } catch (e) {
        if (!(e instanceof RateLimiterRes)) throw e;
      }
    };
    await Promise.all([spend(perClient, clientOf(req)), email ? spend(perAccount, accountKey(email)) : undefined]);
  }

  router.get('/sign-in', async (req, res) => {
    const lang = consoleLanguage(req);
    if (await sessions.signedIn(req)) return res.redirect(303, safeNext(req.query.next));
    sendPage(res, renderSignIn({ lang }, { next: safeNext(req.query.next) }), lang);
  });

  router.post('/sign-in', form, async (req, res) => {
    const lang = consoleLanguage(req);
    sessions.checkForm(req, undefined);
    const email = text(req.body, 'email').trim();
    const next = safeNext(text(req.body, 'next'));
    const limited = await lockedFor(req, email);
    if (limited) return sendPage(res.status(429).set('Retry-After', String(limited * 60)), renderSignIn({ lang }, { email, next, limitedMinutes: limited }), lang);
    const user = email ? await accounts.signIn(email, text(req.body, 'password')) : undefined;
    if (!user) {
      await recordFailure(req, email);
      return sendPage(res.status(401), renderSignIn({ lang }, { email, next, failed: true }), lang);
    }
    const { token } = await accounts.startSession(user);
    sessions.start(res, token);
    res.redirect(303, next);
  });

  router.post('/sign-out', form, async (req, res) => {
    const signedIn = await sessions.signedIn(req);
    sessions.checkForm(req, signedIn);
    await sessions.end(req, res);
    res.redirect(303, '/console/sign-in');
  });

  router.get('/reset', (req, res) => {
    const lang = consoleLanguage(req);
    sendPage(res, renderResetRequest({ lang }, {}), lang);
  });

  router.post('/reset', form, async (req, res) => {
    const lang = consoleLanguage(req);
    sessions.checkForm(req, undefined);
    const email = text(req.body, 'email');
    // The same answer whether or not the address has an account.
    const limited = await lockedFor(req, email);
    if (!limited && email) {
      const reset = await accounts.requestPasswordReset(email);
      if (reset) await ctx.mail.passwordReset({ to: reset.user.email, link: reset.link, expiresAt: reset.expiresAt, language: reset.user.language });
      await recordFailure(req, email);
    }
    sendPage(res, renderResetRequest({ lang }, { sent: true }), lang);
  });

  router.get('/reset/:token', async (req, res) => {
    const lang = consoleLanguage(req);
    const token = String(req.params.token);
    sendPage(res, renderNewPassword({ lang }, { token, expired: !(await accounts.passwordReset(token)) }), lang);
  });

  router.post('/reset/:token', form, async (req, res) => {
    const lang = consoleLanguage(req);
    sessions.checkForm(req, undefined);
    const token = String(req.params.token);
    try {
      await accounts.resetPassword(token, text(req.body, 'password'));
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      const problem = e.details?.find((d) => d.path === 'password')?.message;
      return sendPage(res.status(422), renderNewPassword({ lang }, { token, ...(problem ? { problem } : { expired: true }) }), lang);
    }
    sendPage(res, renderSignIn({ lang }, { message: CONSOLE_MESSAGES[lang].passwordSaved }), lang);
  });

  router.get('/invitations/:token', async (req, res) => {
    const lang = consoleLanguage(req);
    const token = String(req.params.token);
    const invitation = await accounts.invitation(token);
    const org = invitation?.orgId ? await ctx.organisations.get(invitation.orgId) : undefined;
    if (!invitation || !org || !invitation.role) return sendPage(res.status(410), renderInvitation({ lang }, { token, expired: true }), lang);
    sendPage(res, renderInvitation({ lang }, { token, organisation: org.name, role: invitation.role, email: invitation.email }), lang);
  });

  router.post('/invitations/:token', form, async (req, res) => {
    const lang = consoleLanguage(req);
    sessions.checkForm(req, undefined);
    const token = String(req.params.token);
    const invitation = await accounts.invitation(token);
    const org = invitation?.orgId ? await ctx.organisations.get(invitation.orgId) : undefined;
    if (!invitation || !org || !invitation.role) return sendPage(res.status(410), renderInvitation({ lang }, { token, expired: true }), lang);
    const name = text(req.body, 'name');
    try {
      const user = await accounts.acceptInvitation(token, { name, password: text(req.body, 'password'), email: text(req.body, 'email'), language: lang });
      const { token: session } = await accounts.startSession(user);
      sessions.start(res, session);
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'validation_failed') throw e;
      const problem = e.details?.find((d) => d.path === 'password')?.message;
      return sendPage(res.status(422), renderInvitation({ lang }, { token, organisation: org.name, role: invitation.role, email: invitation.email, name, ...(problem ? { problem } : {}) }), lang);
    }
    res.redirect(303, '/console');
  });

  return router;
}
