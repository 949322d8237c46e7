import express, { type Express } from 'express';
import type { AppContext } from '../app-context.js';
import { accessLog } from './access-log.js';
import { createConsoleRouter } from './console/router.js';
import { errorHandler, notFound } from './errors.js';
import { createOpenApiRouter } from './openapi/router.js';
import { recipientCheckRateLimit, verifyRateLimit } from './rate-limit.js';
import { createAchievementsRouter } from './routes/achievements.js';
import { createApiV1Router } from './routes/api-v1.js';
import { createCredentialsRouter } from './routes/credentials.js';
import { createIdentityRouter } from './routes/identity.js';
import { createLandingRouter } from './routes/landing.js';
import { createFrameworksRouter } from './routes/frameworks.js';
import { createPathwaysRouter } from './routes/pathways.js';
import { createProfileRouter } from './routes/profile.js';
import { createEndorsementsRouter } from './routes/endorsements.js';
import { createStatusRouter } from './routes/status.js';
import { createVerifyRouter } from './routes/verify.js';

/** The composition root of the HTTP shell: builds the app from a context and never listens. */
export function createApp(ctx: AppContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(accessLog(ctx.logger));
  app.use((_req, res, next) => {
    res.set('X-Content-Type-Options', 'nosniff');
    next();
  });
  // Public documents are read by verifiers and wallets in browsers elsewhere.
  app.use(['/.well-known', '/keys', '/issuer', '/achievements', '/credentials', '/status', '/endorsements'], (_req, res, next) => {
    res.set('Access-Control-Allow-Origin', '*');
    next();
  });

  app.post('/verify', verifyRateLimit(ctx.config.rateLimits));
  app.post('/credentials/:id/recipient-check', recipientCheckRateLimit(ctx.config.rateLimits));

  app.use(createLandingRouter(ctx));
  app.use(createIdentityRouter(ctx));
  app.use(createAchievementsRouter(ctx));
  app.use(createFrameworksRouter(ctx));
  app.use(createPathwaysRouter(ctx));
  app.use(createProfileRouter(ctx));
  app.use(createEndorsementsRouter(ctx));
  app.use(createCredentialsRouter(ctx));
  app.use(createStatusRouter(ctx));
  app.use(createVerifyRouter(ctx));
  app.use('/api/v1', createApiV1Router(ctx));
  app.use(createOpenApiRouter(ctx));
  app.use('/console', createConsoleRouter(ctx));

  app.use(notFound);
  app.use(errorHandler(ctx.logger));
  return app;
}
