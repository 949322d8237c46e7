import { Router } from 'express';
import type { AppContext } from '../../app-context.js';
import { AppError } from '../../errors/errors.js';
import { negotiateLanguage } from '../../pages/i18n.js';
import { renderCompetencePage, renderFrameworkPage, renderFrameworksPage } from '../../pages/frameworks-page.js';
import { sendPage } from '../pages.js';

/**
 * `/frameworks`: the competence frameworks the instance knows, each competence at its own address
 * (what an alignment's `targetUrl` is when the framework gives no URI of its own). Pages for people;
 * the competence as JSON for programs that ask for it.
 */
export function createFrameworksRouter(ctx: AppContext): Router {
  const router = Router();
  const site = ctx.instance.name;

  router.get('/frameworks', (req, res) => {
    const lang = negotiateLanguage(req.query, req.get('accept-language'));
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 100) : '';
    const search = q ? { query: q, results: ctx.frameworks.search(q, lang, { limit: 50 }) } : undefined;
    sendPage(res, renderFrameworksPage(lang, site, ctx.frameworks.list(), search), lang);
  });

  router.get('/frameworks/:slug', (req, res) => {
    const framework = ctx.frameworks.get(req.params.slug);
    if (!framework) throw new AppError('not_found', `no competence framework "${req.params.slug}"`);
    const lang = negotiateLanguage(req.query, req.get('accept-language'));
    sendPage(res, renderFrameworkPage(lang, site, framework), lang);
  });

  router.get('/frameworks/:slug/:code', (req, res) => {
    const found = ctx.frameworks.find({ framework: req.params.slug, code: req.params.code });
    if (!found) throw new AppError('not_found', `no competence "${req.params.code}" in the framework "${req.params.slug}"`);
    res.vary('Accept');
    if (req.accepts(['text/html', 'application/json']) === 'application/json') {
      const { framework, competence, uri } = found;
      return res.json({
        id: uri,
        framework: { slug: framework.slug, name: framework.shortName ?? framework.name.en, version: framework.version, publisher: framework.publisher, source: framework.source },
        code: competence.code,
        ...(competence.area ? { area: competence.area } : {}),
        kind: competence.kind,
        name: competence.name,
        ...(competence.description ? { description: competence.description } : {}),
      });
    }
    const lang = negotiateLanguage(req.query, req.get('accept-language'));
    sendPage(res, renderCompetencePage(lang, site, found), lang);
  });

  return router;
}
