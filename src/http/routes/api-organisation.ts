import { Router, type Response } from 'express';
import type { AppContext } from '../../app-context.js';
import { AppError } from '../../errors/errors.js';
import { parseOrThrow } from '../../errors/zod.js';
import { ALL_BADGE_CLASSES, type Caller } from '../../organisations/api-keys.js';
import type { Organisation } from '../../organisations/organisations.js';
import { applyProfilePatch, changedSettings, organisationSettingsSchema, profilePatchSchema } from '../../organisations/profile.js';
import { callerOf } from '../auth.js';
import { jsonBody } from '../body.js';

/**
 * `GET` and `PATCH /api/v1/organisation`: the API key's organisation as an issuer. Reading is open to
 * every key of it; changing its Profile only to a key for all its badge classes (`*`): a key scoped to
 * some badge classes is an integration that awards those, not one that speaks for the organisation.
 */
export function createApiOrganisationRouter(ctx: AppContext): Router {
  const router = Router();

  const view = (org: Organisation) => ({
    slug: org.slug,
    did: org.did,
    didDocument: org.didDocumentUrl,
    profileUrl: org.isInstance ? `${ctx.config.publicUrl}/issuer` : `${ctx.config.publicUrl}/orgs/${org.slug}`,
    name: org.name,
    profile: org.profile,
  });
  const organisationOf = async (caller: Caller): Promise<Organisation> => {
    const org = await ctx.organisations.fresh(caller.org.id);
    if (!org) throw new AppError('organisation_not_found', 'the organisation of this API key no longer exists');
    return org;
  };
  const send = (res: Response, org: Organisation) => res.set('Cache-Control', 'no-store').json(view(org));

  router.get('/', async (_req, res) => {
    send(res, await organisationOf(callerOf(res)));
  });

  router.patch('/', jsonBody('64kb'), async (req, res) => {
    const caller = callerOf(res);
    const patch = parseOrThrow(profilePatchSchema, req.body);
    if (!caller.badgeClasses.includes(ALL_BADGE_CLASSES)) {
      throw new AppError('forbidden', 'only an API key for all of the organisation\'s badge classes may change its profile; this one is scoped to some');
    }
    const org = await organisationOf(caller);
    const before = { name: org.name, profile: org.profile };
    // Each field was checked alone; the whole is checked again (the profile's own rules hold across fields).
    const after = parseOrThrow(organisationSettingsSchema, applyProfilePatch(before, patch));
    await ctx.organisations.updateProfile(org.id, after.name, after.profile);
    const changed = changedSettings(before, after);
    if (changed.length) await ctx.accounts.audit({ orgId: org.id, actor: `api-key:${caller.apiKeyId}`, action: 'organisation.updated', subject: org.slug, details: { fields: changed } });
    send(res, (await ctx.organisations.get(org.id))!);
  });

  return router;
}
