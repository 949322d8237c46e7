import { parseArgs } from 'node:util';
import { readBadgeClassFiles } from '../badge-classes/catalog.js';
import { bundledFrameworks } from '../frameworks/frameworks.js';
import { createBadgeClassStore } from '../badge-classes/store.js';
import { loadConfig, type Config } from '../config/config.js';
import { openStorage } from '../db/open.js';
import type { Storage } from '../db/repositories.js';
import { AppError } from '../errors/errors.js';
import { createKeyEncryption, loadKeyEncryptionKey } from '../keys/key-encryption.js';
import { generateMissingKeys, keysExist } from '../keys/key-store.js';
import { ALL_BADGE_CLASSES, addProvider, createApiKeyStore } from '../organisations/api-keys.js';
import { createOrganisations, type Organisations } from '../organisations/organisations.js';
import { slugSchema } from '../organisations/profile.js';
import { createAccounts, ROLES } from '../accounts/accounts.js';
import type { Role } from '../db/repositories.js';

const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

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
  npm run cli -- users invite --org SLUG --email ADDRESS --role owner|issuer|viewer   (prints the one-time link last)
  npm run cli -- users create --org SLUG --email ADDRESS --name NAME --role ROLE      (reads the password from PASSWORD)
  npm run cli -- badge-classes import --dir FOLDER [--org SLUG]                         (shared with every organisation; bad files are reported)
  npm run cli -- badge-classes list
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
  catalog: ReturnType<typeof createBadgeClassStore>;
  accounts: ReturnType<typeof createAccounts>;
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
    const accounts = createAccounts({ storage, publicUrl: config.publicUrl });
    const frameworks = bundledFrameworks(config.publicUrl);
    const catalog = createBadgeClassStore({ repo: storage.badgeClasses, frameworks });
    await catalog.load();
    // Before the service's first start the starter catalog is not imported yet: its files count too.
    const knownBadgeClasses = () => [...new Set([...catalog.list().map((e) => e.badgeClass.slug), ...readBadgeClassFiles(config.badgeClassesDir, frameworks).classes.map((c) => c.badgeClass.slug)])];
    return await fn({ storage, accounts, organisations, apiKeys, catalog, knownBadgeClasses });
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
  if (!['orgs', 'api-keys', 'providers', 'users', 'badge-classes'].includes(group ?? '')) throw new UsageError(USAGE);
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
      role: { type: 'string' },
      dir: { type: 'string' },
    },
    strict: true,
  });
  await withTools(config, async ({ organisations, apiKeys, accounts, catalog, knownBadgeClasses }) => {
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
    } else if (key === 'users invite' || key === 'users create') {
      const org = await orgBySlug(organisations, required(values.org, 'org'));
      const email = required(values.email, 'email');
      const role = required(values.role, 'role');
      if (!isRole(role)) throw new UsageError('--role must be owner, issuer or viewer');
      if (key === 'users create') {
        const password = process.env.PASSWORD ?? '';
        const user = await accounts.createUser({ email, name: required(values.name, 'name'), password, orgId: org.id, role });
        console.log(`${user.email} is ${role} of ${org.slug}; sign in at ${config.publicUrl}/console/sign-in`);
        return;
      }
      const invitation = await accounts.invite({ orgId: org.id, email, role, by: 'cli' });
      console.log(`invitation for ${invitation.email} as ${role} of ${org.slug}, valid until ${invitation.expiresAt} (one use):`);
      console.log(invitation.link);
    } else if (key === 'badge-classes import') {
      const dir = required(values.dir, 'dir');
      const owner = values.org ? await orgBySlug(organisations, values.org) : (await organisations.list()).find((o) => o.isInstance);
      if (!owner) throw new UsageError('--org is required until the service has started once (it makes the instance organisation)');
      const { imported, skipped, problems } = await catalog.importFolder(dir, owner.id);
      for (const p of problems) console.log(`not imported: ${p.file}: ${p.message}`);
      if (skipped.length) console.log(`already there, left as they are: ${skipped.join(', ')}`);
      console.log(`imported ${imported.length} badge class(es) for ${owner.slug}${imported.length ? `: ${imported.join(', ')}` : ''}`);
      if (problems.length) process.exitCode = 1;
    } else if (key === 'badge-classes list') {
      for (const e of catalog.list()) console.log(`${e.badgeClass.slug}  v${e.version}${e.archived ? '  (archived)' : ''}${e.shared ? '  (shared)' : ''}  ${e.languages.join(',')}`);
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
