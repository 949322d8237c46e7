import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import type { AppContext } from '../../app-context.js';
import { can } from '../../accounts/accounts.js';
import { pick } from '../../badge-classes/achievement.js';
import { languageSchema } from '../../badge-classes/schema.js';
import { AppError } from '../../errors/errors.js';
import { MAX_BYTES } from '../../issuance-jobs/spreadsheet.js';
import { ALL_BADGE_CLASSES, type Caller } from '../../organisations/api-keys.js';
import { CONSOLE_MESSAGES } from '../../pages/console/i18n.js';
import { JOB_SCRIPT, JOB_SCRIPT_PATH, progressEvent, renderJob, renderJobs, renderSheetForm } from '../../pages/console/job-pages.js';
import type { ConsoleFrame } from '../../pages/console/layout.js';
import { streamProgress } from '../job-progress.js';
import { sendConsolePage as sendPage } from '../pages.js';
import { readMultipart } from '../raw-body.js';
import { consoleUserOf, requireConsole, type ConsoleSessions } from './session.js';

/** The upload form as multipart, parsed before the session's checks read its CSRF field. */
const upload: RequestHandler = (req, _res, next) => {
  if (!req.is('multipart/form-data')) return next(new AppError('unsupported_media_type', 'this form is sent as multipart/form-data'));
  readMultipart(req, { fileSize: MAX_BYTES, fieldSize: 2_000, total: MAX_BYTES + 64 * 1024, files: 1, fields: 10, parts: 11 }).then(({ fields, files, fileNames }) => {
    req.body = fields;
    Object.assign(req, { files, fileNames });
    next();
  }, next);
};

/** An empty sheet with the columns the reader understands. */
const TEMPLATE = '\uFEFFemail,name,language,evidence url,narrative,result,start date,end date,valid until\r\n';

/** Awarding from a spreadsheet: upload, preview, confirm, progress (server-sent events), outcome. */
export function createConsoleJobsRouter(ctx: AppContext, sessions: ConsoleSessions, frameOf: (req: Request, res: Response) => ConsoleFrame): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 5 });
  const orgOf = (res: Response) => consoleUserOf(res).current.orgId;
  const classesFor = (res: Response) => ctx.catalog.awardableBy(orgOf(res));
  const className = (lang: ConsoleFrame['lang']) => (slug: string) => {
    const entry = ctx.catalog.get(slug);
    return entry ? pick(entry.badgeClass.name, lang) : slug;
  };
  const found = async (res: Response, id: string) => {
    const job = await ctx.jobs.get(orgOf(res), id);
    if (!job) throw new AppError('issuance_job_not_found', 'no such upload in this organisation');
    return job;
  };

  router.get(JOB_SCRIPT_PATH.replace('/console', ''), (_req, res) => {
    res.type('text/javascript; charset=utf-8').set('Cache-Control', 'public, max-age=3600').send(JOB_SCRIPT);
  });

  router.get('/jobs/template.csv', requireConsole(sessions), (_req, res) => {
    res.type('text/csv; charset=utf-8').attachment('learners.csv').send(TEMPLATE);
  });

  router.get('/jobs', requireConsole(sessions), async (req, res) => {
    const frame = frameOf(req, res);
    const jobs = await ctx.jobs.list(orgOf(res));
    sendPage(res, renderJobs(frame, { jobs, className: className(frame.lang), canAward: can(consoleUserOf(res).current.role, 'award') }), frame.lang);
  });

  router.get('/jobs/new', requireConsole(sessions, 'award'), (req, res) => {
    const frame = frameOf(req, res);
    const values: Record<string, string> = typeof req.query.badgeClass === 'string' ? { badgeClass: req.query.badgeClass } : {};
    sendPage(res, renderSheetForm(frame, classesFor(res), { values, errors: {} }), frame.lang);
  });

  router.post('/jobs/new', upload, requireConsole(sessions, 'award'), async (req, res) => {
    const frame = frameOf(req, res);
    const t = CONSOLE_MESSAGES[frame.lang];
    const values = req.body as Record<string, string>;
    const file = (req as Request & { files?: Record<string, Buffer> }).files?.file;
    const again = (errors: Record<string, string>, status = 422) => sendPage(res.status(status), renderSheetForm(frame, classesFor(res), { values, errors }), frame.lang);
    if (!file || file.length === 0) return again({ file: t.sheetNoFile });
    const user = consoleUserOf(res);
    const caller: Caller = { org: { id: user.current.orgId, name: user.current.orgName }, apiKeyId: `user:${user.user.id}`, badgeClasses: [ALL_BADGE_CLASSES] };
    const language = languageSchema.safeParse(values.language).data;
    let job;
    try {
      job = await ctx.jobs.prepare(caller, {
        badgeClass: values.badgeClass ?? '',
        fileName: (req as Request & { fileNames?: Record<string, string> }).fileNames?.file ?? values.fileName ?? 'spreadsheet.csv',
        file,
        language,
        sendEmail: values.notify === '1',
        createdBy: `user:${user.user.id}`,
      });
    } catch (e) {
      if (!(e instanceof AppError) || e.status >= 500) throw e;
      return again(e.code === 'spreadsheet_unreadable' ? { file: e.message } : { badgeClass: e.message });
    }
    await ctx.accounts.audit({ orgId: caller.org.id, actor: `user:${user.user.id}`, action: 'issuance_job.created', subject: job.id, details: { badgeClass: job.badgeClass, rows: job.total } });
    res.redirect(303, `/console/jobs/${job.id}`);
  });

  router.get('/jobs/:id', requireConsole(sessions), async (req, res) => {
    const frame = frameOf(req, res);
    const job = await found(res, String(req.params.id));
    const [problems, failed] = await Promise.all([
      ctx.jobs.rows(job.orgId, job.id, { states: ['invalid'], limit: 200 }),
      job.failed ? ctx.jobs.rows(job.orgId, job.id, { states: ['failed'], limit: 200 }) : Promise.resolve([]),
    ]);
    const page = renderJob(frame, {
      job,
      badgeName: className(frame.lang)(job.badgeClass),
      problems,
      moreProblems: Math.max(0, job.total - job.valid - problems.length),
      failed,
      canAward: can(consoleUserOf(res).current.role, 'award'),
    });
    sendPage(res, page.html, frame.lang, { ownScripts: page.live });
  });

  router.get('/jobs/:id/events', requireConsole(sessions), async (req, res) => {
    const t = CONSOLE_MESSAGES[frameOf(req, res).lang];
    const orgId = orgOf(res);
    const id = String(req.params.id);
    await found(res, id);
    await streamProgress(req, res, () => ctx.jobs.get(orgId, id), (job) => progressEvent(t, job));
  });

  const action = (what: 'confirm' | 'cancel') =>
    router.post(`/jobs/:id/${what}`, form, requireConsole(sessions, 'award'), async (req, res) => {
      const user = consoleUserOf(res);
      const id = String(req.params.id);
      const job = what === 'confirm' ? await ctx.jobs.confirm(user.current.orgId, id) : await ctx.jobs.cancel(user.current.orgId, id);
      await ctx.accounts.audit({ orgId: user.current.orgId, actor: `user:${user.user.id}`, action: `issuance_job.${what === 'confirm' ? 'confirmed' : 'cancelled'}`, subject: id, details: what === 'confirm' ? { rows: job.valid - job.alreadyIssued } : null });
      res.redirect(303, `/console/jobs/${id}`);
    });
  action('confirm');
  action('cancel');

  return router;
}
