/**
 * Issuance throughput: signs and stores batches through the issuance service on a real SQLite file,
 * the way POST /api/v1/credentials/batch does. Prints credentials per second for each batch size.
 *   npm run bench
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeAppContext, createAppContext } from '../src/app-context.js';
import { loadConfig } from '../src/config/config.js';
import type { AwardRequest } from '../src/credentials/award-request.js';
import { generateMissingKeys, loadKeys } from '../src/keys/key-store.js';
import { createLogger } from '../src/logger.js';

const dir = mkdtempSync(join(tmpdir(), 'bench-'));
const config = loadConfig({ DATA_DIR: join(dir, 'data'), KEYS_DIR: join(dir, 'keys'), PUBLIC_URL: 'https://badges.example.org', LOG_LEVEL: 'silent', ...(process.env.SIGNING_THREADS ? { SIGNING_THREADS: process.env.SIGNING_THREADS } : {}) });
await generateMissingKeys(config.keysDir);
const ctx = await createAppContext({ config, logger: createLogger('silent'), keys: await loadKeys(config.keysDir) });
const { provider, apiKey } = await ctx.providers.addProvider('Bench', ['*']);
const caller = (await ctx.providers.authenticate(apiKey))!;
const slugs = ctx.catalog.list().map((e) => e.badgeClass.slug);
const award = (i: number): AwardRequest => ({
  badgeClass: slugs[i % slugs.length]!,
  recipient: { email: `learner${i}@example.org`, name: `Learner ${i}` },
  evidence: [{ narrative: `Completed module ${i}` }],
  language: (['en', 'it', 'lt', 'ro'] as const)[i % 4]!,
});

await ctx.issuance.issue(caller, [award(0)], { kind: 'single' }); // warm-up: JIT, context parsing
for (const size of [1, 10, 100, 1000]) {
  const awards = Array.from({ length: size }, (_, i) => award(i));
  const start = process.hrtime.bigint();
  await ctx.issuance.issue(caller, awards, { kind: 'batch' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  console.log(`batch of ${String(size).padStart(4)}: ${ms.toFixed(0).padStart(6)} ms  ${(ms / size).toFixed(2).padStart(6)} ms/credential  ${((size / ms) * 1000).toFixed(0).padStart(4)} credentials/s`);
}
console.log(`provider ${provider.id}: ${(await ctx.issuance.list(caller, { limit: 1, withTotal: true })).total} credentials stored`);
closeAppContext(ctx);
rmSync(dir, { recursive: true, force: true });
