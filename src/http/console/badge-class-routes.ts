import express, { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../app-context.js';
import { pick } from '../../badge-classes/achievement.js';
import type { BadgeImageFile } from '../../badge-classes/catalog.js';
import { renderBadgeDesign } from '../../badge-classes/design.js';
import { acceptBadgeImage } from '../../badge-classes/image-upload.js';
import { badgeClassSchema, type BadgeClass, type Language } from '../../badge-classes/schema.js';
import { AppError } from '../../errors/errors.js';
import { badgeClassFromForm, formFromBadgeClass, freeAlignmentRow, MAX_ALIGNMENT_ROWS, type CompetenceSearch, type FormValues } from '../../pages/console/badge-class-form.js';
import { renderBadgeClassForm, renderBadgeClassList, renderBadgePreview } from '../../pages/console/badge-class-pages.js';
import { CONSOLE_MESSAGES } from '../../pages/console/i18n.js';
import type { ConsoleFrame } from '../../pages/console/layout.js';
import { fill } from '../../pages/i18n.js';
import { sendConsolePage as sendPage } from '../pages.js';
import { can } from '../../accounts/accounts.js';
import { filesOf, multipartForm } from './multipart.js';
import { consoleUserOf, requireConsole, type ConsoleSessions } from './session.js';

/** The form as multipart: it may carry an image. */
const multipart = multipartForm({ fileSize: 1024 * 1024, fieldSize: 20_000, total: 2 * 1024 * 1024, files: 1, fields: 600, parts: 601 });

/** The first problem per field, named by the form's own field names (the schema's paths). */
function problemsOf(candidate: unknown): { badgeClass?: BadgeClass; errors: Record<string, string> } {
  const parsed = badgeClassSchema.safeParse(candidate);
  if (parsed.success) return { badgeClass: parsed.data, errors: {} };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
    const name = path.map(String).join('.') || 'slug';
    errors[name] ??= issue.code === 'invalid_type' && issue.input === undefined ? 'required' : issue.message;
  }
  return { errors };
}

export function createConsoleBadgeClassRouter(ctx: AppContext, sessions: ConsoleSessions, frameOf: (req: Request, res: Response) => ConsoleFrame): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 10 });
  const actor = (res: Response) => `user:${consoleUserOf(res).user.id}`;
  const orgOf = (res: Response) => consoleUserOf(res).current.orgId;

  /**
   * The competence finder inside the form: the frameworks to choose from and, after "Find", what the
   * words found in the page's language; after "Add", the competence written into the first free row.
   */
  const finder = (values: FormValues, lang: Language, notice?: CompetenceSearch['notice']): CompetenceSearch => {
    const query = (values._competenceQuery ?? '').trim().slice(0, 100);
    const framework = values._competenceFramework && ctx.frameworks.get(values._competenceFramework) ? values._competenceFramework : '';
    const results = query ? ctx.frameworks.search(query, lang, { ...(framework ? { framework } : {}), limit: 30 }) : [];
    return {
      query,
      framework,
      frameworks: ctx.frameworks.list().map((f) => ({ slug: f.slug, name: f.shortName ?? pick(f.name, lang) })),
      results: results.map(({ framework: f, competence: c }) => ({ framework: f.slug, frameworkName: f.shortName ?? pick(f.name, lang), code: c.code, name: pick(c.name, lang), lang: c.name[lang] ? lang : 'en' })),
      ...(notice ? { notice } : {}),
    };
  };
  /** "Add": the framework's alignment written into the form's first free competence row. */
  const addCompetence = (values: FormValues, reference: string, lang: Language): CompetenceSearch['notice'] => {
    const t = CONSOLE_MESSAGES[lang];
    const [, slug = '', code = ''] = /^add-competence:([^:]+):(.+)$/.exec(reference) ?? [];
    const alignment = ctx.frameworks.alignmentFor({ framework: slug, code });
    if (!alignment) return { kind: 'bad', text: t.bcFindNone };
    if (Object.entries(values).some(([k, v]) => /^alignments\.\d+\.targetUrl$/.test(k) && v.trim() === alignment.targetUrl)) return { kind: 'bad', text: t.bcAddedAlready };
    const row = freeAlignmentRow(values);
    if (row >= MAX_ALIGNMENT_ROWS) return { kind: 'bad', text: t.bcNoRoom };
    Object.assign(values, formFromBadgeClass({ alignments: [...Array(row).fill(undefined), alignment] }));
    return { kind: 'ok', text: fill(t.bcAdded, { name: `${code} ${pick(alignment.targetName, lang)}` }) };
  };

  /** A class of the person's organisation, to change it. */
  const own = (res: Response, slug: string) => {
    const entry = ctx.catalog.get(slug);
    if (!entry || entry.orgId !== orgOf(res)) throw new AppError('badge_class_not_found', `your organisation has no badge class "${slug}"`);
    return entry;
  };

  const listPage = async (req: Request, res: Response, done?: string) => {
    const frame = frameOf(req, res);
    const orgId = orgOf(res);
    const entries = [...new Map([...ctx.catalog.ownedBy(orgId), ...ctx.catalog.awardableBy(orgId)].map((e) => [e.badgeClass.slug, e])).values()];
    const owners = new Map<string, string>();
    for (const e of entries) if (!owners.has(e.orgId)) owners.set(e.orgId, (await ctx.organisations.get(e.orgId))?.name ?? '');
    const canEdit = can(consoleUserOf(res).current.role, 'badge_classes');
    sendPage(res, renderBadgeClassList(frame, { entries: entries.map((e) => ({ ...e, ownerName: owners.get(e.orgId) ?? '' })), orgId, canEdit, ...(done ? { done } : {}) }), frame.lang);
  };

  router.get('/', requireConsole(sessions), async (req, res) => {
    const t = CONSOLE_MESSAGES[frameOf(req, res).lang];
    const saved = typeof req.query.saved === 'string' ? ctx.catalog.get(req.query.saved) : undefined;
    await listPage(req, res, saved ? fill(t.badgeClassSaved, { version: saved.version }) : undefined);
  });

  router.get('/new', requireConsole(sessions, 'badge_classes'), (req, res) => {
    const frame = frameOf(req, res);
    const values = { achievementType: 'MicroCredential' };
    sendPage(res, renderBadgeClassForm(frame, { values, errors: {}, competenceSearch: finder(values, frame.lang) }), frame.lang);
  });

  /** Preview or save a submitted form; on any problem the form comes back with it marked. */
  async function submit(req: Request, res: Response, editing?: { slug: string; version: number; hasImage: boolean }) {
    const frame = frameOf(req, res);
    const values = { ...(req.body as FormValues) };
    // Finding or adding a competence: the form comes back with what was typed, nothing is checked or kept yet.
    if (values.action === 'find-competence' || values.action?.startsWith('add-competence:')) {
      const notice = values.action === 'find-competence' ? undefined : addCompetence(values, values.action, frame.lang);
      const state = { values, errors: {}, competenceSearch: finder(values, frame.lang, notice), ...(editing ? { editing, name: editing.slug } : {}) };
      return sendPage(res, renderBadgeClassForm(frame, state), frame.lang);
    }
    const candidate = badgeClassFromForm(values);
    if (editing) candidate.slug = editing.slug;
    const expectedVersion = editing ? Number(values.expectedVersion) : 0;
    candidate.version = String(editing ? expectedVersion + 1 : 1);
    const { badgeClass, errors } = problemsOf(candidate);
    let image: BadgeImageFile | null | undefined = values.removeImage === '1' ? null : undefined;
    const upload = filesOf(req).image;
    if (upload?.length) {
      try {
        image = await acceptBadgeImage(upload);
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        errors.image = e.message;
      }
    }
    const state = { values, errors, competenceSearch: finder(values, frame.lang), ...(editing ? { editing, name: editing.slug } : {}) };
    if (!badgeClass || Object.keys(errors).length) return sendPage(res.status(422), renderBadgeClassForm(frame, state), frame.lang);
    if (values.action === 'preview') {
      const shown = image ?? (image === undefined && editing ? ctx.catalog.get(editing.slug)?.image : undefined);
      const dataUrl = shown
        ? `data:${shown.contentType};base64,${shown.data.toString('base64')}`
        : `data:image/svg+xml;base64,${Buffer.from(renderBadgeDesign(badgeClass, badgeClass.name[frame.lang] ? frame.lang : 'en')).toString('base64')}`;
      return sendPage(res, renderBadgeClassForm(frame, { ...state, preview: renderBadgePreview(frame, badgeClass, dataUrl) }), frame.lang);
    }
    try {
      if (editing) {
        await ctx.catalog.update(editing.slug, badgeClass, { image, expectedVersion, by: actor(res) });
        await ctx.accounts.audit({ orgId: orgOf(res), actor: actor(res), action: 'badge_class.changed', subject: editing.slug, details: { version: expectedVersion + 1 } });
      } else {
        await ctx.catalog.create(orgOf(res), badgeClass, { image: image ?? undefined, by: actor(res) });
        await ctx.accounts.audit({ orgId: orgOf(res), actor: actor(res), action: 'badge_class.created', subject: badgeClass.slug, details: null });
      }
    } catch (e) {
      if (e instanceof AppError && (e.code === 'badge_class_exists' || e.code === 'badge_class_changed')) {
        return sendPage(res.status(409), renderBadgeClassForm(frame, { ...state, errors: { [e.code === 'badge_class_exists' ? 'slug' : 'expectedVersion']: e.message } }), frame.lang);
      }
      throw e;
    }
    res.redirect(303, `/console/badge-classes?saved=${encodeURIComponent(badgeClass.slug)}`);
  }

  router.post('/new', multipart, requireConsole(sessions, 'badge_classes'), (req, res) => submit(req, res));

  const editState = (res: Response, slug: string) => {
    const entry = own(res, slug);
    return { entry, editing: { slug, version: entry.version, hasImage: entry.image !== undefined } };
  };
  router.get('/:slug/edit', requireConsole(sessions, 'badge_classes'), async (req, res) => {
    const frame = frameOf(req, res);
    const { entry, editing } = editState(res, String(req.params.slug));
    const awarders = await Promise.all(entry.awarders.map(async (id) => (await ctx.organisations.get(id))?.slug ?? ''));
    const values = formFromBadgeClass(entry.badgeClass as unknown as Record<string, unknown>);
    sendPage(res, renderBadgeClassForm(frame, { values, errors: {}, competenceSearch: finder(values, frame.lang), editing, name: pick(entry.badgeClass.name, frame.lang), awarders: awarders.filter(Boolean).join(', ') }), frame.lang);
  });
  router.post('/:slug/edit', multipart, requireConsole(sessions, 'badge_classes'), (req, res) => submit(req, res, editState(res, String(req.params.slug)).editing));

  router.post('/:slug/awarders', form, requireConsole(sessions, 'badge_classes'), async (req, res) => {
    const slug = String(req.params.slug);
    own(res, slug);
    const t = CONSOLE_MESSAGES[frameOf(req, res).lang];
    const slugs = String((req.body as Record<string, unknown>).awarders ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const found = await Promise.all(slugs.map(async (s) => [s, await ctx.organisations.bySlug(s)] as const));
    const unknown = found.filter(([, org]) => !org).map(([s]) => s);
    if (unknown.length) throw new AppError('validation_failed', fill(t.unknownOrganisations, { slugs: unknown.join(', ') }));
    const ids = found.map(([, org]) => org!.id).filter((id) => id !== orgOf(res));
    await ctx.catalog.setAwarders(slug, ids);
    await ctx.accounts.audit({ orgId: orgOf(res), actor: actor(res), action: 'badge_class.awarders_changed', subject: slug, details: { organisations: slugs } });
    await listPage(req, res, t.awardersSaved);
  });

  for (const [path, archived] of [['archive', true], ['unarchive', false]] as const) {
    router.post(`/:slug/${path}`, form, requireConsole(sessions, 'badge_classes'), async (req, res) => {
      const slug = String(req.params.slug);
      own(res, slug);
      await ctx.catalog.setArchived(slug, archived);
      await ctx.accounts.audit({ orgId: orgOf(res), actor: actor(res), action: `badge_class.${path}d`, subject: slug, details: null });
      const t = CONSOLE_MESSAGES[frameOf(req, res).lang];
      await listPage(req, res, archived ? t.badgeClassArchived : t.badgeClassUnarchived);
    });
  }

  return router;
}
