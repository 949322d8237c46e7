import express, { Router, type Request, type Response } from 'express';
import { can } from '../../accounts/accounts.js';
import type { AppContext } from '../../app-context.js';
import { pick } from '../../badge-classes/achievement.js';
import { AppError } from '../../errors/errors.js';
import type { Framework } from '../../frameworks/schema.js';
import type { FormValues } from '../../pages/console/badge-class-form.js';
import { fieldErrorsOf } from '../../pages/console/form-fields.js';
import { formFromFramework, frameworkFromForm, renderFrameworkForm, renderFrameworkList, withoutEmptyRows } from '../../pages/console/framework-pages.js';
import { CONSOLE_MESSAGES } from '../../pages/console/i18n.js';
import type { ConsoleFrame } from '../../pages/console/layout.js';
import { sendConsolePage as sendPage } from '../pages.js';
import { consoleUserOf, requireConsole, type ConsoleSessions } from './session.js';

/** `/console/frameworks`: the organisation's own competence frameworks, and their form. */
export function createConsoleFrameworkRouter(ctx: AppContext, sessions: ConsoleSessions, frameOf: (req: Request, res: Response) => ConsoleFrame): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '256kb', parameterLimit: 2000 });
  const small = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 5 });
  const actor = (res: Response) => `user:${consoleUserOf(res).user.id}`;
  const orgOf = (res: Response) => consoleUserOf(res).current.orgId;

  const own = (res: Response, slug: string) => {
    const entry = ctx.frameworks.entry(slug);
    if (!entry || entry.orgId !== orgOf(res)) throw new AppError('framework_not_found', `your organisation has no framework "${slug}"`);
    return entry;
  };

  const listPage = (req: Request, res: Response, done?: string) => {
    const frame = frameOf(req, res);
    sendPage(res, renderFrameworkList(frame, { entries: ctx.frameworks.ownedBy(orgOf(res)), canEdit: can(consoleUserOf(res).current.role, 'badge_classes'), ...(done ? { done } : {}) }), frame.lang);
  };

  router.get('/', requireConsole(sessions), (req, res) => {
    listPage(req, res, req.query.saved !== undefined ? CONSOLE_MESSAGES[frameOf(req, res).lang].fwSaved : undefined);
  });

  router.get('/new', requireConsole(sessions, 'badge_classes'), (req, res) => {
    const frame = frameOf(req, res);
    sendPage(res, renderFrameworkForm(frame, { values: { version: '1.0', publisher: consoleUserOf(res).current.orgName }, errors: {} }), frame.lang);
  });

  /** Checks and saves a submitted form; on any problem the form comes back with it marked at its field. */
  async function submit(req: Request, res: Response, editing?: { slug: string; version: number }) {
    const frame = frameOf(req, res);
    const values = withoutEmptyRows({ ...(req.body as FormValues) });
    const candidate = frameworkFromForm(values);
    if (editing) candidate.slug = editing.slug;
    const state = { values, ...(editing ? { editing, name: editing.slug } : {}) };
    let framework: Framework;
    try {
      framework = ctx.frameworks.check(candidate);
      if (editing) await ctx.frameworks.update(editing.slug, framework, editing.version);
      else await ctx.frameworks.create(orgOf(res), framework);
    } catch (e) {
      if (!(e instanceof AppError) || !['validation_failed', 'framework_exists', 'framework_changed'].includes(e.code)) throw e;
      const errors = e.code === 'validation_failed' ? fieldErrorsOf(e.details ?? [{ path: 'slug', message: e.message }]) : { [e.code === 'framework_exists' ? 'slug' : 'version']: e.message };
      return sendPage(res.status(e.status), renderFrameworkForm(frame, { ...state, errors }), frame.lang);
    }
    await ctx.accounts.audit({ orgId: orgOf(res), actor: actor(res), action: editing ? 'framework.changed' : 'framework.created', subject: framework.slug, details: null });
    res.redirect(303, `/console/frameworks?saved=${encodeURIComponent(framework.slug)}`);
  }

  router.post('/new', form, requireConsole(sessions, 'badge_classes'), (req, res) => submit(req, res));

  router.get('/:slug/edit', requireConsole(sessions, 'badge_classes'), (req, res) => {
    const frame = frameOf(req, res);
    const entry = own(res, String(req.params.slug));
    const editing = { slug: entry.definition.slug, version: entry.version };
    sendPage(res, renderFrameworkForm(frame, { values: formFromFramework(entry.definition), errors: {}, editing, name: pick(entry.definition.name, frame.lang) }), frame.lang);
  });
  router.post('/:slug/edit', form, requireConsole(sessions, 'badge_classes'), (req, res) => {
    const entry = own(res, String(req.params.slug));
    const version = Number((req.body as FormValues).expectedVersion);
    return submit(req, res, { slug: entry.definition.slug, version: Number.isInteger(version) && version > 0 ? version : entry.version });
  });

  for (const [path, archived] of [['archive', true], ['unarchive', false]] as const) {
    router.post(`/:slug/${path}`, small, requireConsole(sessions, 'badge_classes'), async (req, res) => {
      const slug = String(req.params.slug);
      own(res, slug);
      await ctx.frameworks.setArchived(slug, archived);
      await ctx.accounts.audit({ orgId: orgOf(res), actor: actor(res), action: `framework.${path}d`, subject: slug, details: null });
      const t = CONSOLE_MESSAGES[frameOf(req, res).lang];
      listPage(req, res, archived ? t.fwArchived : t.fwUnarchived);
    });
  }

  return router;
}
