import express, { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../app-context.js';
import { can } from '../../accounts/accounts.js';
import { pick } from '../../badge-classes/achievement.js';
import type { Language } from '../../badge-classes/schema.js';
import { AppError } from '../../errors/errors.js';
import { formFromPathway, pathwayFromForm, type OfferedCompetence } from '../../pages/console/pathway-form.js';
import { renderPathwayForm, renderPathwayList } from '../../pages/console/pathway-pages.js';
import type { FormValues } from '../../pages/console/badge-class-form.js';
import { CONSOLE_MESSAGES } from '../../pages/console/i18n.js';
import type { ConsoleFrame } from '../../pages/console/layout.js';
import { fill } from '../../pages/i18n.js';
import type { Pathway } from '../../pathways/schema.js';
import { fieldErrorsOf } from '../../pages/console/form-fields.js';
import { sendConsolePage as sendPage } from '../pages.js';
import { consoleUserOf, requireConsole, type ConsoleSessions } from './session.js';


/** `/console/pathways`: the organisation's learning pathways, their form, and the completions awaiting approval. */
export function createConsolePathwayRouter(ctx: AppContext, sessions: ConsoleSessions, frameOf: (req: Request, res: Response) => ConsoleFrame): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 600 });
  const small = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 5 });
  const actor = (res: Response) => `user:${consoleUserOf(res).user.id}`;
  const orgOf = (res: Response) => consoleUserOf(res).current.orgId;

  /** The badges the organisation may award (a step's and the capstone's choices), and the competences they align to. */
  function choices(orgId: string, lang: Language, chosen: string[]): { badges: Array<{ slug: string; name: string }>; competences: OfferedCompetence[] } {
    const entries = ctx.catalog.awardableBy(orgId);
    const badges = entries.map((e) => ({ slug: e.badgeClass.slug, name: pick(e.badgeClass.name, lang) })).sort((a, b) => a.name.localeCompare(b.name, lang));
    const values = new Set(chosen);
    for (const e of entries) for (const a of e.badgeClass.alignments) {
      const found = ctx.frameworks.byUri(a.targetUrl);
      if (found) values.add(`${found.framework.slug} ${found.competence.code}`);
    }
    const competences = [...values]
      .flatMap((value): OfferedCompetence[] => {
        const [framework = '', code = ''] = value.split(' ');
        const found = ctx.frameworks.find({ framework, code });
        if (!found) return [];
        const name = found.competence.name[lang] ?? found.competence.name.en;
        return [{ value, label: `${found.framework.shortName ?? pick(found.framework.name, lang)} ${code}: ${name}`, lang: found.competence.name[lang] ? lang : 'en' }];
      })
      .sort((a, b) => a.label.localeCompare(b.label, lang));
    return { badges, competences };
  }
  const chosenIn = (values: FormValues) => Object.entries(values).filter(([k]) => k.startsWith('competence.')).map(([, v]) => v);

  const own = (res: Response, slug: string) => {
    const entry = ctx.pathways.get(slug);
    if (!entry || entry.orgId !== orgOf(res)) throw new AppError('pathway_not_found', `your organisation has no pathway "${slug}"`);
    return entry;
  };

  const listPage = async (req: Request, res: Response, done?: string) => {
    const frame = frameOf(req, res);
    const orgId = orgOf(res);
    const role = consoleUserOf(res).current.role;
    const pending = await ctx.progress.completions(orgId, { state: 'pending', limit: 200 });
    const learner = (award: Record<string, unknown> | null) => {
      const r = (award?.recipient ?? {}) as { name?: string; email?: string };
      return r.name && r.email ? `${r.name} (${r.email})` : (r.name ?? r.email ?? '');
    };
    sendPage(
      res,
      renderPathwayList(frame, {
        entries: ctx.pathways.ownedBy(orgId),
        pending: pending.map((c) => ({ ...c, learner: learner(c.award) })),
        badgeName: (slug) => {
          const entry = ctx.catalog.get(slug);
          return entry ? pick(entry.badgeClass.name, frame.lang) : slug;
        },
        canEdit: can(role, 'badge_classes'),
        canApprove: can(role, 'award'),
        ...(done ? { done } : {}),
      }),
      frame.lang,
    );
  };

  router.get('/', requireConsole(sessions), async (req, res) => {
    const t = CONSOLE_MESSAGES[frameOf(req, res).lang];
    await listPage(req, res, req.query.saved !== undefined ? t.pathwaySaved : undefined);
  });

  router.get('/new', requireConsole(sessions, 'badge_classes'), (req, res) => {
    const frame = frameOf(req, res);
    const values: FormValues = { type: 'non-formal', mode: 'blended', completion: 'automatic' };
    sendPage(res, renderPathwayForm(frame, { values, errors: {}, ...choices(orgOf(res), frame.lang, []) }), frame.lang);
  });

  /** Checks and saves a submitted form; on any problem the form comes back with it marked at its field. */
  async function submit(req: Request, res: Response, editing?: { slug: string; version: number }) {
    const frame = frameOf(req, res);
    const values = { ...(req.body as FormValues) };
    const candidate = pathwayFromForm(values);
    if (editing) candidate.slug = editing.slug;
    const state = { values, ...choices(orgOf(res), frame.lang, chosenIn(values)), ...(editing ? { editing, name: editing.slug } : {}) };
    let pathway: Pathway;
    try {
      pathway = ctx.pathways.check(orgOf(res), candidate);
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'validation_failed') throw e;
      const errors = fieldErrorsOf(e.details ?? [{ path: 'slug', message: e.message }]);
      return sendPage(res.status(422), renderPathwayForm(frame, { ...state, errors }), frame.lang);
    }
    try {
      if (editing) {
        const entry = await ctx.pathways.update(editing.slug, pathway, editing.version);
        await ctx.accounts.audit({ orgId: orgOf(res), actor: actor(res), action: 'pathway.changed', subject: editing.slug, details: { version: entry.version } });
      } else {
        await ctx.pathways.create(orgOf(res), pathway);
        await ctx.accounts.audit({ orgId: orgOf(res), actor: actor(res), action: 'pathway.created', subject: pathway.slug, details: null });
      }
    } catch (e) {
      if (e instanceof AppError && (e.code === 'pathway_exists' || e.code === 'pathway_changed')) {
        return sendPage(res.status(409), renderPathwayForm(frame, { ...state, errors: { [e.code === 'pathway_exists' ? 'slug' : 'steps']: e.message } }), frame.lang);
      }
      throw e;
    }
    res.redirect(303, `/console/pathways?saved=${encodeURIComponent(pathway.slug)}`);
  }

  router.post('/new', form, requireConsole(sessions, 'badge_classes'), (req, res) => submit(req, res));

  router.get('/:slug/edit', requireConsole(sessions, 'badge_classes'), (req, res) => {
    const frame = frameOf(req, res);
    const entry = own(res, String(req.params.slug));
    const chosen = entry.pathway.competences.map((c) => `${c.framework} ${c.code}`);
    const offered = choices(orgOf(res), frame.lang, chosen);
    const values = formFromPathway(entry.pathway as unknown as Record<string, unknown>, offered.competences);
    sendPage(res, renderPathwayForm(frame, { values, errors: {}, ...offered, editing: { slug: entry.pathway.slug, version: entry.version }, name: pick(entry.pathway.title, frame.lang) }), frame.lang);
  });
  router.post('/:slug/edit', form, requireConsole(sessions, 'badge_classes'), (req, res) => {
    const entry = own(res, String(req.params.slug));
    const version = Number((req.body as FormValues).expectedVersion);
    return submit(req, res, { slug: entry.pathway.slug, version: Number.isInteger(version) && version > 0 ? version : entry.version });
  });

  for (const [path, archived] of [['archive', true], ['unarchive', false]] as const) {
    router.post(`/:slug/${path}`, small, requireConsole(sessions, 'badge_classes'), async (req, res) => {
      const slug = String(req.params.slug);
      own(res, slug);
      await ctx.pathways.setArchived(slug, archived);
      await ctx.accounts.audit({ orgId: orgOf(res), actor: actor(res), action: `pathway.${path}d`, subject: slug, details: null });
      const t = CONSOLE_MESSAGES[frameOf(req, res).lang];
      await listPage(req, res, archived ? t.pathwayArchived : t.pathwayUnarchived);
    });
  }

  for (const action of ['approve', 'decline'] as const) {
    router.post(`/completions/:id/${action}`, small, requireConsole(sessions, 'award'), async (req, res) => {
      const t = CONSOLE_MESSAGES[frameOf(req, res).lang];
      const id = String(req.params.id);
      if (action === 'approve') await ctx.progress.approve(orgOf(res), id, actor(res));
      else await ctx.progress.decline(orgOf(res), id, actor(res));
      await listPage(req, res, action === 'approve' ? t.pwApproved : t.pwDeclined);
    });
  }

  return router;
}
