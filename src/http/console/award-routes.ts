import express, { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../app-context.js';
import { pick } from '../../badge-classes/achievement.js';
import { awardRequestSchema, type AwardRequest } from '../../credentials/award-request.js';
import { AppError } from '../../errors/errors.js';
import { ALL_BADGE_CLASSES, type Caller } from '../../organisations/api-keys.js';
import { renderAwardForm } from '../../pages/console/award-pages.js';
import type { ConsoleFrame } from '../../pages/console/layout.js';
import { sendConsolePage as sendPage } from '../pages.js';
import { consoleUserOf, requireConsole, type ConsoleSessions } from './session.js';

/** The award form's fields, by the award request's paths they fill. */
const FIELD_OF: Record<string, string> = {
  'recipient.email': 'email',
  recipient: 'email',
  'recipient.name': 'name',
  'evidence.0.id': 'evidenceUrl',
  'evidence.0.name': 'evidenceName',
  'results.0.value': 'result',
};
const day = (value: string | undefined, end: boolean): string | undefined =>
  value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T${end ? '23:59:59' : '00:00:00'}Z` : value || undefined;

/** The award request a submitted form asks for (not yet checked). */
export function awardFromForm(f: Record<string, string>): Record<string, unknown> {
  const s = (name: string) => (typeof f[name] === 'string' && f[name]!.trim() !== '' ? f[name]!.trim() : undefined);
  const evidence = s('evidenceUrl') || s('evidenceName') ? [{ ...(s('evidenceUrl') ? { id: s('evidenceUrl') } : {}), ...(s('evidenceName') ? { name: s('evidenceName') } : {}) }] : undefined;
  return {
    badgeClass: s('badgeClass') ?? '',
    ...(s('language') ? { language: s('language') } : {}),
    recipient: { ...(s('email') ? { email: s('email') } : {}), ...(s('name') ? { name: s('name') } : {}) },
    notify: f.notify === '1',
    ...(evidence ? { evidence } : {}),
    ...(s('narrative') ? { narrative: s('narrative') } : {}),
    ...(s('result') ? { results: [{ value: s('result') }] } : {}),
    ...(s('activityStartDate') ? { activityStartDate: day(s('activityStartDate'), false) } : {}),
    ...(s('activityEndDate') ? { activityEndDate: day(s('activityEndDate'), true) } : {}),
    ...(s('validUntil') ? { validUntil: day(s('validUntil'), true) } : {}),
  };
}

/** The console awards as its organisation, with every badge class the organisation may award. */
export const consoleCaller = (res: Response): Caller => {
  const user = consoleUserOf(res);
  return { org: { id: user.current.orgId, name: user.current.orgName }, apiKeyId: `user:${user.user.id}`, badgeClasses: [ALL_BADGE_CLASSES] };
};

/** Puts each problem under the form field it concerns (the first one per field). */
export function fieldErrors(errors: Record<string, string>, problems: Array<{ path: string; message: string }>): void {
  for (const { path, message } of problems) errors[FIELD_OF[path] ?? path] ??= message;
}

export function createConsoleAwardRouter(ctx: AppContext, sessions: ConsoleSessions, frameOf: (req: Request, res: Response) => ConsoleFrame): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 30 });
  const classesFor = (res: Response) => ctx.catalog.awardableBy(consoleUserOf(res).current.orgId);

  router.get('/', requireConsole(sessions, 'award'), (req, res) => {
    const frame = frameOf(req, res);
    const values: Record<string, string> = typeof req.query.badgeClass === 'string' ? { badgeClass: req.query.badgeClass } : {};
    sendPage(res, renderAwardForm(frame, classesFor(res), { values, errors: {} }), frame.lang);
  });

  router.post('/', form, requireConsole(sessions, 'award'), async (req, res) => {
    const frame = frameOf(req, res);
    const values = req.body as Record<string, string>;
    const errors: Record<string, string> = {};
    const again = (status: number) => sendPage(res.status(status), renderAwardForm(frame, classesFor(res), { values, errors }), frame.lang);
    const parsed = awardRequestSchema.safeParse(awardFromForm(values));
    if (!parsed.success) {
      fieldErrors(errors, parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })));
      return again(422);
    }
    const user = consoleUserOf(res);
    const award: AwardRequest = parsed.data;
    let issued;
    try {
      issued = (await ctx.issuance.issue(consoleCaller(res), [award], { kind: 'single', actor: `user:${user.user.id}` })).issued[0]!;
    } catch (e) {
      if (!(e instanceof AppError) || e.status >= 500) throw e;
      fieldErrors(errors, e.details ?? [{ path: 'badgeClass', message: e.message }]);
      return again(e.status);
    }
    const entry = ctx.catalog.get(award.badgeClass);
    sendPage(
      res.status(201),
      renderAwardForm(frame, classesFor(res), {
        values: { badgeClass: award.badgeClass, language: award.language ?? 'en' },
        errors: {},
        awarded: {
          url: issued.url,
          certificate: `${issued.url}/certificate.pdf`,
          name: award.recipient.name ?? (entry ? pick(entry.badgeClass.name, frame.lang) : award.badgeClass),
          ...(award.recipient.email && award.notify !== false ? { email: award.recipient.email } : {}),
        },
      }),
      frame.lang,
    );
  });

  return router;
}
