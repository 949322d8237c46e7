import express, { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../app-context.js';
import type { BadgeImageFile } from '../../badge-classes/catalog.js';
import { checkImage, LOGO_RULES } from '../../badge-classes/image-upload.js';
import { AppError } from '../../errors/errors.js';
import type { Organisation } from '../../organisations/organisations.js';
import { changedSettings } from '../../organisations/profile.js';
import { CONSOLE_MESSAGES } from '../../pages/console/i18n.js';
import type { ConsoleFrame } from '../../pages/console/layout.js';
import { checkSettings, formFromSettings, logoProblemText, settingsFromForm, type SettingsValues } from '../../pages/console/settings-form.js';
import { renderSettings } from '../../pages/console/settings-page.js';
import { sendConsolePage as sendPage } from '../pages.js';
import { filesOf, multipartForm } from './multipart.js';
import { consoleUserOf, requireConsole, type ConsoleSessions } from './session.js';

/** The form: 7 languages × 2, contact, address, 10 identifiers × 2, and one logo. */
const multipart = multipartForm({ fileSize: LOGO_RULES.maxBytes, fieldSize: 4_000, total: LOGO_RULES.maxBytes + 128 * 1024, files: 1, fields: 80, parts: 81 });

/**
 * The owners' settings page: the organisation's issuer Profile (as its badges will name it), its logo,
 * and its signing keys. Changes show at once on this instance's public pages and DID document (the
 * organisations service forgets its copy); badges already awarded keep the issuer they were signed with.
 */
export function createConsoleSettingsRouter(ctx: AppContext, sessions: ConsoleSessions, frameOf: (req: Request, res: Response) => ConsoleFrame): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 5 });
  const actor = (res: Response) => `user:${consoleUserOf(res).user.id}`;

  /** The organisation as stored now: another instance may have changed it a moment ago. */
  const current = async (res: Response): Promise<Organisation> => {
    const org = await ctx.organisations.fresh(consoleUserOf(res).current.orgId);
    if (!org) throw new AppError('organisation_not_found', 'your organisation no longer exists');
    return org;
  };
  const canRotate = (org: Organisation) => !(org.isInstance && ctx.config.issuerDid === 'key');

  const page = (req: Request, res: Response, org: Organisation, state: { values?: SettingsValues; errors?: Record<string, string>; done?: string } = {}, status = 200) => {
    const frame = frameOf(req, res);
    sendPage(
      res.status(status),
      renderSettings(frame, {
        slug: org.slug,
        did: org.did,
        didDocumentUrl: org.didDocumentUrl,
        profileUrl: org.isInstance ? `${ctx.config.publicUrl}/issuer` : `${ctx.config.publicUrl}/orgs/${org.slug}`,
        isInstance: org.isInstance,
        canRotate: canRotate(org),
        logoUrl: org.logo && org.profile.image ? org.profile.image : null,
        keys: org.publicKeys.map((k) => ({ type: k.type, name: k.name, createdAt: k.createdAt, retiredAt: k.retiredAt })),
        values: state.values ?? formFromSettings({ name: org.name, profile: org.profile }),
        errors: state.errors ?? {},
        ...(state.done ? { done: state.done } : {}),
      }),
      frame.lang,
    );
  };

  router.get('/', requireConsole(sessions, 'settings'), async (req, res) => {
    const t = CONSOLE_MESSAGES[frameOf(req, res).lang];
    const done = req.query.saved === '1' ? t.settingsSaved : req.query.rotated === '1' ? t.settingsRotated : undefined;
    page(req, res, await current(res), done ? { done } : {});
  });

  router.post('/', multipart, requireConsole(sessions, 'settings'), async (req, res) => {
    const t = CONSOLE_MESSAGES[frameOf(req, res).lang];
    const org = await current(res);
    const values = req.body as SettingsValues;
    const before = { name: org.name, profile: org.profile };
    const { settings, errors } = checkSettings(settingsFromForm(values, before), t);
    let logo: BadgeImageFile | null | undefined = values.removeLogo === '1' ? null : undefined;
    const upload = filesOf(req).logo;
    if (upload?.length) {
      const checked = await checkImage(upload, LOGO_RULES);
      if ('problem' in checked) errors.logo = logoProblemText(checked.problem, t, LOGO_RULES.maxBytes);
      else logo = checked.image;
    }
    if (!settings || Object.keys(errors).length) return page(req, res, org, { values, errors }, 422);

    await ctx.organisations.updateProfile(org.id, settings.name, settings.profile, { logo });
    const after = (await ctx.organisations.get(org.id))!;
    const changed = changedSettings(before, { name: after.name, profile: after.profile });
    if (logo !== undefined && !changed.includes('profile.image')) changed.push('logo');
    // Which fields changed, never their values: the log keeps no contact details.
    if (changed.length) await ctx.accounts.audit({ orgId: org.id, actor: actor(res), action: 'organisation.updated', subject: org.slug, details: { fields: changed } });
    res.redirect(303, '/console/settings?saved=1');
  });

  router.post('/keys', form, requireConsole(sessions, 'settings'), async (req, res) => {
    const org = await current(res);
    if (!canRotate(org)) throw new AppError('validation_failed', 'this organisation is a did:key issuer: its identifier is its key, so the key cannot change');
    const rotated = await ctx.organisations.rotateKeys(org.id);
    await ctx.accounts.audit({
      orgId: org.id,
      actor: actor(res),
      action: 'organisation.keys_rotated',
      subject: org.slug,
      details: { keys: rotated.publicKeys.filter((k) => k.retiredAt === null).map((k) => k.name) },
    });
    res.redirect(303, '/console/settings?rotated=1');
  });

  return router;
}

