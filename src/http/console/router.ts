import { createConsoleEndorsementRouter } from './endorsement-routes.js';
import { createConsoleFrameworkRouter } from './framework-routes.js';
import { createConsoleQuestionnaireRouter } from './questionnaire-routes.js';
import { createConsolePathwayRouter } from './pathway-routes.js';
import express, { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import type { AppContext } from '../../app-context.js';
import type { Language } from '../../badge-classes/schema.js';
import type { Role } from '../../db/repositories.js';
import { AppError } from '../../errors/errors.js';
import { ALL_BADGE_CLASSES } from '../../organisations/api-keys.js';
import { CONSOLE_MESSAGES } from '../../pages/console/i18n.js';
import type { ConsoleFrame } from '../../pages/console/layout.js';
import { renderConsoleError } from '../../pages/console/auth-pages.js';
import { renderApiKeys, renderAudit, renderHome, renderPeople } from '../../pages/console/organisation-pages.js';
import { queryLanguage } from '../../pages/i18n.js';
import { sendConsolePage as sendPage } from '../pages.js';
import { createConsoleAuthRouter } from './auth-routes.js';
import { createConsoleAwardRouter } from './award-routes.js';
import { createConsoleAwardsRouter } from './awards-routes.js';
import { createConsoleBadgeClassRouter } from './badge-class-routes.js';
import { createConsoleJobsRouter } from './jobs-routes.js';
import { createConsoleCorrectionRouter } from './correction-routes.js';
import { createConsoleSettingsRouter } from './settings-routes.js';
import { consoleLanguage } from './language.js';
import { consoleUserOf, createConsoleSessions, requireConsole, type ConsoleSessions, type ConsoleUser } from './session.js';

const ROLE_VALUES: readonly Role[] = ['owner', 'issuer', 'viewer'];
const text = (body: unknown, name: string): string => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value.trim() : '';
};

/**
 * The console at /console: server-rendered pages for the people of an organisation. Reading pages need
 * the `view` permission; each section that changes something asks for its own (roles: accounts.ts).
 */
export function createConsoleRouter(ctx: AppContext, sessions: ConsoleSessions = createConsoleSessions({ accounts: ctx.accounts, publicUrl: ctx.config.publicUrl, csrfSecret: ctx.secrets.csrf })): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 50 });
  router.use(createConsoleAuthRouter(ctx, sessions));

  /** The page language: `?lang=` (remembered for the person), else theirs. */
  function languageOf(req: Request, user: ConsoleUser): Language {
    const asked = queryLanguage(req.query);
    if (asked && asked !== user.user.language) void ctx.accounts.setLanguage(user.user.id, asked).catch(() => undefined);
    return asked ?? (queryLanguage(user.user.language) || consoleLanguage(req));
  }
  const frameOf = (req: Request, res: Response): ConsoleFrame => {
    const user = consoleUserOf(res);
    return {
      lang: languageOf(req, user),
      user: {
        name: user.user.name,
        role: user.current.role,
        orgId: user.current.orgId,
        orgName: user.current.orgName,
        memberships: user.memberships.map((m) => ({ orgId: m.orgId, orgName: m.orgName })),
        csrf: sessions.csrfToken(user),
      },
    };
  };
  const actor = (res: Response) => `user:${consoleUserOf(res).user.id}`;
  router.use('/badge-classes', createConsoleBadgeClassRouter(ctx, sessions, frameOf));
  router.use('/pathways', createConsolePathwayRouter(ctx, sessions, frameOf));
  router.use('/questionnaires', createConsoleQuestionnaireRouter(ctx, sessions, frameOf));
  router.use('/award', createConsoleAwardRouter(ctx, sessions, frameOf));
  router.use(createConsoleJobsRouter(ctx, sessions, frameOf));
  router.use(createConsoleAwardsRouter(ctx, sessions, frameOf));
  router.use(createConsoleCorrectionRouter(ctx, sessions, frameOf));
  router.use('/settings', createConsoleSettingsRouter(ctx, sessions, frameOf));
  router.use('/endorsements', createConsoleEndorsementRouter(ctx, sessions, frameOf));
  router.use('/frameworks', createConsoleFrameworkRouter(ctx, sessions, frameOf));

  router.get('/', requireConsole(sessions), async (req, res) => {
    const frame = frameOf(req, res);
    const orgId = consoleUserOf(res).current.orgId;
    const org = await ctx.organisations.get(orgId);
    // Only the organisation's own credentials are counted: its awards, and the views, downloads and verifications of those.
    const counts = await ctx.usage.statsOf(orgId);
    const named = counts.map((c) => {
      const entry = ctx.catalog.get(c.badgeClass);
      return { ...c, name: entry ? (entry.badgeClass.name[frame.lang] ?? entry.badgeClass.name.en) : c.badgeClass };
    });
    sendPage(res, renderHome(frame, { did: org?.did ?? '', counts: named }), frame.lang);
  });

  router.post('/organisation', form, requireConsole(sessions), async (req, res) => {
    await ctx.accounts.switchOrganisation(consoleUserOf(res), text(req.body, 'orgId'));
    res.redirect(303, '/console');
  });

  // People (owners).
  const peoplePage = async (req: Request, res: Response, extra: Partial<Parameters<typeof renderPeople>[1]> = {}, status = 200) => {
    const frame = frameOf(req, res);
    const user = consoleUserOf(res);
    const [members, pending] = await Promise.all([ctx.accounts.members(user.current.orgId), ctx.accounts.pendingInvitations(user.current.orgId)]);
    sendPage(res.status(status), renderPeople(frame, { userId: user.user.id, members, pending, ...extra }), frame.lang);
  };
  router.get('/people', requireConsole(sessions, 'people'), (req, res) => peoplePage(req, res));
  router.post('/people/invite', form, requireConsole(sessions, 'people'), async (req, res) => {
    const t = CONSOLE_MESSAGES[frameOf(req, res).lang];
    const email = text(req.body, 'email');
    const role = text(req.body, 'role') as Role;
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 320) return peoplePage(req, res, { form: { email, role, emailError: t.invalidEmail } }, 422);
    if (!ROLE_VALUES.includes(role)) throw new AppError('validation_failed', 'unknown role', [{ path: 'role', message: 'must be owner, issuer or viewer' }]);
    const user = consoleUserOf(res);
    const invitation = await ctx.accounts.invite({ orgId: user.current.orgId, email, role, by: actor(res) });
    await ctx.mail.invitation({ to: invitation.email, link: invitation.link, expiresAt: invitation.expiresAt, orgId: user.current.orgId, organisation: user.current.orgName, role, language: frameOf(req, res).lang, inviter: user.user.name });
    await peoplePage(req, res, { invited: { email: invitation.email, link: invitation.link } });
  });
  router.post('/people/:userId/role', form, requireConsole(sessions, 'people'), async (req, res) => {
    const role = text(req.body, 'role') as Role;
    if (!ROLE_VALUES.includes(role)) throw new AppError('validation_failed', 'unknown role', [{ path: 'role', message: 'must be owner, issuer or viewer' }]);
    const t = CONSOLE_MESSAGES[frameOf(req, res).lang];
    try {
      await ctx.accounts.setRole(consoleUserOf(res).current.orgId, String(req.params.userId), role, actor(res));
    } catch (e) {
      if (e instanceof AppError && e.code === 'validation_failed') return peoplePage(req, res, { error: e.message }, 422);
      throw e;
    }
    await peoplePage(req, res, { done: t.roleChanged });
  });
  router.post('/people/:userId/remove', form, requireConsole(sessions, 'people'), async (req, res) => {
    const t = CONSOLE_MESSAGES[frameOf(req, res).lang];
    try {
      await ctx.accounts.removeMember(consoleUserOf(res).current.orgId, String(req.params.userId), actor(res));
    } catch (e) {
      if (e instanceof AppError && e.code === 'validation_failed') return peoplePage(req, res, { error: e.message }, 422);
      throw e;
    }
    await peoplePage(req, res, { done: t.removed });
  });

  // API keys (owners).
  const keysPage = async (req: Request, res: Response, extra: Partial<Parameters<typeof renderApiKeys>[1]> = {}, status = 200) => {
    const frame = frameOf(req, res);
    const keys = await ctx.apiKeys.keysOf(consoleUserOf(res).current.orgId);
    sendPage(res.status(status), renderApiKeys(frame, { keys, ...extra }), frame.lang);
  };
  router.get('/api-keys', requireConsole(sessions, 'api_keys'), (req, res) => keysPage(req, res));
  router.post('/api-keys', form, requireConsole(sessions, 'api_keys'), async (req, res) => {
    const slugs = text(req.body, 'badgeClasses').split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = slugs.filter((s) => !ctx.catalog.get(s));
    if (unknown.length) return keysPage(req, res, { error: `unknown badge class(es): ${unknown.join(', ')}` }, 422);
    const orgId = consoleUserOf(res).current.orgId;
    const key = (await ctx.apiKeys.addKey(orgId, slugs.length ? slugs : [ALL_BADGE_CLASSES]))!;
    await ctx.accounts.audit({ orgId, actor: actor(res), action: 'api_key.created', subject: key.slice(0, 10), details: { badgeClasses: slugs.length ? slugs : [ALL_BADGE_CLASSES] } });
    await keysPage(req, res, { newKey: key });
  });
  router.post('/api-keys/:keyId/revoke', form, requireConsole(sessions, 'api_keys'), async (req, res) => {
    const orgId = consoleUserOf(res).current.orgId;
    if (!(await ctx.apiKeys.revoke(orgId, String(req.params.keyId)))) throw new AppError('not_found', 'no such API key in this organisation');
    await ctx.accounts.audit({ orgId, actor: actor(res), action: 'api_key.revoked', subject: String(req.params.keyId), details: null });
    await keysPage(req, res, { done: CONSOLE_MESSAGES[frameOf(req, res).lang].keyRevoked });
  });

  // Activity log.
  router.get('/audit', requireConsole(sessions), async (req, res) => {
    const frame = frameOf(req, res);
    const orgId = consoleUserOf(res).current.orgId;
    const before = typeof req.query.before === 'string' && /^[^|]{1,40}\|[\w-]{1,64}$/.test(req.query.before) ? req.query.before.split('|') : undefined;
    const entries = await ctx.accounts.auditOf(orgId, { limit: 51, ...(before ? { before: { at: before[0]!, id: before[1]! } } : {}) });
    const page = entries.slice(0, 50);
    const members = new Map((await ctx.accounts.members(orgId)).map((m) => [`user:${m.userId}`, m.name]));
    const last = page.at(-1);
    sendPage(
      res,
      renderAudit(frame, {
        entries: page.map((e) => ({ ...e, actorName: members.get(e.actor) ?? e.actor })),
        ...(entries.length > 50 && last ? { olderHref: `/console/audit?before=${encodeURIComponent(`${last.at}|${last.id}`)}` } : {}),
      }),
      frame.lang,
    );
  });

  // Errors on console pages are shown as pages: a person reads them, not a program.
  router.use(((err, req, res, next) => {
    if (!(err instanceof AppError) || res.headersSent) return next(err);
    const lang = consoleLanguage(req);
    sendPage(res.status(err.status), renderConsoleError({ lang }, err), lang);
  }) as ErrorRequestHandler);

  return router;
}
