import { Router } from 'express';
import type { AppContext } from '../../app-context.js';
import { AppError } from '../../errors/errors.js';

/** `GET /status/{listId}`: the signed BitstringStatusListCredential (W3C Bitstring Status List §2.2). */
export function createStatusRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/status/:listId', async (req, res) => {
    const listId = req.params.listId;
    const text = /^[0-9a-f-]{36}$/.test(listId) ? await ctx.status.signedList(listId) : undefined;
    if (!text) throw new AppError('not_found', `no status list "${listId}"`);
    // Verifiers must see a revocation at once: let them revalidate rather than cache.
    res.set('Cache-Control', 'no-cache').type('application/vc+ld+json').send(text);
  });
  return router;
}
