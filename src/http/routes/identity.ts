import { Router, type RequestHandler } from 'express';
import type { AppContext } from '../../app-context.js';
import { queryLanguage } from '../../pages/i18n.js';
import { AppError } from '../../errors/errors.js';
import { CONTEXT } from '../../jsonld/contexts.js';
import type { Organisation } from '../../organisations/organisations.js';

/** The issuers' public face: DID documents, public keys, Profiles, health. Never a private key. */
export function createIdentityRouter(ctx: AppContext): Router {
  const router = Router();
  const didPath = new URL(ctx.config.publicUrl).pathname.replace(/\/$/, '');

  const sendInstanceDid: RequestHandler = async (_req, res) => {
    const instance = (await ctx.organisations.get(ctx.instance.id)) ?? ctx.instance;
    res.type('application/did+json').send(JSON.stringify(instance.didDocument(), null, 2));
  };
  router.get('/.well-known/did.json', sendInstanceDid);
  // did:web §3.2.2: with a path, the document is at <path>/did.json.
  if (didPath) router.get('/did.json', sendInstanceDid);

  const rsaJwks = (org: Organisation) =>
    org.publicKeys.filter((k) => k.type === 'RSA').map((k) => ({ ...k.publicJwk, kid: `${ctx.config.publicUrl}/keys/${k.name}`, alg: 'RS256', use: 'sig' }));

  router.get('/.well-known/jwks.json', async (_req, res) => {
    const instance = (await ctx.organisations.get(ctx.instance.id)) ?? ctx.instance;
    res.type('application/jwk-set+json').send(JSON.stringify({ keys: rsaJwks(instance) }));
  });

  router.get('/keys/:thumbprint', async (req, res) => {
    const jwk = await ctx.organisations.publicJwk(String(req.params.thumbprint));
    if (!jwk) throw new AppError('not_found', `no key "${req.params.thumbprint}"`);
    res.type('application/jwk+json').send(JSON.stringify(jwk));
  });

  const organisation = async (slug: string): Promise<Organisation> => {
    const org = await ctx.organisations.bySlug(slug);
    if (!org || org.isInstance) throw new AppError('organisation_not_found', `no organisation "${slug}"`);
    return org;
  };
  router.get('/orgs/:slug/did.json', async (req, res) => {
    const org = await organisation(String(req.params.slug));
    res.type('application/did+json').send(JSON.stringify(org.didDocument(), null, 2));
  });
  router.get('/orgs/:slug/jwks.json', async (req, res) => {
    res.type('application/jwk-set+json').send(JSON.stringify({ keys: rsaJwks(await organisation(String(req.params.slug))) }));
  });
  // Its uploaded logo. Old credentials name it with an older `v`: they get the current logo.
  // The instance's own organisation has one here too (its Profile is at /issuer).
  router.get('/orgs/:slug/logo', async (req, res) => {
    const org = await ctx.organisations.bySlug(String(req.params.slug));
    if (!org?.logo) throw new AppError('not_found', `organisation "${req.params.slug}" has no uploaded logo`);
    res
      .type(org.logo.contentType)
      .set('Cache-Control', 'public, max-age=3600')
      // An SVG opened on its own is a document: it may run nothing and load nothing.
      .set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
      .send(org.logo.data);
  });
  // The organisation's issuer Profile (`?lang=` picks the language of its name and description).
  /** The endorsements of an organisation in force, as its Profile's `endorsement` (OB 3.0 §B.1.10). */
  const endorsementsOf = async (orgId: string) => {
    const endorsement = await ctx.endorsements.of({ orgId });
    return endorsement.length ? { endorsement } : {};
  };

  router.get('/orgs/:slug', async (req, res) => {
    const org = await organisation(String(req.params.slug));
    const profile = org.issuer(queryLanguage(req.query) ?? 'en');
    res.type('application/ld+json').send(JSON.stringify({ '@context': [CONTEXT.credentialsV2, CONTEXT.openBadges], ...profile, ...(await endorsementsOf(org.id)) }, null, 2));
  });

  router.get('/issuer', async (req, res) => {
    const instance = (await ctx.organisations.get(ctx.instance.id)) ?? ctx.instance;
    const profile = instance.issuer(queryLanguage(req.query) ?? 'en');
    res.type('application/ld+json').send(JSON.stringify({ '@context': [CONTEXT.credentialsV2, CONTEXT.openBadges], ...profile, ...(await endorsementsOf(instance.id)) }, null, 2));
  });

  router.get('/health', async (_req, res) => {
    await ctx.storage.ping();
    res.json({ status: 'ok' });
  });

  return router;
}
