import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { languageSchema } from '../../badge-classes/schema.js';
import { AppError } from '../../errors/errors.js';
import { parseOrThrow } from '../../errors/zod.js';
import { endorsementUrl } from '../../endorsements/endorsements.js';
import { ALL_BADGE_CLASSES } from '../../organisations/api-keys.js';
import { callerOf } from '../auth.js';
import { jsonBody } from '../body.js';

export const endorseRequestSchema = z
  .object({
    subject: z
      .union([
        z.object({ badgeClass: z.string().min(1).max(80).describe('Another organisation\'s badge class (its slug).') }).strict(),
        z.object({ organisation: z.string().min(1).max(80).describe('Another organisation (its slug).') }).strict(),
      ])
      .describe('What is endorsed: a badge class, or an organisation.'),
    comment: z.string().trim().min(1).max(2000).describe('Why: OB 3.0 `endorsementComment` (Markdown).'),
    language: languageSchema.optional().describe('The language of the comment and of the names in the credential. Default "en".'),
  })
  .strict()
  .meta({ id: 'EndorseRequest', examples: [{ subject: { badgeClass: 'carer-plus-digital-communication' }, comment: 'Reviewed by our certification committee: the assessment meets the national standard for home-care assistants.', language: 'en' }] });

/** `/api/v1/endorsements`: the organisation's endorsements of others' badge classes and of organisations. */
export function createApiEndorsementsRouter(ctx: AppContext): Router {
  const router = Router();
  const resource = (e: { id: string; subjectKind: string; subject: string; createdAt: string }) => ({ id: e.id, url: endorsementUrl(ctx.config.publicUrl, e.id), subjectKind: e.subjectKind, createdAt: e.createdAt });
  const organisationWide = (scopes: string[]) => {
    if (!scopes.includes(ALL_BADGE_CLASSES)) throw new AppError('forbidden', 'only an API key for all of the organisation\'s badge classes may endorse in its name; this one is scoped to some');
  };

  router.get('/', async (_req, res) => {
    const caller = callerOf(res);
    res.json({ items: (await ctx.endorsements.given(caller.org.id)).map(resource) });
  });

  router.post('/', jsonBody('16kb'), async (req, res) => {
    const caller = callerOf(res);
    organisationWide(caller.badgeClasses);
    const body = parseOrThrow(endorseRequestSchema, req.body);
    const record = await ctx.endorsements.endorse(caller.org.id, body.subject, body.comment, body.language ?? 'en', `api-key:${caller.apiKeyId}`);
    res.status(201).location(endorsementUrl(ctx.config.publicUrl, record.id)).json({ ...resource(record), credential: JSON.parse(record.document) });
  });

  router.delete('/:id', async (req, res) => {
    const caller = callerOf(res);
    organisationWide(caller.badgeClasses);
    await ctx.endorsements.withdraw(caller.org.id, String(req.params.id), `api-key:${caller.apiKeyId}`);
    res.json({ id: String(req.params.id), withdrawn: true });
  });

  return router;
}

/** `GET /endorsements/{id}`: the signed EndorsementCredential, byte-exact; 410 once withdrawn. */
export function createEndorsementsRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/endorsements/:id', async (req, res) => {
    const record = await ctx.endorsements.get(String(req.params.id));
    if (!record) throw new AppError('endorsement_not_found', `no endorsement "${String(req.params.id)}"`);
    if (record.withdrawnAt) throw new AppError('endorsement_withdrawn', `this endorsement was withdrawn by its issuer on ${record.withdrawnAt.slice(0, 10)}`);
    res.set('Cache-Control', 'no-cache').type('application/ld+json').send(record.document);
  });
  return router;
}
