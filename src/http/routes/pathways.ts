import { Router } from 'express';
import type { AppContext } from '../../app-context.js';
import type { Language } from '../../badge-classes/schema.js';
import { AppError } from '../../errors/errors.js';
import { negotiateLanguage } from '../../pages/i18n.js';
import { renderPathwayPage, renderPathwaysPage, renderProgressPage, type PathwayPageContext } from '../../pages/pathways-page.js';
import { sendPage } from '../pages.js';

/**
 * `/pathways`: the learning pathways organisations publish, each at its own address (a page, or its
 * definition as JSON for programs that ask); `/progress/{token}`: a learner's private progress page,
 * the link sent with each badge e-mail.
 */
export function createPathwaysRouter(ctx: AppContext): Router {
  const router = Router();
  const pages: PathwayPageContext = { siteName: ctx.instance.name, badge: (slug) => ctx.catalog.get(slug), frameworks: ctx.frameworks };
  const orgName = async (orgId: string, lang: Language) => (await ctx.organisations.get(orgId))?.issuer(lang).name ?? '';

  router.get('/pathways', async (req, res) => {
    const lang = negotiateLanguage(req.query, req.get('accept-language'));
    const listed = ctx.pathways.list().filter((e) => !e.archived);
    const pathways = await Promise.all(listed.map(async (e) => ({ pathway: e.pathway, organisation: await orgName(e.orgId, lang) })));
    sendPage(res, renderPathwaysPage(lang, pages, pathways), lang);
  });

  router.get('/pathways/:slug', async (req, res) => {
    const entry = ctx.pathways.get(req.params.slug);
    if (!entry || entry.archived) throw new AppError('pathway_not_found', `no learning pathway "${req.params.slug}"`);
    res.vary('Accept');
    if (req.accepts(['text/html', 'application/json']) === 'application/json') {
      const org = await ctx.organisations.get(entry.orgId);
      return res.json({ ...entry.pathway, organisation: org ? { id: org.did, name: org.name } : null });
    }
    const lang = negotiateLanguage(req.query, req.get('accept-language'));
    sendPage(res, renderPathwayPage(lang, pages, entry.pathway, await orgName(entry.orgId, lang)), lang);
  });

  router.get('/progress/:token', async (req, res) => {
    const link = await ctx.progressLinks.read(req.params.token);
    if (!link) throw new AppError('not_found', 'this progress link is not valid');
    const lang = negotiateLanguage(req.query, req.get('accept-language'));
    const progress = await ctx.progress.progressOf(link.orgId, link.learnerKey);
    // Private: kept out of search engines and every cache, and its address out of other sites' logs (no-referrer).
    res.set('X-Robots-Tag', 'noindex, nofollow');
    sendPage(res, renderProgressPage(lang, pages, await orgName(link.orgId, lang), progress, `/progress/${req.params.token}`), lang, { cacheControl: 'private, no-store' });
  });

  return router;
}
