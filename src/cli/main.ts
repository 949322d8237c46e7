import { parseArgs } from 'node:util';
import { loadCatalog } from '../badge-classes/catalog.js';
import { loadConfig } from '../config/config.js';
import { openStorage } from '../db/open.js';
import { generateMissingKeys, keysExist } from '../keys/key-store.js';
import { ALL_BADGE_CLASSES, createProviderStore } from '../providers/api-keys.js';

/**
 * Operator commands. They read the same environment as the service.
 *   keys generate                                   write missing signing keys to KEYS_DIR
 *   providers add --name NAME [--badge-classes a,b|all]   create a provider; prints its API key last
 *   providers key --provider ID [--badge-classes ...]     another API key for a provider
 *   providers list
 */
const USAGE = `usage:
  npm run cli -- keys generate
  npm run cli -- providers add --name "NAME" [--badge-classes slug,slug|all]
  npm run cli -- providers key --provider PROVIDER_ID [--badge-classes slug,slug|all]
  npm run cli -- providers list`;

class UsageError extends Error {}

function parseBadgeClasses(value: string | undefined, known: string[]): string[] {
  if (value === undefined || value === 'all') return [ALL_BADGE_CLASSES];
  const slugs = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (slugs.length === 0) throw new UsageError('--badge-classes needs at least one slug, or "all"');
  const unknown = slugs.filter((s) => !known.includes(s));
  if (unknown.length) throw new UsageError(`unknown badge class(es): ${unknown.join(', ')} (known: ${known.join(', ')})`);
  return slugs;
}

async function run(argv: string[]): Promise<void> {
  const [group, command, ...rest] = argv;
  const config = loadConfig();
  if (group === 'keys' && command === 'generate') {
    const written = await generateMissingKeys(config.keysDir);
    const present = keysExist(config.keysDir);
    console.log(written.length ? `wrote ${written.join(', ')} to ${config.keysDir}` : `keys already present in ${config.keysDir}; nothing written`);
    if (!present.ed25519 || !present.rsa) throw new Error('keys are still missing');
    return;
  }
  if (group !== 'providers') throw new UsageError(USAGE);
  const { values } = parseArgs({
    args: rest,
    options: { name: { type: 'string' }, 'badge-classes': { type: 'string' }, provider: { type: 'string' } },
    strict: true,
  });
  const { storage } = await openStorage(config);
  try {
    const store = createProviderStore(storage.providers);
    const known = () => loadCatalog(config.badgeClassesDir).list().map((e) => e.badgeClass.slug);
    if (command === 'add') {
      const name = values.name?.trim();
      if (!name) throw new UsageError('--name is required');
      const scope = parseBadgeClasses(values['badge-classes'], known());
      const { provider, apiKey } = await store.addProvider(name, scope);
      console.log(`provider ${provider.name} (${provider.id}) may award: ${scope.join(', ')}`);
      console.log('API key (shown once, store it now):');
      console.log(apiKey);
    } else if (command === 'key') {
      const providerId = values.provider;
      if (!providerId) throw new UsageError('--provider is required');
      const scope = parseBadgeClasses(values['badge-classes'], known());
      const key = await store.addKey(providerId, scope);
      if (key === undefined) throw new UsageError(`no provider ${providerId}`);
      console.log(`new API key for provider ${providerId} (shown once, store it now):`);
      console.log(key);
    } else if (command === 'list') {
      for (const p of await store.listProviders()) {
        console.log(`${p.id}  ${p.name}`);
        for (const k of p.keys) console.log(`  key ${k.prefix}…  ${k.badgeClasses.join(',')}${k.revoked ? '  (revoked)' : ''}`);
      }
    } else {
      throw new UsageError(USAGE);
    }
  } finally {
    await storage.close();
  }
}

run(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(err instanceof UsageError ? 2 : 1);
});
