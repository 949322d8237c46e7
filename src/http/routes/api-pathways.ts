import type { Request, Router } from 'express';
import type { AppContext } from '../../app-context.js';
import { credentialUrl } from '../../credentials/build.js';
import type { CompletionState, PathwayCompletionRecord } from '../../db/repositories.js';
import { AppError } from '../../errors/errors.js';
import { mayAward, type Caller } from '../../organisations/api-keys.js';
import type { Pathway } from '../../pathways/schema.js';
import type { PathwayEntry } from '../../pathways/store.js';
import { callerOf } from '../auth.js';
import { createDefinitionRoutes } from './api-definitions.js';

const STATES: readonly CompletionState[] = ['pending', 'awarding', 'awarded', 'declined'];

/**
 * `/api/v1/pathways`: an organisation's learning pathways, and the completions of its learners. Any
 * key of the organisation reads them; only a key for all its badge classes (`*`) defines or changes a
 * pathway, and a key that may award the capstone approves or declines a completion. Another
 * organisation's pathway is a 404.
 */
export function createApiPathwaysRouter(ctx: AppContext): Router {
  const { router, own } = createDefinitionRoutes<PathwayEntry, Pathway>(ctx, {
    what: 'pathway',
    plural: 'pathways',
    notFound: 'pathway_not_found',
    bodyLimit: '256kb',
    definitionOf: (entry) => entry.pathway,
    get: (slug) => ctx.pathways.get(slug),
    ownedBy: (orgId) => ctx.pathways.ownedBy(orgId),
    check: (orgId, raw) => ctx.pathways.check(orgId, raw),
    create: (orgId, pathway) => ctx.pathways.create(orgId, pathway),
    update: (slug, pathway, expected) => ctx.pathways.update(slug, pathway, expected),
    setArchived: (slug, archived) => ctx.pathways.setArchived(slug, archived),
    page: (slug) => `${ctx.config.publicUrl}/pathways/${slug}`,
  });
  const by = (caller: Caller) => `api-key:${caller.apiKeyId}`;
  const slugOf = (req: Request) => String(req.params.slug);
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
