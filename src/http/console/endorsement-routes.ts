import express, { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../app-context.js';
import { pick } from '../../badge-classes/achievement.js';
import { languageSchema } from '../../badge-classes/schema.js';
import { AppError } from '../../errors/errors.js';
import { renderEndorsementsPage } from '../../pages/console/endorsement-pages.js';
import { CONSOLE_MESSAGES } from '../../pages/console/i18n.js';
import type { ConsoleFrame } from '../../pages/console/layout.js';
import { sendConsolePage as sendPage } from '../pages.js';
import { consoleUserOf, requireConsole, type ConsoleSessions } from './session.js';

/** `/console/endorsements`: owners endorse other organisations' badges, or organisations, and withdraw endorsements. */
export function createConsoleEndorsementRouter(ctx: AppContext, sessions: ConsoleSessions, frameOf: (req: Request, res: Response) => ConsoleFrame): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 10 });
  const orgOf = (res: Response) => consoleUserOf(res).current.orgId;

  async function page(req: Request, res: Response, state: { values?: Record<string, string>; errors?: Record<string, string>; done?: string } = {}) {
    const frame = frameOf(req, res);
    const orgId = orgOf(res);
    const badges = ctx.catalog
      .list()
      .filter((e) => e.orgId !== orgId && !e.archived)
      .map((e) => ({ value: `badge:${e.badgeClass.slug}`, label: pick(e.badgeClass.name, frame.lang) }))
      .sort((a, b) => a.label.localeCompare(b.label, frame.lang));
    const organisations = (await ctx.organisations.list())
      .filter((o) => o.id !== orgId)
      .map((o) => ({ value: `org:${o.slug}`, label: o.name }))
      .sort((a, b) => a.label.localeCompare(b.label, frame.lang));
    const given = await Promise.all(
      (await ctx.endorsements.given(orgId)).map(async (e) => {
        const document = JSON.parse(e.document) as { id: string; credentialSubject: { endorsementComment: string } };
        const subject = e.subjectKind === 'badge_class' ? (ctx.catalog.get(e.subject) ? pick(ctx.catalog.get(e.subject)!.badgeClass.name, frame.lang) : e.subject) : ((await ctx.organisations.get(e.subject))?.issuer(frame.lang).name ?? e.subject);
        return { id: e.id, url: document.id, subject, comment: document.credentialSubject.endorsementComment, createdAt: e.createdAt };
      }),
    );
    sendPage(res, renderEndorsementsPage(frame, { badges, organisations, given, values: state.values ?? {}, errors: state.errors ?? {}, ...(state.done ? { done: state.done } : {}) }), frame.lang);
  }

  router.get('/', requireConsole(sessions, 'settings'), (req, res) => page(req, res));

  router.post('/', form, requireConsole(sessions, 'settings'), async (req, res) => {
    const t = CONSOLE_MESSAGES[frameOf(req, res).lang];
    const values = req.body as Record<string, string>;
    const [kind, key] = String(values.subject ?? '').split(/:(.*)/s);
    const comment = String(values.comment ?? '').trim();
    const errors: Record<string, string> = {};
    if ((kind !== 'badge' && kind !== 'org') || !key) errors.subject = 'required';
    if (!comment) errors.comment = 'required';
    else if (comment.length > 2000) errors.comment = 'at most 2,000 characters';
    if (Object.keys(errors).length) return page(req, res.status(422), { values, errors });
    try {
      const subject = kind === 'badge' ? { badgeClass: key! } : { organisation: key! };
      await ctx.endorsements.endorse(orgOf(res), subject, comment, languageSchema.safeParse(values.language).data ?? 'en', `user:${consoleUserOf(res).user.id}`);
    } catch (e) {
      if (e instanceof AppError && (e.code === 'validation_failed' || e.code === 'endorsement_exists')) return page(req, res.status(e.status), { values, errors: { subject: e.message } });
      throw e;
    }
    await page(req, res, { done: t.enIssued });
  });

  router.post('/:id/withdraw', express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 5 }), requireConsole(sessions, 'settings'), async (req, res) => {
    await ctx.endorsements.withdraw(orgOf(res), String(req.params.id), `user:${consoleUserOf(res).user.id}`);
    await page(req, res, { done: CONSOLE_MESSAGES[frameOf(req, res).lang].enWithdrawn });
  });

  return router;
}
