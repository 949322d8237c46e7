import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../app-context.js';
import { pick } from '../../badge-classes/achievement.js';
import { mayBeAwardedBy, type CatalogEntry } from '../../badge-classes/catalog.js';
import { badgeClassInputSchema } from '../../badge-classes/schema.js';
import { AppError } from '../../errors/errors.js';
import { parseOrThrow } from '../../errors/zod.js';
import { expandCompetenceReferences } from '../../frameworks/references.js';
import { mayAward, type Caller } from '../../organisations/api-keys.js';
import { callerOf } from '../auth.js';
import { jsonBody } from '../body.js';

/** `If-Match: "3"`: the version a change was made from (the ETag of what was read). */
export function expectedVersion(req: Request, what = 'badge class'): number {
  const header = req.get('if-match');
  if (header === undefined) throw new AppError('precondition_required', 'send If-Match with the ETag of the version you changed (e.g. If-Match: "3"), so that nobody\'s change is overwritten');
  const match = /^\s*(?:W\/)?"?([1-9]\d{0,8})"?\s*$/.exec(header);
  if (!match) throw new AppError('invalid_header', `If-Match must be the ETag of a version of this ${what}, e.g. "3"`);
  return Number(match[1]);
}

/**
 * `/api/v1/badge-classes`: what the console does with badge classes. An organisation sees its own
 * classes and those it may award (shared with it, or opened to it by their owner), as far as the key's
 * scope reaches; it changes only its own. Another organisation's class it may not award is a 404,
 * whatever the call: its existence is not told.
 */
export function createApiBadgeClassesRouter(ctx: AppContext): Router {
  const router = Router();
  const by = (caller: Caller) => `api-key:${caller.apiKeyId}`;

  /** The class, if this caller may see it (404 otherwise), may reach it with this key (403), and, to change it, owns it (403). */
  function reach(caller: Caller, slug: string, change: boolean): CatalogEntry {
    const entry = ctx.catalog.get(slug);
    if (!entry || !mayBeAwardedBy(entry, caller.org.id)) throw new AppError('badge_class_not_found', `no badge class "${slug}"`);
    if (!mayAward(caller, slug)) throw new AppError('badge_class_not_allowed', `this API key is not scoped to the badge class "${slug}"`);
    if (change && entry.orgId !== caller.org.id) throw new AppError('badge_class_not_owned', `the badge class "${slug}" belongs to another organisation: you may award it, not change it`);
    return entry;
  }

  async function send(res: Response, caller: Caller, entry: CatalogEntry, status = 200): Promise<void> {
    const own = entry.orgId === caller.org.id;
    const owner = await ctx.organisations.get(entry.orgId);
    const awarders = own ? (await Promise.all(entry.awarders.map(async (id) => (await ctx.organisations.get(id))?.slug))).filter((s): s is string => !!s) : undefined;
    res
      .status(status)
      .set('ETag', `"${entry.version}"`)
      .json({
        slug: entry.badgeClass.slug,
        version: entry.version,
        archived: entry.archived,
        shared: entry.shared,
        owner: owner?.slug ?? null,
        editable: own,
        ...(awarders ? { awarders } : {}),
        languages: entry.languages,
        achievement: `${ctx.config.publicUrl}/achievements/${entry.badgeClass.slug}`,
        image: entry.image ? 'uploaded' : 'drawn',
        definition: entry.badgeClass,
      });
  }
  const slugOf = (req: Request) => String(req.params.slug);

  router.get('/', (_req, res) => {
    const caller = callerOf(res);
    const items = ctx.catalog
      .awardableBy(caller.org.id)
      .filter((e) => mayAward(caller, e.badgeClass.slug))
      .map(({ badgeClass, languages }) => ({
        slug: badgeClass.slug,
        version: badgeClass.version,
        achievementType: badgeClass.achievementType,
        name: badgeClass.name,
        languages,
        achievement: `${ctx.config.publicUrl}/achievements/${badgeClass.slug}`,
        proficiencyLevel: { ...badgeClass.proficiencyLevel, name: pick(badgeClass.proficiencyLevel.name, 'en') },
        validityPeriod: badgeClass.validityPeriod ?? null,
        alignments: badgeClass.alignments.map((a) => ({ targetFramework: a.targetFramework, targetCode: a.targetCode ?? null, targetName: a.targetName, targetUrl: a.targetUrl, targetType: a.targetType ?? null })),
      }));
    res.json({ items });
  });

  // Alignments may name a known framework's competence: expanded, then the whole class is checked.
  const parseInput = (body: unknown) => {
    const { value, problems } = expandCompetenceReferences(body, ctx.frameworks);
    if (problems.length) throw new AppError('validation_failed', `"${problems[0]!.path}": ${problems[0]!.message}`, problems);
    return parseOrThrow(badgeClassInputSchema, value);
  };

  router.post('/', jsonBody('256kb'), async (req, res) => {
    const caller = callerOf(res);
    const input = parseInput(req.body);
    if (!mayAward(caller, input.slug)) throw new AppError('badge_class_not_allowed', `this API key is not scoped to the badge class "${input.slug}"`);
    const entry = await ctx.catalog.create(caller.org.id, { ...input, version: '1' }, { by: by(caller) });
    await ctx.accounts.audit({ orgId: caller.org.id, actor: by(caller), action: 'badge_class.created', subject: input.slug, details: null });
    res.location(`${ctx.config.publicUrl}/api/v1/badge-classes/${input.slug}`);
    await send(res, caller, entry, 201);
  });

  router.get('/:slug', async (req, res) => {
    const caller = callerOf(res);
    await send(res, caller, reach(caller, slugOf(req), false));
  });

  router.put('/:slug', jsonBody('256kb'), async (req, res) => {
    const caller = callerOf(res);
    const slug = slugOf(req);
    reach(caller, slug, true);
    const expected = expectedVersion(req);
    const input = parseInput(req.body);
    const entry = await ctx.catalog.update(slug, { ...input, version: String(expected + 1) }, { expectedVersion: expected, by: by(caller) });
    await ctx.accounts.audit({ orgId: caller.org.id, actor: by(caller), action: 'badge_class.changed', subject: slug, details: { version: entry.version } });
    await send(res, caller, entry);
  });

  for (const [path, archived] of [['archive', true], ['unarchive', false]] as const) {
    router.post(`/:slug/${path}`, async (req, res) => {
      const caller = callerOf(res);
      const slug = slugOf(req);
      reach(caller, slug, true);
      await ctx.catalog.setArchived(slug, archived);
      await ctx.accounts.audit({ orgId: caller.org.id, actor: by(caller), action: `badge_class.${path}d`, subject: slug, details: null });
      await send(res, caller, ctx.catalog.get(slug)!);
    });
  }

  router.get('/:slug/versions', async (req, res) => {
    const caller = callerOf(res);
    const slug = slugOf(req);
    reach(caller, slug, false);
    const versions = await ctx.catalog.versions(slug);
    res.json({ items: versions.map((v) => ({ version: v.version, createdAt: v.createdAt })).reverse() });
  });

  return router;
}
