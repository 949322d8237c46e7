import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Router } from 'express';
import type { AppContext } from '../../app-context.js';
import type { Language } from '../../badge-classes/schema.js';
import { PROJECT_ROOT } from '../../config/paths.js';
import { renderApiReference } from '../../pages/api-reference.js';
import { negotiateLanguage } from '../../pages/i18n.js';
import { sendPage } from '../pages.js';
import { API_REFERENCE_PATH, buildOpenApiDocument, OPENAPI_PATH, type OpenApiDocument } from './document.js';

const VERSION = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * `GET /openapi.json` and `GET /api/reference`. The document is built once per app, on the first
 * request that needs it (most apps made in tests never do), and so is the page in each language.
 */
export function createOpenApiRouter(ctx: AppContext): Router {
  const router = Router();
  let built: { document: OpenApiDocument; json: string } | undefined;
  const document = () => {
    if (!built) {
      const doc = buildOpenApiDocument({ publicUrl: ctx.config.publicUrl, version: VERSION });
      built = { document: doc, json: JSON.stringify(doc) };
    }
    return built;
  };
  const pages = new Map<Language, string>();

  router.get(OPENAPI_PATH, (_req, res) => {
    // Read by API tools in browsers elsewhere, like the other public documents.
    res.set('Access-Control-Allow-Origin', '*').type('application/json').send(document().json);
  });

  router.get(API_REFERENCE_PATH, (req, res) => {
    const lang = negotiateLanguage(req.query.lang, req.get('accept-language'));
    let page = pages.get(lang);
    if (!page) {
      page = renderApiReference(document().document, { lang, path: API_REFERENCE_PATH, documentPath: OPENAPI_PATH });
      pages.set(lang, page);
    }
    sendPage(res, page, lang);
  });

  return router;
}
