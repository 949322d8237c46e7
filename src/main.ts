import type { Server } from 'node:http';
import { closeAppContext, createAppContext } from './app-context.js';
import { loadConfig } from './config/config.js';
import { createApp } from './http/app.js';
import { ensureKeys } from './keys/ensure-keys.js';
import { createLogger } from './logger.js';
import { requireSmtpInProduction } from './mail/config.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  requireSmtpInProduction(config.env, config.mail);
  // The key files are read (and, in development, made) only when the instance's organisation is new.
  const ctx = await createAppContext({ config, logger, keys: () => ensureKeys(config, logger) });
  const app = createApp(ctx);
  // Nobody can sign in to the console yet: a one-time link makes its opener the first owner.
  if ((await ctx.accounts.members(ctx.instance.id)).length === 0) {
    const { link, expiresAt } = await ctx.accounts.firstOwnerLink(ctx.instance.id);
    logger.warn({ link, expiresAt }, 'nobody can sign in to the console yet: open this link to become its first owner (or run "npm run cli -- users invite")');
  }
  const server: Server = app.listen(config.port, config.host, () => {
    logger.info(
      { port: config.port, publicUrl: config.publicUrl, issuer: ctx.instance.did, badgeClasses: ctx.catalog.list().length },
      `serving Open Badges on ${config.publicUrl}`,
    );
  });
  // E-mail from the outbox: what earlier runs left queued, then what is queued from now on.
  ctx.mail.start();
  // Spreadsheet jobs confirmed before a restart, or on another instance that stopped, go on here.
  ctx.jobs.start();
  // Views, downloads and verifications are counted in memory and written every few seconds (and at shutdown).
  ctx.usage.start();
  // Reminders before badges expire, swept every few minutes (each instance; the database decides who sends).
  ctx.reminders.start();
  // A client that trickles a body forever is cut off: the whole request within 60 s, headers within 20 s.
  server.requestTimeout = 60_000;
  server.headersTimeout = 20_000;
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    // No new message is started while requests drain; the one under way is finished and marked.
    void ctx.mail.close();
    void ctx.jobs.close();
    void ctx.reminders.stop();
    server.close(() => {
      // The sender finishes the message under way and gives back the rest before the database closes.
      void closeAppContext(ctx).finally(() => process.exit(0));
    });
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  // Start-up errors (configuration, keys, badge classes) are for a person: print the message plainly.
  process.stderr.write(`cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
