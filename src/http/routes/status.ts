import { Router, type Response } from 'express';
import type { AppContext } from '../../app-context.js';
import { AppError } from '../../errors/errors.js';
import { suspensionListId } from '../../status/status-lists.js';

const LIST_ID = /^[0-9a-f-]{36}$/;

/**
 * `GET /status/{listId}`: the signed BitstringStatusListCredential of revocations (W3C Bitstring Status
 * List §2.2); `GET /status/{listId}/suspension`: its parallel list of suspensions, the same indexes.
 */
export function createStatusRouter(ctx: AppContext): Router {
  const router = Router();
  // Verifiers must see a revocation or suspension at once: let them revalidate rather than cache.
  const send = (res: Response, text: string) => res.set('Cache-Control', 'no-cache').type('application/vc+ld+json').send(text);
  router.get('/status/:listId', async (req, res) => {
    const listId = req.params.listId;
    const text = LIST_ID.test(listId) ? await ctx.status.signedList(listId) : undefined;
    if (!text) throw new AppError('not_found', `no status list "${listId}"`);
    send(res, text);
  });
  router.get('/status/:listId/suspension', async (req, res) => {
    const listId = req.params.listId;
    const text = LIST_ID.test(listId) ? await ctx.status.signedList(suspensionListId(listId)) : undefined;
    if (!text) throw new AppError('not_found', `no suspension list for status list "${listId}"`);
    send(res, text);
  });
  return router;
}
