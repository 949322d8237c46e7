import express, { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../app-context.js';
import { can } from '../../accounts/accounts.js';
import { pick } from '../../badge-classes/achievement.js';
import type { Language } from '../../badge-classes/schema.js';
import { AppError } from '../../errors/errors.js';
import type { FormValues } from '../../pages/console/badge-class-form.js';
import { CONSOLE_MESSAGES } from '../../pages/console/i18n.js';
import type { ConsoleFrame } from '../../pages/console/layout.js';
import { formFromQuestionnaire, questionnaireFromForm, renderQuestionnaireCounts, renderQuestionnaireForm, renderQuestionnaireList, type QuestionnaireFormState } from '../../pages/console/questionnaire-pages.js';
import type { Questionnaire } from '../../profiling/schema.js';
import { fieldErrorsOf } from '../../pages/console/form-fields.js';
import { sendConsolePage as sendPage } from '../pages.js';
import { consoleUserOf, requireConsole, type ConsoleSessions } from './session.js';


/** `/console/questionnaires`: the organisation's self-assessments, their form, and their anonymous counts. */
export function createConsoleQuestionnaireRouter(ctx: AppContext, sessions: ConsoleSessions, frameOf: (req: Request, res: Response) => ConsoleFrame): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '128kb', parameterLimit: 1000 });
  const small = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 5 });
  const actor = (res: Response) => `user:${consoleUserOf(res).user.id}`;
  const orgOf = (res: Response) => consoleUserOf(res).current.orgId;
  const store = ctx.profiling.questionnaires;

  const own = (res: Response, slug: string) => {
    const entry = store.get(slug);
    if (!entry || entry.orgId !== orgOf(res)) throw new AppError('questionnaire_not_found', `your organisation has no self-assessment "${slug}"`);
    return entry;
  };
  /** The organisation's pathways to recommend from, and every known competence, by framework. */
  const choices = (orgId: string, lang: Language): Pick<QuestionnaireFormState, 'pathways' | 'competences'> => ({
    pathways: ctx.pathways.ownedBy(orgId).filter((p) => !p.archived).map((p) => ({ slug: p.pathway.slug, title: pick(p.pathway.title, lang) })),
    competences: ctx.frameworks.list().map((f) => ({
      framework: f.shortName ?? pick(f.name, lang),
      options: f.competences.map((c) => ({ value: `${f.slug} ${c.code}`, label: `${c.code} ${c.name[lang] ?? c.name.en}` })),
    })),
  });

  const listPage = (req: Request, res: Response, done?: string) => {
    const frame = frameOf(req, res);
    sendPage(res, renderQuestionnaireList(frame, { entries: store.ownedBy(orgOf(res)), canEdit: can(consoleUserOf(res).current.role, 'badge_classes'), ...(done ? { done } : {}) }), frame.lang);
  };

  router.get('/', requireConsole(sessions), (req, res) => {
    const t = CONSOLE_MESSAGES[frameOf(req, res).lang];
    listPage(req, res, req.query.saved !== undefined ? t.questionnaireSaved : undefined);
  });

  router.get('/new', requireConsole(sessions, 'badge_classes'), (req, res) => {
    const frame = frameOf(req, res);
    sendPage(res, renderQuestionnaireForm(frame, { values: {}, errors: {}, ...choices(orgOf(res), frame.lang) }), frame.lang);
  });

  async function submit(req: Request, res: Response, editing?: { slug: string; version: number }) {
    const frame = frameOf(req, res);
    const values = { ...(req.body as FormValues) };
    const candidate = questionnaireFromForm(values);
    if (editing) candidate.slug = editing.slug;
    const state: QuestionnaireFormState = { values, errors: {}, ...choices(orgOf(res), frame.lang), ...(editing ? { editing, name: editing.slug } : {}) };
    let questionnaire: Questionnaire;
    try {
      questionnaire = ctx.profiling.check(orgOf(res), candidate);
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'validation_failed') throw e;
      const errors = fieldErrorsOf(e.details ?? [{ path: 'slug', message: e.message }]);
      return sendPage(res.status(422), renderQuestionnaireForm(frame, { ...state, errors }), frame.lang);
    }
    try {
      if (editing) await store.update(editing.slug, questionnaire, editing.version);
      else await store.create(orgOf(res), questionnaire);
      await ctx.accounts.audit({ orgId: orgOf(res), actor: actor(res), action: editing ? 'questionnaire.changed' : 'questionnaire.created', subject: questionnaire.slug, details: null });
    } catch (e) {
      if (e instanceof AppError && (e.code === 'questionnaire_exists' || e.code === 'questionnaire_changed')) {
        return sendPage(res.status(409), renderQuestionnaireForm(frame, { ...state, errors: { [e.code === 'questionnaire_exists' ? 'slug' : 'competences']: e.message } }), frame.lang);
      }
      throw e;
    }
    res.redirect(303, `/console/questionnaires?saved=${encodeURIComponent(questionnaire.slug)}`);
  }

  router.post('/new', form, requireConsole(sessions, 'badge_classes'), (req, res) => submit(req, res));

  router.get('/:slug/edit', requireConsole(sessions, 'badge_classes'), (req, res) => {
    const frame = frameOf(req, res);
    const entry = own(res, String(req.params.slug));
    const offered = choices(orgOf(res), frame.lang);
    const values = formFromQuestionnaire(entry.definition, offered.pathways.map((p) => p.slug));
    sendPage(res, renderQuestionnaireForm(frame, { values, errors: {}, ...offered, editing: { slug: entry.definition.slug, version: entry.version }, name: pick(entry.definition.title, frame.lang) }), frame.lang);
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
      await store.setArchived(slug, archived);
      await ctx.accounts.audit({ orgId: orgOf(res), actor: actor(res), action: `questionnaire.${path}d`, subject: slug, details: null });
      const t = CONSOLE_MESSAGES[frameOf(req, res).lang];
      listPage(req, res, archived ? t.questionnaireArchived : t.questionnaireUnarchived);
    });
  }

  router.get('/:slug/counts', requireConsole(sessions), async (req, res) => {
    const frame = frameOf(req, res);
    const entry = own(res, String(req.params.slug));
    const counts = new Map((await ctx.profiling.counts(entry.definition.slug)).map((c) => [c.metric, c.count]));
    const q = entry.definition;
    sendPage(
      res,
      renderQuestionnaireCounts(frame, {
        questionnaire: q,
        submitted: counts.get('submitted') ?? 0,
        pathways: q.pathways.map((slug) => ({ title: ctx.pathways.get(slug) ? pick(ctx.pathways.get(slug)!.pathway.title, frame.lang) : slug, count: counts.get(`pathway:${slug}`) ?? 0 })),
        competences: q.competences.map((c) => {
          const found = ctx.frameworks.find(c);
          return { name: found ? pick(found.competence.name, frame.lang) : `${c.framework} ${c.code}`, counts: [0, 1, 2, 3].map((level) => counts.get(`level:${c.framework} ${c.code}:${level}`) ?? 0) };
        }),
      }),
      frame.lang,
    );
  });

  return router;
}
