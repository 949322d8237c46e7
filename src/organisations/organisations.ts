import { createHash, randomUUID as nodeRandomUUID, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import type { BadgeImageFile } from '../badge-classes/catalog.js';
import type { Language } from '../badge-classes/schema.js';
import type { SigningKeys } from '../credentials/secure.js';
import type { ApiKeyRecord, OrganisationKeyRecord, OrganisationRecord, OrganisationRepository } from '../db/repositories.js';
import { isStorageError } from '../db/errors.js';
import { AppError } from '../errors/errors.js';
import { didKeyFromMultibase, didWebFromUrl } from './did.js';
import { CONTEXT } from '../jsonld/contexts.js';
import type { DocumentResolver } from '../jsonld/document-loader.js';
import type { KeyEncryption } from '../keys/key-encryption.js';
import { issuerProfile, profileSchema, slugFrom, slugSchema, type IssuerProfile, type OrganisationProfile } from './profile.js';
import { importPrivateKey, keyRecords, generatePrivateJwks, type PrivateJwks } from './signing-keys.js';

/**
 * Organisations as issuers. Each has its own identifier, a did:web under the instance
 * (`did:web:<host>:orgs:<slug>`, its document at `/orgs/<slug>/did.json`), and its own keys; the
 * instance's own issuer is the first organisation, keeping the host's did:web (or its did:key), so
 * that what it issued before organisations existed verifies as it did.
 *
 * Organisations are read from the database and kept for `cacheFor` ms per process: another instance's
 * key rotation or profile change shows here within that time (until then, the retired key still signs,
 * and what it signs still verifies: retired keys stay published). A key this process does not know yet
 * is looked up at once (`organisationResolver`), so what another instance signed with a new key
 * verifies here straight away.
 *
 * An uploaded logo is kept beside the profile, in the same stored JSON (`logo`: its type and bytes in
 * base64), and served at `/orgs/<slug>/logo`; the profile's `image` then names that address. The
 * instance's own organisation keeps there too a fingerprint of the ISSUER_* settings last applied
 * (`fromSettings`), so that its owners can edit its profile and a restart keeps their edit.
 */
export interface PublicKey {
  /** The verification method's id in the DID document. */
  id: string;
  type: 'Ed25519' | 'RSA';
  /** Ed25519: publicKeyMultibase; RSA: RFC 7638 thumbprint. */
  name: string;
  publicJwk: JWK;
  createdAt: string;
  retiredAt: string | null;
}

export interface Organisation {
  id: string;
  slug: string;
  /** The default name; `profile.name` may give it per language. */
  name: string;
  profile: OrganisationProfile;
  isInstance: boolean;
  createdAt: string;
  /** The issuer's identifier: `issuer.id` of its credentials. */
  did: string;
  /** Where its did:web document is served. */
  didDocumentUrl: string;
  /** The keys it signs with now. */
  signing: SigningKeys;
  /** Every key it has signed with, retired ones included: what its DID document lists. */
  publicKeys: PublicKey[];
  /** Its uploaded logo, served at `/orgs/<slug>/logo`. */
  logo?: BadgeImageFile;
  /** Its issuer Profile, as credentials embed it, in a language. */
  issuer(lang?: Language): IssuerProfile;
  /** Its did:web DID document. */
  didDocument(): Record<string, unknown>;
}

export interface OrganisationsDeps {
  repo: OrganisationRepository;
  encryption: KeyEncryption;
  publicUrl: string;
  /** How the instance's own organisation is identified (ISSUER_DID). */
  instanceDid: 'web' | 'key';
  now?: () => Date;
  randomUUID?: () => string;
  cacheFor?: number;
}

export interface NewOrganisation {
  name: string;
  slug?: string;
  profile?: OrganisationProfile;
}

export const DEFAULT_ORGANISATION_CACHE_MS = 30_000;

/** The stored profile JSON: the Profile's parts, and the uploaded logo beside them. */
interface StoredLogo {
  contentType: BadgeImageFile['contentType'];
  /** base64 */
  data: string;
}
function splitStored(stored: Record<string, unknown>): { profile: Record<string, unknown>; logo?: BadgeImageFile; fromSettings?: string } {
  const { logo, fromSettings, ...profile } = stored;
  const l = logo as StoredLogo | undefined;
  const usable = l && (l.contentType === 'image/png' || l.contentType === 'image/svg+xml') && typeof l.data === 'string';
  return {
    profile,
    ...(usable ? { logo: { contentType: l.contentType, data: Buffer.from(l.data, 'base64') } } : {}),
    ...(typeof fromSettings === 'string' ? { fromSettings } : {}),
  };
}

/** The instance's ISSUER_* settings, as a fingerprint: to tell whether the operator changed them since they were applied. */
const settingsFingerprint = (settings: { name: string; profile: OrganisationProfile }): string =>
  createHash('sha256').update(JSON.stringify([settings.name, settings.profile])).digest('base64url');

/** Where an organisation's uploaded logo is served; `v` changes with the logo, so caches take the new one. */
export const logoUrlOf = (publicUrl: string, slug: string, logo: BadgeImageFile): string =>
  `${publicUrl}/orgs/${slug}/logo?v=${createHash('sha256').update(logo.data).digest('base64url').slice(0, 12)}`;

export function createOrganisations({ repo, encryption, publicUrl, instanceDid, now = () => new Date(), randomUUID = nodeRandomUUID, cacheFor = DEFAULT_ORGANISATION_CACHE_MS }: OrganisationsDeps) {
  const hostDid = didWebFromUrl(publicUrl);
  const orgDidPrefix = `${hostDid}:orgs:`;
  const cache = new Map<string, { org: Promise<Organisation | undefined>; until: number }>();
  const slugs = new Map<string, string>();
  const keyDeps = { encryption, now, randomUUID };

  const didOf = (record: OrganisationRecord, keys: OrganisationKeyRecord[]): string => {
    if (!record.isInstance) return `${orgDidPrefix}${record.slug}`;
    if (instanceDid === 'key') {
      const first = keys.find((k) => k.type === 'Ed25519');
      if (!first) throw new Error('the instance organisation has no Ed25519 key');
      return didKeyFromMultibase(first.name);
    }
    return hostDid;
  };
  const didDocumentUrlOf = (record: OrganisationRecord): string =>
    record.isInstance ? `${publicUrl}/.well-known/did.json` : `${publicUrl}/orgs/${record.slug}/did.json`;

  async function materialise(record: OrganisationRecord): Promise<Organisation> {
    // Oldest first; of a pair made together, the Ed25519 key before the RSA key.
    const keys = (await repo.signingKeys(record.id)).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.type.localeCompare(b.type));
    const did = didOf(record, keys);
    // The did:web document of the instance lists its keys under the host's did:web, even with ISSUER_DID=key.
    const documentDid = record.isInstance ? hostDid : did;
    const current = (type: OrganisationKeyRecord['type']) => keys.filter((k) => k.type === type && k.retiredAt === null).at(-1);
    const ed = current('Ed25519');
    const rsa = current('RSA');
    if (!ed || !rsa) throw new Error(`organisation ${record.slug} has no current signing keys`);
    const [edKey, rsaKey]: KeyObject[] = await Promise.all([importPrivateKey(ed, encryption), importPrivateKey(rsa, encryption)]);
    const methodId = (k: OrganisationKeyRecord, forDid: string) => `${forDid}#${k.name}`;
    const publicKeys: PublicKey[] = keys.map((k) => ({ id: methodId(k, documentDid), type: k.type, name: k.name, publicJwk: k.publicJwk as JWK, createdAt: k.createdAt, retiredAt: k.retiredAt }));
    const stored = splitStored(record.profile);
    const profile = profileSchema.safeParse(stored.profile);
    return {
      id: record.id,
      slug: record.slug,
      name: record.name,
      // A profile stored by an older version that no longer parses is shown by name only.
      profile: profile.success ? profile.data : {},
      isInstance: record.isInstance,
      createdAt: record.createdAt,
      did,
      didDocumentUrl: didDocumentUrlOf(record),
      signing: {
        id: `${ed.id}+${rsa.id}`,
        ed25519: edKey!,
        // The fragment is the public key itself, so verifiers that read `<controller>#<publicKeyMultibase>`
        // (as the 1EdTech validator does) can check the proof even before resolving the DID.
        verificationMethod: methodId(ed, did),
        rsa: rsaKey!,
        jwtKid: `${publicUrl}/keys/${rsa.name}`,
      },
      publicKeys,
      ...(stored.logo ? { logo: stored.logo } : {}),
      issuer: (lang = 'en') => issuerProfile(did, record.name, profile.success ? profile.data : {}, lang),
      didDocument: () => didDocument(documentDid, keys),
    };
  }

  function didDocument(did: string, keys: OrganisationKeyRecord[]): Record<string, unknown> {
    const methods = keys.map((k) =>
      k.type === 'Ed25519'
        ? { id: `${did}#${k.name}`, type: 'Multikey', controller: did, publicKeyMultibase: k.name }
        : { id: `${did}#${k.name}`, type: 'JsonWebKey', controller: did, publicKeyJwk: k.publicJwk },
    );
    return {
      '@context': [CONTEXT.did, CONTEXT.multikey, CONTEXT.jwk],
      id: did,
      verificationMethod: methods,
      assertionMethod: methods.map((m) => m.id),
      authentication: methods.filter((m) => m.type === 'Multikey').map((m) => m.id),
    };
  }

  function load(id: string): Promise<Organisation | undefined> {
    const at = now().getTime();
    const hit = cache.get(id);
    if (hit && at < hit.until) return hit.org;
    const org = repo.byId(id).then((record) => (record ? materialise(record) : undefined));
    cache.set(id, { org, until: at + cacheFor });
    org.catch(() => cache.delete(id));
    return org;
  }
  const forget = (id: string) => cache.delete(id);

  async function bySlug(slug: string): Promise<Organisation | undefined> {
    // Only a well-formed slug reaches the database (PostgreSQL refuses text with a NUL byte).
    if (!slugSchema.safeParse(slug).success) return undefined;
    const known = slugs.get(slug);
    if (known) return load(known);
    const record = await repo.bySlug(slug);
    if (!record) return undefined;
    slugs.set(slug, record.id);
    return load(record.id);
  }

  async function insert(record: OrganisationRecord, jwks: PrivateJwks, firstApiKey?: ApiKeyRecord): Promise<Organisation> {
    const keys = await keyRecords(record.id, jwks, keyDeps);
    try {
      await repo.insertOrganisation(record, keys, firstApiKey);
    } catch (e) {
      if (isStorageError(e, 'conflict')) throw new AppError('organisation_exists', `an organisation with the slug "${record.slug}" already exists`);
      throw e;
    }
    return (await load(record.id))!;
  }

  /** A slug free for a new organisation: the one asked for (or refused), else one made from the name. */
  async function freeSlug(name: string, asked: string | undefined): Promise<string> {
    if (asked !== undefined) return asked;
    const base = slugFrom(name);
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? base : `${base.slice(0, 46)}-${n}`;
      if (!(await repo.bySlug(candidate))) return candidate;
    }
  }

  return {
    /** did:web:<host>: the instance's did:web, under which organisations' DIDs are made. */
    hostDid,

    /** Creates an organisation with its keys (and, when given, its first API key, in the same transaction). */
    async create(input: NewOrganisation, firstApiKey?: (orgId: string) => ApiKeyRecord): Promise<Organisation> {
      const id = randomUUID();
      const slug = await freeSlug(input.name, input.slug);
      const record: OrganisationRecord = { id, slug, name: input.name, profile: input.profile ?? {}, isInstance: false, createdAt: now().toISOString() };
      return insert(record, await generatePrivateJwks(), firstApiKey?.(id));
    },

    /**
     * The instance's own organisation. On the first start with organisations it is made from the key
     * files (KEYS_DIR) and the ISSUER_* settings, and the status lists made before join it; later, its
     * keys come from the database, and its profile is the ISSUER_* settings again whenever the operator
     * changes them (an owner's edit in the console stays until then).
     */
    async ensureInstance(fileKeys: () => Promise<PrivateJwks>, settings: { name: string; profile: OrganisationProfile; slug?: string }): Promise<Organisation> {
      const fromSettings = settingsFingerprint(settings);
      const existing = await repo.instance();
      if (existing) {
        // The settings win only when the operator changed them since they were last applied (or
        // when that was never recorded); otherwise the profile as the owners edited it stays.
        if (splitStored(existing.profile).fromSettings !== fromSettings) {
          await repo.updateProfile(existing.id, settings.name, { ...settings.profile, fromSettings });
          forget(existing.id);
        }
        return (await load(existing.id))!;
      }
      const id = randomUUID();
      const slug = await freeSlug(settings.name, settings.slug);
      try {
        return await insert({ id, slug, name: settings.name, profile: { ...settings.profile, fromSettings }, isInstance: true, createdAt: now().toISOString() }, await fileKeys());
      } catch (e) {
        // Instances started together on a new database: one made it first; the others take it.
        const made = e instanceof AppError && e.code === 'organisation_exists' ? await repo.instance() : undefined;
        if (!made) throw e;
        return (await load(made.id))!;
      }
    },

    /**
     * Keys for the organisations that have none: the training providers from before organisations,
     * which issued under the instance's name. From now on they issue under their own.
     */
    async ensureSigningKeys(): Promise<number> {
      let made = 0;
      for (const record of await repo.list()) {
        if ((await repo.signingKeys(record.id)).length) continue;
        await repo.rotateSigningKeys(record.id, await keyRecords(record.id, await generatePrivateJwks(), keyDeps), [], now().toISOString());
        forget(record.id);
        made++;
      }
      return made;
    },

    get: load,
    /** As `get`, read from the database now: for pages that show what is stored this moment, whichever instance changed it. */
    fresh(id: string): Promise<Organisation | undefined> {
      forget(id);
      return load(id);
    },
    /**
     * The organisation read again when it has a signing key of this name that the copy here lacks
     * (another instance rotated its keys); undefined, without reloading anything, when it has none.
     */
    async withKey(id: string, keyName: string): Promise<Organisation | undefined> {
      // Key names are base58btc multibase or base64url thumbprints; nothing else reaches the database.
      if (!/^[A-Za-z0-9_-]{1,128}$/.test(keyName)) return undefined;
      const key = await repo.signingKeyNamed(keyName);
      if (!key || key.orgId !== id) return undefined;
      forget(id);
      return load(id);
    },
    bySlug,
    list: () => repo.list(),

    /**
     * A new name and profile. `logo`: a new uploaded logo (the profile's `image` becomes its address),
     * `null` to remove it, or absent to keep it as long as `image` still names it.
     */
    async updateProfile(id: string, name: string, profile: OrganisationProfile, options: { logo?: BadgeImageFile | null } = {}): Promise<void> {
      const record = await repo.byId(id);
      if (!record) throw new AppError('organisation_not_found', `no organisation ${id}`);
      const { logo: current, fromSettings } = splitStored(record.profile);
      let logo = options.logo === undefined ? current : (options.logo ?? undefined);
      let next: OrganisationProfile = profile;
      if (options.logo) next = { ...profile, image: logoUrlOf(publicUrl, record.slug, options.logo) };
      else if (options.logo === null && current && profile.image?.startsWith(`${publicUrl}/orgs/${record.slug}/logo`)) next = withoutImage(profile);
      // A logo whose address the profile no longer names (another image, or none) is not kept.
      if (logo && !next.image?.startsWith(`${publicUrl}/orgs/${record.slug}/logo`)) logo = undefined;
      await repo.updateProfile(id, name, {
        ...next,
        ...(logo ? { logo: { contentType: logo.contentType, data: logo.data.toString('base64') } satisfies StoredLogo } : {}),
        ...(fromSettings ? { fromSettings } : {}),
      });
      forget(id);
    },

    /**
     * New keys for an organisation; the old ones are retired: they sign nothing more and stay in its
     * DID document, so every credential they signed keeps verifying.
     */
    async rotateKeys(id: string): Promise<Organisation> {
      const org = await load(id);
      if (!org) throw new AppError('not_found', `no organisation ${id}`);
      if (org.isInstance && instanceDid === 'key') {
        throw new AppError('validation_failed', 'the instance issuer is a did:key: its identifier is its key, so the key cannot change');
      }
      const current = (await repo.signingKeys(id)).filter((k) => k.retiredAt === null).map((k) => k.id);
      const added = await keyRecords(id, await generatePrivateJwks(), keyDeps);
      await repo.rotateSigningKeys(id, added, current, now().toISOString());
      forget(id);
      return (await load(id))!;
    },

    /** The organisation a DID of this instance names. */
    async byDid(did: string): Promise<Organisation | undefined> {
      if (did.startsWith(orgDidPrefix)) return bySlug(did.slice(orgDidPrefix.length));
      const instance = await repo.instance();
      if (!instance) return undefined;
      const org = await load(instance.id);
      return org && (did === org.did || did === hostDid) ? org : undefined;
    },

    /** Whether a DID is one of this instance's issuers (without a look-up: by its form). */
    isLocalIssuer(did: string, instance: Organisation): boolean {
      return did === instance.did || did === hostDid || (did.startsWith(orgDidPrefix) && !did.slice(orgDidPrefix.length).includes(':'));
    },

    /** An organisation's public JWK by its thumbprint, as `/keys/<thumbprint>` serves it (the VC-JWT `kid`). */
    async publicJwk(thumbprint: string): Promise<JWK | undefined> {
      // An RFC 7638 SHA-256 thumbprint: 43 base64url characters.
      if (!/^[A-Za-z0-9_-]{43}$/.test(thumbprint)) return undefined;
      const key = await repo.signingKeyNamed(thumbprint);
      if (!key || key.type !== 'RSA') return undefined;
      return { ...(key.publicJwk as JWK), kid: `${publicUrl}/keys/${key.name}`, alg: 'RS256', use: 'sig' };
    },
  };
}

const withoutImage = ({ image: _image, ...rest }: OrganisationProfile): OrganisationProfile => rest;

export type Organisations = ReturnType<typeof createOrganisations>;

/**
 * Resolves this instance's did:web identifiers and their verification methods without HTTP, for the
 * document loader: the same documents `/.well-known/did.json` and `/orgs/<slug>/did.json` serve.
 */
export function organisationResolver(organisations: Organisations): DocumentResolver {
  return async (url) => {
    const [did, fragment] = url.split('#') as [string, string | undefined];
    if (!did.startsWith(organisations.hostDid)) return undefined;
    const org = await organisations.byDid(did);
    if (!org) return undefined;
    const document = org.didDocument();
    if (document.id !== did) return undefined;
    if (fragment === undefined) return document;
    const methodOf = (doc: Record<string, unknown>) => (doc.verificationMethod as Array<{ id: string; type: string }>).find((m) => m.id === url);
    // A key this process has not seen: another instance may have rotated the keys a moment ago.
    const method = methodOf(document) ?? (await organisations.withKey(org.id, fragment).then((o) => (o ? methodOf(o.didDocument()) : undefined)));
    if (!method) return undefined;
    return { '@context': method.type === 'Multikey' ? CONTEXT.multikey : CONTEXT.jwk, ...method };
  };
}
