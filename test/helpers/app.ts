import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import { closeAppContext, createAppContext, type AppContext } from '../../src/app-context.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { createApp } from '../../src/http/app.js';
import { generateMissingKeys, loadKeys } from '../../src/keys/key-store.js';
import { createLogger } from '../../src/logger.js';
import { createGuardedFetcher, type GuardedFetcher, type LookupAll } from '../../src/net/guarded-fetch.js';

/** Name resolution that finds nothing: other issuers' hosts "do not answer", and no DNS query leaves the machine. */
export const unresolvable: LookupAll = (hostname, _options, callback) =>
  callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);

/** The real guarded fetcher, with host names that resolve nowhere. */
export const offlineFetcher = (): GuardedFetcher => createGuardedFetcher({}, { lookup: unresolvable });

export const PUBLIC_URL = 'https://badges.example.org';

export interface TestApp {
  ctx: AppContext;
  app: Express;
  config: Config;
  dir: string;
  /** An API key allowed to award every badge class. */
  apiKey: string;
  close(): void;
}

/** A real app on a real SQLite file in a temporary folder, with fresh keys and the starter catalog. */
export async function startTestApp(env: Record<string, string> = {}, options: { now?: () => Date; fetcher?: GuardedFetcher } = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'badges-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    PUBLIC_URL,
    DATA_DIR: join(dir, 'data'),
    KEYS_DIR: join(dir, 'keys'),
    ISSUER_NAME: 'Test Care Academy',
    ISSUER_EMAIL: 'badges@example.org',
    LOG_LEVEL: 'silent',
    RATE_LIMITS: 'off',
    ...env,
  });
  await generateMissingKeys(config.keysDir);
  const ctx = await createAppContext({
    config,
    logger: createLogger('silent'),
    keys: await loadKeys(config.keysDir),
    ...(options.now ? { now: options.now } : {}),
    fetcher: options.fetcher ?? offlineFetcher(),
  });
  const { apiKey } = await ctx.providers.addProvider('Test Training Provider', ['*']);
  return {
    ctx,
    app: createApp(ctx),
    config,
    dir,
    apiKey,
    close() {
      closeAppContext(ctx);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
