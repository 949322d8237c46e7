import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { awardRequestSchema, batchRequestSchema, reissueRequestSchema, renewalRequestSchema } from '../../credentials/award-request.js';
import type { IssueResult, IssuedCredential } from '../../credentials/issuance.js';
import { AppError } from '../../errors/errors.js';
import { parseOrThrow } from '../../errors/zod.js';
import { mayAward } from '../../organisations/api-keys.js';
import { callerOf, requireApiKey } from '../auth.js';
import { jsonBody } from '../body.js';
import { createApiKeyFailureLimit } from '../rate-limit.js';
import { createIssuanceJobsRouter } from './api-issuance-jobs.js';
import { createApiBadgeClassesRouter } from './api-badge-classes.js';
import { createApiPathwaysRouter } from './api-pathways.js';
import { createApiFrameworksRouter } from './api-frameworks.js';
import { createApiEndorsementsRouter } from './endorsements.js';
import { createApiOrganisationRouter } from './api-organisation.js';

const revokeSchema = z
  .object({
    reason: z.string().trim().min(1).max(500).describe('Why the badge is revoked; kept private unless publishReason is true.'),
    publishReason: z.boolean().default(false),
  })
  .strict();

/**
 * A suspension's reason is kept for the organisation. `publishReason` is read as for a revocation, but
 * only `false` is accepted for now: the suspensions table has no column to keep the choice in.
 */
const suspendSchema = z
  .object({
    reason: z.string().trim().min(1).max(500).describe('Why the badge is suspended; kept private.'),
    publishReason: z
      .boolean()
      .default(false)
      .refine((publish) => !publish, { message: '"publishReason" must be false: the reason of a suspension is not published' }),
  })
  .strict();

/** A page position: the last row of the previous page, opaque to clients (base64url JSON). */
const cursorOf = (item: { issuedAt: string; id: string }): string => Buffer.from(JSON.stringify([item.issuedAt, item.id])).toString('base64url');
const cursorSchema = z.string().max(200).transform((text, ctx) => {
  try {
    const [issuedAt, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (typeof issuedAt === 'string' && typeof id === 'string') return { issuedAt, id };
  } catch {
    // reported below
  }
  ctx.addIssue({ code: 'custom', message: '"cursor" is not a cursor this API gave' });
  return z.NEVER;
});

const listQuery = z
  .object({
    badgeClass: z.string().min(1).max(80).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    /** Keyset pagination: the same cost at any depth. */
    cursor: cursorSchema.optional(),
    /** Kept for small depths; a deep offset scans every row before it. */
    offset: z.coerce.number().int().min(0).max(10_000).optional(),
    /** Counting every row is asked for, not done on every page. */
    total: z.enum(['true', 'false']).optional(),
  })
  .strict()
  .refine((q) => q.cursor === undefined || q.offset === undefined, { message: 'give either "cursor" or "offset", not both', path: ['cursor'] });

/** `Idempotency-Key`: 1–255 visible ASCII characters (draft-ietf-httpapi-idempotency-key-header). */
function idempotencyKey(req: Request): string | undefined {
  const key = req.get('idempotency-key');
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new AppError('invalid_header', 'the Idempotency-Key header must be 1 to 255 visible ASCII characters');
  }
  return key;
}

/** `?include=jwt` signs the VC-JWT at issuance and puts it in the answer; otherwise `jwtUrl` signs it when first fetched. */
const issueQuery = z.object({ include: z.enum(['jwt']).optional() });

/**
 * One issued credential as JSON text: the credential is the stored text itself, byte for byte what
 * `GET url` serves, so it is not serialised again.
 */
const issuedJson = ({ id, url, document, jwt }: IssuedCredential): string =>
  `{"id":${JSON.stringify(id)},"url":${JSON.stringify(url)},"jwtUrl":${JSON.stringify(`${url}.jwt`)},"credential":${document}${jwt === null ? '' : `,"jwt":${JSON.stringify(jwt)}`}}`;

/** Written as it is: no ETag (a hash of the whole body) for an answer to a POST, which no cache keeps. */
function sendIssued(res: Response, result: IssueResult, body: string): void {
  if (result.replayed) res.set('Idempotent-Replayed', 'true');
  res.status(201).set({ 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(body);
}

/** The training providers' API: issue, batch-issue, list, re-issue, suspend, revoke and erase credentials; spreadsheet jobs; the organisation and its badge classes. */
export function createApiV1Router(ctx: AppContext): Router {
  const router = Router();
  router.use(requireApiKey(ctx.apiKeys, createApiKeyFailureLimit(ctx.config.rateLimits)));

  router.post('/credentials', jsonBody('256kb'), async (req, res) => {
    const award = parseOrThrow(awardRequestSchema, req.body);
    const { include } = parseOrThrow(issueQuery, req.query);
    const caller = callerOf(res);
    const result = await ctx.issuance.issue(caller, [award], { idempotencyKey: idempotencyKey(req), kind: 'single', jwt: include === 'jwt', actor: `api-key:${caller.apiKeyId}` });
    const issued = result.issued[0]!;
    res.location(issued.url);
    sendIssued(res, result, issuedJson(issued));
  });

  router.post('/credentials/batch', jsonBody('16mb'), async (req, res) => {
    const { awards } = parseOrThrow(batchRequestSchema, req.body);
    const { include } = parseOrThrow(issueQuery, req.query);
    const caller = callerOf(res);
    const result = await ctx.issuance.issue(caller, awards, { idempotencyKey: idempotencyKey(req), kind: 'batch', jwt: include === 'jwt', actor: `api-key:${caller.apiKeyId}` });
    sendIssued(res, result, `{"count":${result.issued.length},"credentials":[${result.issued.map(issuedJson).join(',')}]}`);
  });

  router.get('/credentials', async (req, res) => {
    const query = parseOrThrow(listQuery, req.query);
    const page = await ctx.issuance.list(callerOf(res), {
      limit: query.limit,
      withTotal: query.total === 'true',
      ...(query.badgeClass ? { badgeClass: query.badgeClass } : {}),
      ...(query.cursor ? { after: query.cursor } : {}),
      ...(query.offset !== undefined ? { offset: query.offset } : {}),
    });
    const last = page.items.at(-1);
    const nextCursor = last && page.items.length === query.limit ? cursorOf(last) : undefined;
    if (page.total !== undefined) res.set('X-Total-Count', String(page.total));
    if (nextCursor) {
      const next = new URLSearchParams({ ...(query.badgeClass ? { badgeClass: query.badgeClass } : {}), limit: String(query.limit), cursor: nextCursor });
      res.set('Link', `<${ctx.config.publicUrl}/api/v1/credentials?${next}>; rel="next"`);
    }
    res.json({ items: page.items, limit: query.limit, ...(nextCursor ? { nextCursor } : {}), ...(page.total !== undefined ? { total: page.total } : {}) });
  });

  router.post('/credentials/:id/revoke', jsonBody('16kb'), async (req, res) => {
    const body = parseOrThrow(revokeSchema, req.body);
    const caller = callerOf(res);
    const id = String(req.params.id);
    const revocation = await ctx.status.revoke(id, caller.org.id, { reason: body.reason, publishReason: body.publishReason });
    await ctx.accounts.audit({ orgId: caller.org.id, actor: `api-key:${caller.apiKeyId}`, action: 'credential.revoked', subject: id, details: null });
    res.json(revocation);
  });

  router.use('/issuance-jobs', createIssuanceJobsRouter(ctx));

  router.post('/credentials/:id/suspend', jsonBody('16kb'), async (req, res) => {
    const body = parseOrThrow(suspendSchema, req.body);
    const caller = callerOf(res);
    const id = String(req.params.id);
    const suspension = await ctx.status.suspend(id, caller.org.id, { reason: body.reason });
    await ctx.accounts.audit({ orgId: caller.org.id, actor: `api-key:${caller.apiKeyId}`, action: 'credential.suspended', subject: id, details: null });
    res.json(suspension);
  });

  // No body is read: reinstating needs nothing but the credential.
  router.post('/credentials/:id/reinstate', async (req, res) => {
    const caller = callerOf(res);
    const id = String(req.params.id);
    const reinstatement = await ctx.status.reinstate(id, caller.org.id);
    await ctx.accounts.audit({ orgId: caller.org.id, actor: `api-key:${caller.apiKeyId}`, action: 'credential.reinstated', subject: id, details: null });
    res.json(reinstatement);
  });

  // A corrected credential replaces the original, which is revoked ("replaced") and links to it.
  router.post('/credentials/:id/reissue', jsonBody('256kb'), async (req, res) => {
    const correction = parseOrThrow(reissueRequestSchema, req.body);
    const caller = callerOf(res);
    const { issued, replaces } = await ctx.issuance.reissue(caller, String(req.params.id), correction, `api-key:${caller.apiKeyId}`);
    res.location(issued.url);
    sendIssued(res, { replayed: false, issued: [issued] }, `${issuedJson(issued).slice(0, -1)},"replaces":${JSON.stringify(replaces)}}`);
  });

  // A renewal follows a badge that expires; the renewed one stays valid until its date and links to it.
  router.post('/credentials/:id/renew', jsonBody('256kb'), async (req, res) => {
    const request = parseOrThrow(renewalRequestSchema, req.body);
    const caller = callerOf(res);
    const { issued, renews } = await ctx.issuance.renew(caller, String(req.params.id), request, `api-key:${caller.apiKeyId}`);
    res.location(issued.url);
    sendIssued(res, { replayed: false, issued: [issued] }, `${issuedJson(issued).slice(0, -1)},"renews":${JSON.stringify(renews)}}`);
  });

  // Erasure on request (GDPR Art. 17); repeating it answers with the first erasure.
  router.delete('/credentials/:id', async (req, res) => {
    const caller = callerOf(res);
    res.json(await ctx.erasure.erase(caller, String(req.params.id), `api-key:${caller.apiKeyId}`));
  });

  router.use('/organisation', createApiOrganisationRouter(ctx));
  router.use('/badge-classes', createApiBadgeClassesRouter(ctx));
  router.use('/pathways', createApiPathwaysRouter(ctx));
  router.use('/frameworks', createApiFrameworksRouter(ctx));
  router.use('/endorsements', createApiEndorsementsRouter(ctx));

  // Counts of the caller's own organisation only (usage/usage.ts), for a class its key may award.
  router.get('/badge-classes/:slug/stats', async (req, res) => {
    const caller = callerOf(res);
    const slug = String(req.params.slug);
    if (!(await ctx.catalog.ensure(slug))) throw new AppError('badge_class_not_found', `no badge class "${slug}"`);
    if (!mayAward(caller, slug)) throw new AppError('badge_class_not_allowed', `this API key may not award badge class "${slug}"`);
    const stats = (await ctx.usage.statsOf(caller.org.id)).find((s) => s.badgeClass === slug);
    res.json(stats ?? { badgeClass: slug, awarded: 0, delivered: 0, claimed: 0, views: 0, downloads: 0, verifications: 0 });
  });

  return router;
}
