import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../app-context.js';
import type { DefinitionEntry } from '../../definitions/store.js';
import { AppError } from '../../errors/errors.js';
import { frameworkPath } from '../../frameworks/frameworks.js';
import type { Framework } from '../../frameworks/schema.js';
import { ALL_BADGE_CLASSES, type Caller } from '../../organisations/api-keys.js';
import { callerOf } from '../auth.js';
import { jsonBody } from '../body.js';
import { expectedVersion } from './api-badge-classes.js';

/**
 * `/api/v1/frameworks`: an organisation's own competence frameworks (its badge classes, pathways and
 * self-assessments then name their competences as they name DigComp's). Any key of the organisation
 * reads them; only a key for all its badge classes defines or changes one. Another organisation's
 * framework, and a bundled one, are a 404 here (both are public at /frameworks).
 */
export function createApiFrameworksRouter(ctx: AppContext): Router {
  const router = Router();
  const by = (caller: Caller) => `api-key:${caller.apiKeyId}`;
  const slugOf = (req: Request) => String(req.params.slug);

  function own(caller: Caller, slug: string): DefinitionEntry<Framework> {
    const entry = ctx.frameworks.entry(slug);
    if (!entry || entry.orgId !== caller.org.id) throw new AppError('framework_not_found', `your organisation has no framework "${slug}"`);
    return entry;
  }
  function mayChange(caller: Caller): void {
    if (!caller.badgeClasses.includes(ALL_BADGE_CLASSES)) throw new AppError('forbidden', 'only an API key for all of the organisation\'s badge classes may define or change its frameworks; this one is scoped to some');
  }
  const resource = (entry: DefinitionEntry<Framework>) => ({
    slug: entry.definition.slug,
    version: entry.version,
    archived: entry.archived,
    page: `${ctx.config.publicUrl}${frameworkPath(entry.definition.slug)}`,
    definition: entry.definition,
  });
  const send = (res: Response, entry: DefinitionEntry<Framework>, status = 200) => res.status(status).set('ETag', `"${entry.version}"`).json(resource(entry));

  router.get('/', (_req, res) => {
    res.json({ items: ctx.frameworks.ownedBy(callerOf(res).org.id).map(resource) });
  });

  router.post('/', jsonBody('512kb'), async (req, res) => {
    const caller = callerOf(res);
    mayChange(caller);
    const framework = ctx.frameworks.check(req.body);
    const entry = await ctx.frameworks.create(caller.org.id, framework);
    await ctx.accounts.audit({ orgId: caller.org.id, actor: by(caller), action: 'framework.created', subject: framework.slug, details: null });
    res.location(`${ctx.config.publicUrl}/api/v1/frameworks/${framework.slug}`);
    send(res, entry, 201);
  });

  router.get('/:slug', (req, res) => {
    send(res, own(callerOf(res), slugOf(req)));
  });

  router.put('/:slug', jsonBody('512kb'), async (req, res) => {
    const caller = callerOf(res);
    const slug = slugOf(req);
    own(caller, slug);
    mayChange(caller);
    const expected = expectedVersion(req, 'framework');
    const framework = ctx.frameworks.check(req.body);
    if (framework.slug !== slug) throw new AppError('validation_failed', `"slug" must be "${slug}", the framework's in the path`, [{ path: 'slug', message: `must be "${slug}"` }]);
    const entry = await ctx.frameworks.update(slug, framework, expected);
    await ctx.accounts.audit({ orgId: caller.org.id, actor: by(caller), action: 'framework.changed', subject: slug, details: { version: entry.version } });
    send(res, entry);
  });

  for (const [path, archived] of [['archive', true], ['unarchive', false]] as const) {
    router.post(`/:slug/${path}`, async (req, res) => {
      const caller = callerOf(res);
      const slug = slugOf(req);
      own(caller, slug);
      mayChange(caller);
      await ctx.frameworks.setArchived(slug, archived);
      await ctx.accounts.audit({ orgId: caller.org.id, actor: by(caller), action: `framework.${path}d`, subject: slug, details: null });
      send(res, ctx.frameworks.entry(slug)!);
    });
  }

  return router;
}
