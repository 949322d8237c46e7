import { Router, type RequestHandler } from 'express';
import type { AppContext } from '../../app-context.js';
import { AppError } from '../../errors/errors.js';
import { CONTEXT } from '../../jsonld/contexts.js';

/** The issuer's public face: DID document, public keys, Profile, health. Never a private key. */
export function createIdentityRouter(ctx: AppContext): Router {
  const router = Router();
  const { issuer } = ctx;
  const didPath = new URL(ctx.config.publicUrl).pathname.replace(/\/$/, '');

  const sendDid: RequestHandler = (_req, res) => {
    res.type('application/did+json').send(JSON.stringify(issuer.didWebDocument(), null, 2));
  };
  router.get('/.well-known/did.json', sendDid);
  // did:web §3.2.2: with a path, the document is at <path>/did.json.
  if (didPath) router.get('/did.json', sendDid);

  router.get('/.well-known/jwks.json', (_req, res) => {
    res.type('application/jwk-set+json').send(JSON.stringify({ keys: issuer.publicJwks }));
  });

  router.get('/keys/:thumbprint', (req, res) => {
    const jwk = issuer.publicJwks.find((k) => k.kid === `${ctx.config.publicUrl}/keys/${req.params.thumbprint}`);
    if (!jwk) throw new AppError('not_found', `no key "${req.params.thumbprint}"`);
    res.type('application/jwk+json').send(JSON.stringify(jwk));
  });

  router.get('/issuer', (_req, res) => {
    res.type('application/ld+json').send(JSON.stringify({ '@context': [CONTEXT.credentialsV2, CONTEXT.openBadges], ...issuer.profile }, null, 2));
  });

  router.get('/health', async (_req, res) => {
    await ctx.storage.ping();
    res.json({ status: 'ok' });
  });

  return router;
}
