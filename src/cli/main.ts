import { parseArgs } from 'node:util';
import { loadCatalog } from '../badge-classes/catalog.js';
import { loadConfig, type Config } from '../config/config.js';
import { openStorage } from '../db/open.js';
import type { Storage } from '../db/repositories.js';
import { AppError } from '../errors/errors.js';
import { createKeyEncryption, loadKeyEncryptionKey } from '../keys/key-encryption.js';
import { generateMissingKeys, keysExist } from '../keys/key-store.js';
import { ALL_BADGE_CLASSES, addProvider, createApiKeyStore } from '../organisations/api-keys.js';
import { createOrganisations, type Organisations } from '../organisations/organisations.js';
import { slugSchema } from '../organisations/profile.js';

/**
 * Operator commands. They read the same environment as the service. Where a script needs one value,
 * it is the last line printed.
 */
const USAGE = `usage:
  npm run cli -- keys generate
  npm run cli -- orgs add --name "NAME" [--slug SLUG] [--url URL] [--email ADDRESS]     (prints the DID last)
  npm run cli -- orgs list
  npm run cli -- orgs rotate-keys --org SLUG
  npm run cli -- api-keys create --org SLUG [--badge-classes slug,slug|all]           (prints the key last)
  npm run cli -- providers add --name "NAME" [--badge-classes slug,slug|all]           (an organisation and its key; prints the key last)
  npm run cli -- providers key --provider ORGANISATION_ID [--badge-classes slug,slug|all]
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

const required = (value: string | undefined, flag: string): string => {
  const v = value?.trim();
  if (!v) throw new UsageError(`--${flag} is required`);
  return v;
};

interface Tools {
  storage: Storage;
  organisations: Organisations;
  apiKeys: ReturnType<typeof createApiKeyStore>;
  knownBadgeClasses: () => string[];
}

async function withTools<T>(config: Config, fn: (tools: Tools) => Promise<T>): Promise<T> {
  const { storage } = await openStorage(config);
  try {
    const organisations = createOrganisations({
      repo: storage.organisations,
      encryption: createKeyEncryption(loadKeyEncryptionKey(config)),
      publicUrl: config.publicUrl,
      instanceDid: config.issuerDid,
    });
    const apiKeys = createApiKeyStore(storage.organisations);
    return await fn({ storage, organisations, apiKeys, knownBadgeClasses: () => loadCatalog(config.badgeClassesDir).list().map((e) => e.badgeClass.slug) });
  } finally {
    await storage.close();
  }
}

async function orgBySlug(organisations: Organisations, slug: string) {
  const org = await organisations.bySlug(slug);
  if (!org) throw new UsageError(`no organisation "${slug}" (see "orgs list")`);
  return org;
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
  if (!['orgs', 'api-keys', 'providers'].includes(group ?? '')) throw new UsageError(USAGE);
  const { values } = parseArgs({
    args: rest,
    options: {
      name: { type: 'string' },
      slug: { type: 'string' },
      url: { type: 'string' },
      email: { type: 'string' },
      org: { type: 'string' },
      'badge-classes': { type: 'string' },
      provider: { type: 'string' },
    },
    strict: true,
  });
  await withTools(config, async ({ organisations, apiKeys, knownBadgeClasses }) => {
    const key = `${group} ${command}`;
    if (key === 'orgs add') {
      const name = required(values.name, 'name');
      const slug = values.slug === undefined ? undefined : slugSchema.safeParse(values.slug);
      if (slug && !slug.success) throw new UsageError(`--slug ${slug.error.issues[0]!.message}`);
      const org = await organisations.create({
        name,
        ...(slug?.success ? { slug: slug.data } : {}),
        profile: { ...(values.url ? { url: values.url } : {}), ...(values.email ? { email: values.email } : {}) },
      });
      console.log(`organisation ${org.name} (${org.slug}, id ${org.id}); its DID document: ${org.didDocumentUrl}`);
      console.log(org.did);
    } else if (key === 'orgs list') {
      for (const record of await organisations.list()) {
        const org = await organisations.get(record.id);
        console.log(`${record.slug}  ${record.name}  ${org?.did ?? ''}${record.isInstance ? '  (the instance)' : ''}`);
      }
    } else if (key === 'orgs rotate-keys') {
      const org = await orgBySlug(organisations, required(values.org, 'org'));
      const rotated = await organisations.rotateKeys(org.id);
      console.log(`new keys for ${rotated.slug}; the ${rotated.publicKeys.filter((k) => k.retiredAt).length} retired ones stay published in ${rotated.didDocumentUrl}`);
      console.log(rotated.signing.verificationMethod);
    } else if (key === 'api-keys create') {
      const org = await orgBySlug(organisations, required(values.org, 'org'));
      const scope = parseBadgeClasses(values['badge-classes'], knownBadgeClasses());
      const apiKey = await apiKeys.addKey(org.id, scope);
      console.log(`API key for ${org.slug}, which may award: ${scope.join(', ')} (shown once, store it now):`);
      console.log(apiKey);
    } else if (key === 'providers add') {
      const name = required(values.name, 'name');
      const scope = parseBadgeClasses(values['badge-classes'], knownBadgeClasses());
      const { org, apiKey } = await addProvider({ organisations, apiKeys }, name, scope);
      console.log(`organisation ${org.name} (${org.slug}, id ${org.id}, ${org.did}) may award: ${scope.join(', ')}`);
      console.log('API key (shown once, store it now):');
      console.log(apiKey);
    } else if (key === 'providers key') {
      const orgId = required(values.provider, 'provider');
      const scope = parseBadgeClasses(values['badge-classes'], knownBadgeClasses());
      const apiKey = await apiKeys.addKey(orgId, scope);
      if (apiKey === undefined) throw new UsageError(`no organisation ${orgId}`);
      console.log(`new API key for ${orgId} (shown once, store it now):`);
      console.log(apiKey);
    } else if (key === 'providers list') {
      for (const o of await apiKeys.listOrganisations()) {
        console.log(`${o.id}  ${o.slug}  ${o.name}`);
        for (const k of o.keys) console.log(`  key ${k.prefix}…  ${k.badgeClasses.join(',')}${k.revoked ? '  (revoked)' : ''}`);
      }
    } else {
      throw new UsageError(USAGE);
    }
  });
}

run(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(err instanceof UsageError || err instanceof AppError ? 2 : 1);
});
