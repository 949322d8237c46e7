import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../app-context.js';
import { credentialUrl } from '../../credentials/build.js';
import type { CompletionState, PathwayCompletionRecord } from '../../db/repositories.js';
import { AppError } from '../../errors/errors.js';
import { ALL_BADGE_CLASSES, mayAward, type Caller } from '../../organisations/api-keys.js';
import type { PathwayEntry } from '../../pathways/store.js';
import { callerOf } from '../auth.js';
import { jsonBody } from '../body.js';
import { expectedVersion } from './api-badge-classes.js';

const STATES: readonly CompletionState[] = ['pending', 'awarding', 'awarded', 'declined'];

/**
 * `/api/v1/pathways`: an organisation's learning pathways, and the completions of its learners. Any
 * key of the organisation reads them; only a key for all its badge classes (`*`) defines or changes a
 * pathway, and a key that may award the capstone approves or declines a completion. Another
 * organisation's pathway is a 404.
 */
export function createApiPathwaysRouter(ctx: AppContext): Router {
  const router = Router();
  const by = (caller: Caller) => `api-key:${caller.apiKeyId}`;
  const slugOf = (req: Request) => String(req.params.slug);

  function own(caller: Caller, slug: string): PathwayEntry {
    const entry = ctx.pathways.get(slug);
    if (!entry || entry.orgId !== caller.org.id) throw new AppError('pathway_not_found', `no pathway "${slug}"`);
    return entry;
  }
  function mayChange(caller: Caller): void {
    if (!caller.badgeClasses.includes(ALL_BADGE_CLASSES)) throw new AppError('forbidden', 'only an API key for all of the organisation\'s badge classes may define or change its pathways; this one is scoped to some');
  }
  const resource = (entry: PathwayEntry) => ({
    slug: entry.pathway.slug,
    version: entry.version,
    archived: entry.archived,
    page: `${ctx.config.publicUrl}/pathways/${entry.pathway.slug}`,
    definition: entry.pathway,
  });
  const send = (res: Response, entry: PathwayEntry, status = 200) => res.status(status).set('ETag', `"${entry.version}"`).json(resource(entry));
  const completion = (c: PathwayCompletionRecord) => {
    const recipient = c.award?.recipient as { email?: string; name?: string } | undefined;
    return {
      id: c.id,
      pathway: c.pathway,
      state: c.state,
      components: c.components.map((id) => credentialUrl(ctx.config.publicUrl, id)),
      credential: c.credentialId ? credentialUrl(ctx.config.publicUrl, c.credentialId) : null,
      // Who it is for, while it waits (the organisation's own learner, whom it awarded); forgotten once decided.
      ...(recipient ? { recipient: { ...(recipient.email ? { email: recipient.email } : {}), ...(recipient.name ? { name: recipient.name } : {}) } } : {}),
      createdAt: c.createdAt,
      decidedAt: c.decidedAt,
    };
  };

  router.get('/', (_req, res) => {
    const caller = callerOf(res);
    res.json({ items: ctx.pathways.ownedBy(caller.org.id).map(resource) });
  });

  router.post('/', jsonBody('256kb'), async (req, res) => {
    const caller = callerOf(res);
    mayChange(caller);
    const pathway = ctx.pathways.check(caller.org.id, req.body);
    const entry = await ctx.pathways.create(caller.org.id, pathway);
    await ctx.accounts.audit({ orgId: caller.org.id, actor: by(caller), action: 'pathway.created', subject: pathway.slug, details: null });
    res.location(`${ctx.config.publicUrl}/api/v1/pathways/${pathway.slug}`);
    send(res, entry, 201);
  });

  router.get('/:slug', (req, res) => {
    send(res, own(callerOf(res), slugOf(req)));
  });

  router.put('/:slug', jsonBody('256kb'), async (req, res) => {
    const caller = callerOf(res);
    const slug = slugOf(req);
    own(caller, slug);
    mayChange(caller);
    const expected = expectedVersion(req, 'pathway');
    const pathway = ctx.pathways.check(caller.org.id, req.body);
    const entry = await ctx.pathways.update(slug, pathway, expected);
    await ctx.accounts.audit({ orgId: caller.org.id, actor: by(caller), action: 'pathway.changed', subject: slug, details: { version: entry.version } });
    send(res, entry);
  });

  for (const [path, archived] of [['archive', true], ['unarchive', false]] as const) {
    router.post(`/:slug/${path}`, async (req, res) => {
      const caller = callerOf(res);
      const slug = slugOf(req);
      own(caller, slug);
      mayChange(caller);
      await ctx.pathways.setArchived(slug, archived);
      await ctx.accounts.audit({ orgId: caller.org.id, actor: by(caller), action: `pathway.${path}d`, subject: slug, details: null });
      send(res, ctx.pathways.get(slug)!);
    });
  }

  router.get('/:slug/completions', async (req, res) => {
    const caller = callerOf(res);
    const slug = slugOf(req);
    own(caller, slug);
    const state = typeof req.query.state === 'string' ? req.query.state : undefined;
    if (state !== undefined && !STATES.includes(state as CompletionState)) throw new AppError('validation_failed', `"state" must be one of ${STATES.join(', ')}`, [{ path: 'state', message: `one of ${STATES.join(', ')}` }]);
    const items = await ctx.progress.completions(caller.org.id, { pathway: slug, limit: 500, ...(state ? { state: state as CompletionState } : {}) });
    res.json({ items: items.map(completion) });
  });

  for (const action of ['approve', 'decline'] as const) {
    router.post(`/:slug/completions/:id/${action}`, async (req, res) => {
      const caller = callerOf(res);
      const entry = own(caller, slugOf(req));
      if (!mayAward(caller, entry.pathway.capstone)) throw new AppError('badge_class_not_allowed', `this API key may not award the capstone "${entry.pathway.capstone}"`);
      const found = await ctx.storage.pathways.completionById(caller.org.id, String(req.params.id));
      if (!found || found.pathway !== entry.pathway.slug) throw new AppError('completion_not_found', `no completion "${String(req.params.id)}" of this pathway`);
      const done = action === 'approve' ? await ctx.progress.approve(caller.org.id, found.id, by(caller)) : await ctx.progress.decline(caller.org.id, found.id, by(caller));
      res.json(completion(done));
    });
  }

  return router;
}
