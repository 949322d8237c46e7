import type { Router } from 'express';
import type { AppContext } from '../../app-context.js';
import type { DefinitionEntry } from '../../definitions/store.js';
import { frameworkPath } from '../../frameworks/frameworks.js';
import type { Framework } from '../../frameworks/schema.js';
import { createDefinitionRoutes } from './api-definitions.js';

/**
 * `/api/v1/frameworks`: an organisation's own competence frameworks (its badge classes, pathways and
 * self-assessments then name their competences as they name DigComp's). Any key of the organisation
 * reads them; only a key for all its badge classes defines or changes one. Another organisation's
 * framework, and a bundled one, are a 404 here (both are public at /frameworks).
 */
export function createApiFrameworksRouter(ctx: AppContext): Router {
  return createDefinitionRoutes<DefinitionEntry<Framework>, Framework>(ctx, {
    what: 'framework',
    plural: 'frameworks',
    notFound: 'framework_not_found',
    bodyLimit: '512kb',
    definitionOf: (entry) => entry.definition,
    get: (slug) => ctx.frameworks.entry(slug),
    ownedBy: (orgId) => ctx.frameworks.ownedBy(orgId),
    check: (_orgId, raw) => ctx.frameworks.check(raw),
    create: (orgId, framework) => ctx.frameworks.create(orgId, framework),
    update: (slug, framework, expected) => ctx.frameworks.update(slug, framework, expected),
    setArchived: (slug, archived) => ctx.frameworks.setArchived(slug, archived),
    page: (slug) => `${ctx.config.publicUrl}${frameworkPath(slug)}`,
  }).router;
}
