import { Router } from 'express';
import type { AppContext } from '../../app-context.js';
import { renderLandingPage } from '../../pages/landing-page.js';
import { negotiateLanguage } from '../../pages/i18n.js';
import { sendPage } from '../pages.js';

/** `GET /`: the landing page, in `?lang=` or the browser's language. */
export function createLandingRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const lang = negotiateLanguage(req.query, req.get('accept-language'));
    sendPage(res, renderLandingPage(lang, ctx.instance.name), lang);
  });
  return router;
}
