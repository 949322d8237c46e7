import { Router } from 'express';
import type { AppContext } from '../../app-context.js';
import { toAchievement } from '../../badge-classes/achievement.js';
import { microCredentialContext, microCredentialVocabulary } from '../../badge-classes/micro-credential.js';
import { languageSchema, type Language } from '../../badge-classes/schema.js';
import { AppError } from '../../errors/errors.js';
import { CONTEXT } from '../../jsonld/contexts.js';

/** `GET /achievements/{slug}`: the OB 3.0 Achievement, in `?lang=` or the Accept-Language the class has. */
export function createAchievementsRouter(ctx: AppContext): Router {
  const router = Router();
  const { images } = ctx;

  const entryOf = (slug: string) => {
    const entry = ctx.catalog.get(slug);
    if (!entry) throw new AppError('badge_class_not_found', `no badge class "${slug}"`);
    return entry;
  };

  router.get('/achievements/:slug', async (req, res) => {
    const entry = entryOf(req.params.slug);
    const requested = languageSchema.safeParse(req.query.lang);
    const lang: Language =
      requested.success && entry.languages.includes(requested.data)
        ? requested.data
        : ((req.acceptsLanguages(...entry.languages) || 'en') as Language);
    const achievement = toAchievement(entry.badgeClass, ctx.config.publicUrl, lang);
    // The endorsements in force, as other organisations signed them (OB 3.0 Achievement.endorsement).
    const endorsement = await ctx.endorsements.of({ badgeClass: entry.badgeClass.slug });
    res.vary('Accept-Language').set('Content-Language', lang);
    res.type('application/ld+json').send(JSON.stringify({ '@context': [CONTEXT.credentialsV2, CONTEXT.openBadges, ...(entry.badgeClass.microCredential ? [microCredentialContext(ctx.config.publicUrl)] : [])], ...achievement, ...(endorsement.length ? { endorsement } : {}) }, null, 2));
  });

  // The micro-credential extension's vocabulary: what the terms credentials embed mean.
  router.get('/vocab/micro-credential', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=86400').type('application/ld+json').send(JSON.stringify(microCredentialVocabulary(ctx.config.publicUrl), null, 2));
  });

  router.get('/achievements/:slug/image.:format', async (req, res) => {
    const { format } = req.params;
    if (format !== 'png' && format !== 'svg') throw new AppError('not_found', `no image format "${format}"`);
    const entry = entryOf(req.params.slug);
    const requested = languageSchema.safeParse(req.query.lang);
    const lang: Language = requested.success && entry.languages.includes(requested.data) ? requested.data : 'en';
    const image = await images.get(entry, format, lang);
    if (!image) throw new AppError('not_found', `badge class "${req.params.slug}" has no ${format} image`);
    res.type(image.contentType).set('Cache-Control', 'public, max-age=3600').send(image.data);
  });

  return router;
}
