import { availableParallelism } from 'node:os';
import { createBadgeClassStore, type BadgeClassStore } from './badge-classes/store.js';
import { createImageStore, type ImageStore } from './badge-classes/images.js';
import { FRAMEWORKS_DIR } from './config/paths.js';
import { readFrameworks } from './frameworks/frameworks.js';
import { createFrameworks, type Frameworks } from './frameworks/store.js';
import { createPathwayProgress, type PathwayProgressService } from './pathways/progress.js';
import { createPathwayStore, type PathwayStore } from './pathways/store.js';
import { createProgressLinks, type ProgressLinks } from './pathways/progress-link.js';
import { createProfiling, type ProfilingService } from './profiling/profiling.js';
import { createEndorsements, type EndorsementService } from './endorsements/endorsements.js';
import type { Config } from './config/config.js';
import type { Db } from './db/client.js';
import type { Storage } from './db/repositories.js';
import { openStorage } from './db/open.js';
import { bakeStoredCredential } from './credentials/baked-badge.js';
import { pick } from './badge-classes/achievement.js';
import { createErasureService, type ErasureService } from './credentials/erasure.js';
import { createIssuanceService, type IssuanceService } from './credentials/issuance.js';
import { createInlineSecureStep, type SecureStep, type SigningKeys } from './credentials/secure.js';
import { createSigningPool } from './credentials/signing-pool.js';
import { createDocumentLoader, type DocumentLoader } from './jsonld/document-loader.js';
import { didKeyResolver } from './jsonld/did-key-resolver.js';
import { createAccounts, type Accounts } from './accounts/accounts.js';
import { learnerKey } from './recipients/identity.js';
import { rekeyLearners } from './recipients/rekey.js';
import { createAddressBox } from './renewal/contacts.js';
import { createExpiryReminders, type ExpiryReminders } from './renewal/reminders.js';
import { createKeyEncryption, deriveSecrets, loadKeyEncryptionKey, type InstanceSecrets } from './keys/key-encryption.js';
import { createIssuanceJobs, type IssuanceJobs, type JobRunnerOptions } from './issuance-jobs/jobs.js';
import { createMailQueue, type OutboxOptions } from './mail/outbox.js';
import type { MailQueue } from './mail/queue.js';
import { createMailTransport } from './mail/transport.js';
import type { IssuerKeys } from './keys/key-store.js';
import { ed25519Signer } from './keys/signers.js';
import type { Logger } from './logger.js';
import { createApiKeyStore, type ApiKeyStore } from './organisations/api-keys.js';
import { createOrganisations, organisationResolver, type Organisation, type Organisations } from './organisations/organisations.js';
import { privateJwksOf } from './organisations/signing-keys.js';
import { createDataIntegrityFormat } from './proofs/data-integrity.js';
import { createStatusService, type StatusService } from './status/status-lists.js';
import { createGuardedFetcher, type GuardedFetcher } from './net/guarded-fetch.js';
import { createCpuPool, type VerifyCpu } from './verify/cpu-pool.js';
import { createVerifier, type Verifier } from './verify/verifier.js';
import { createUsage, type UsageService } from './usage/usage.js';

/** Everything the HTTP shell and the CLI need, built once from configuration and keys. */
export interface AppContext {
  /** Reminders before badges expire: the service starts their sweep (`reminders.start()`); tests sweep themselves. */
  reminders: ExpiryReminders;
  config: Config;
  logger: Logger;
  /** The SQLite database, when that is the backend (tests read it directly). */
  sqlite?: Db;
  /** Every domain's data, behind async repositories: SQLite, or PostgreSQL with DATABASE_URL. */
  storage: Storage;
  /** The badge classes: in the database, each owned by an organisation, versioned. */
  catalog: BadgeClassStore;
  /** The competence frameworks the instance knows: alignments name their competences. */
  frameworks: Frameworks;
  /** Learning pathways: steps of badge classes leading to a capstone badge. */
  pathways: PathwayStore;
  /** Learners' progress through pathways, and the capstones their completions earn. */
  progress: PathwayProgressService;
  /** The private links to a learner's progress, sent with each badge e-mail. */
  progressLinks: ProgressLinks;
  /** The skills profiling tool: questionnaires, assessments, kept results, anonymous counts. */
  profiling: ProfilingService;
  /** EndorsementCredentials organisations issue for others' badge classes and for organisations. */
  endorsements: EndorsementService;
  images: ImageStore;
  /** The issuers: organisations with their own DIDs and keys. */
  organisations: Organisations;
  /** The instance's own organisation (the issuer from before organisations). */
  instance: Organisation;
  documentLoader: DocumentLoader;
  apiKeys: ApiKeyStore;
  /** People, sessions, invitations and the audit log of the console. */
  accounts: Accounts;
  /** Secrets derived from the key-encryption key (CSRF tokens, recipient keys). */
  secrets: InstanceSecrets;
  /** E-mail through the durable outbox. */
  mail: MailQueue;
  issuance: IssuanceService;
  /** Issuance from spreadsheets: previews, confirmed jobs, and the runner that issues them. */
  jobs: IssuanceJobs;
  /** Erasure on request (GDPR Art. 17). */
  erasure: ErasureService;
  status: StatusService;
  fetcher: GuardedFetcher;
  verifier: Verifier;
  /** The verifier's worker threads. */
  cpu: VerifyCpu;
  /** The secure step of issuance: signing workers, or this thread with SIGNING_THREADS=0. */
  signing: SecureStep;
  /** Views, downloads and verifications per badge class, counted in memory and written every few seconds. */
  usage: UsageService;
  now: () => Date;
}

export interface ContextOptions {
  config: Config;
  logger: Logger;
  /** The instance's key files (KEYS_DIR): read only on the first start, when they become its organisation's keys. */
  keys: IssuerKeys | (() => Promise<IssuerKeys>);
  now?: () => Date;
  randomUUID?: () => string;
  fetcher?: GuardedFetcher;
  /** The mail sender's batch size, polling interval, locks and retry schedule (tests shorten them). */
  mail?: Partial<OutboxOptions>;
  /** The spreadsheet runner's polling interval, lock and concurrency (tests shorten them). */
  jobs?: Partial<JobRunnerOptions>;
  /** Between two writes of the usage counts, once `usage.start()` is called (default 5 s). */
  usageFlushMs?: number;
}

export async function createAppContext(options: ContextOptions): Promise<AppContext> {
  const { config, logger, now = () => new Date(), randomUUID } = options;
  const { storage, sqlite } = await openStorage(config);
  const kek = loadKeyEncryptionKey(config, logger);
  const secrets = deriveSecrets(kek);
  const rekeyed = await rekeyLearners(storage.credentials, secrets);
  if (rekeyed) logger.info({ credentials: rekeyed }, "gave the awards stored before learners' keys were per organisation their organisation's key");
  const organisations = createOrganisations({
    repo: storage.organisations,
    encryption: createKeyEncryption(kek),
    publicUrl: config.publicUrl,
    instanceDid: config.issuerDid,
    now,
    ...(randomUUID ? { randomUUID } : {}),
  });
  const { name, url, email, description, image } = config.issuer;
  const instance = await organisations.ensureInstance(
    async () => privateJwksOf(typeof options.keys === 'function' ? await options.keys() : options.keys),
    { name, profile: { url, ...(email ? { email } : {}), ...(description ? { description: { en: description } } : {}), ...(image ? { image } : {}) } },
  );
  await storage.status.adoptLists(instance.id);
  // The bundled frameworks and the organisations' own, as one catalog.
  const frameworks = createFrameworks({ bundled: readFrameworks(FRAMEWORKS_DIR), repo: storage.frameworks, publicUrl: config.publicUrl, now });
  await frameworks.load();
  const catalog = createBadgeClassStore({ repo: storage.badgeClasses, now, frameworks });
  // The starter catalog (BADGE_CLASSES_DIR) is imported once, for the instance's organisation; a bad
  // file is reported and left out, the others are imported.
  if ((await storage.badgeClasses.count()) === 0) {
    const { imported, problems } = await catalog.importFolder(config.badgeClassesDir, instance.id);
    if (imported.length) logger.info({ badgeClasses: imported.length, from: config.badgeClassesDir }, 'imported the starter badge classes');
    for (const problem of problems) logger.warn(problem, 'a badge class file was not imported');
  } else {
    await catalog.load();
  }
  const pathways = createPathwayStore({ repo: storage.pathways, catalog, frameworks, now });
  // The starter pathways (PATHWAYS_DIR) likewise, once; a pathway whose badge classes are missing is reported.
  if ((await storage.pathways.list()).length === 0) {
    const { imported, problems } = await pathways.importFolder(config.pathwaysDir, instance.id);
    if (imported.length) logger.info({ pathways: imported.length, from: config.pathwaysDir }, 'imported the starter learning pathways');
    for (const problem of problems) logger.warn(problem, 'a pathway file was not imported');
  } else {
    await pathways.load();
  }
  const profiling = createProfiling({ repo: storage.questionnaires, profiling: storage.profiling, pathways, catalog, frameworks, now, ...(randomUUID ? { randomUUID } : {}) });
  // The starter questionnaires (QUESTIONNAIRES_DIR) likewise, once, after the pathways they recommend.
  if ((await storage.questionnaires.list()).length === 0) {
    const { imported, problems } = await profiling.importFolder(config.questionnairesDir, instance.id);
    if (imported.length) logger.info({ questionnaires: imported.length, from: config.questionnairesDir }, 'imported the starter self-assessments');
    for (const problem of problems) logger.warn(problem, 'a questionnaire file was not imported');
  } else {
    await profiling.questionnaires.load();
  }
  const keyed = await organisations.ensureSigningKeys();
  if (keyed) logger.info({ organisations: keyed }, 'made signing keys for organisations that had none (training providers from before organisations)');
  const resolver = organisationResolver(organisations);
  const documentLoader = createDocumentLoader([resolver, didKeyResolver]);
  // As many as the cores: the workers yield to the event loop (threads/priority.ts), so they only take
  // what it leaves, and the loop, which builds, stores and answers, is the busier side of issuance.
  const signingThreads = config.signingThreads ?? availableParallelism();
  const signing = signingThreads > 0 ? createSigningPool({ threads: signingThreads }) : createInlineSecureStep();
  // Status lists are signed here: rarely, and each list credential once per change, by its organisation.
  const status = createStatusService({
    storage,
    publicUrl: config.publicUrl,
    signerOf: async (orgId) => {
      const org = await organisations.get(orgId);
      if (!org) throw new Error(`status list of unknown organisation ${orgId}`);
      return { issuer: org.did, dataIntegrity: createDataIntegrityFormat({ signer: ed25519Signer(org.signing.ed25519, org.signing.verificationMethod), documentLoader, now }) };
    },
    now,
  });
  const progressLinks = createProgressLinks(secrets.progress);
  const addresses = createAddressBox(secrets.contacts);
  const progress = createPathwayProgress({ storage, pathways, catalog, issuance: () => issuance, publicUrl: config.publicUrl, logger, now, ...(randomUUID ? { randomUUID } : {}) });
  const issuance = createIssuanceService({
    storage,
    afterIssue: (awards) => progress.afterIssue(awards),
    learnerKey: (orgId, email) => learnerKey(secrets, orgId, email),
    addresses,
    catalog,
    organisations,
    publicUrl: config.publicUrl,
    signing,
    status,
    now,
    ...(randomUUID ? { randomUUID } : {}),
  });
  // Other issuers' documents come only through this fetcher; ours resolve locally.
  const fetcher = options.fetcher ?? createGuardedFetcher(config.remoteFetch);
  const cpu = createCpuPool(config.verifyThreads ? { threads: config.verifyThreads } : {});
  const verifier = createVerifier({
    cpu,
    localResolvers: [resolver],
    isLocalIssuer: (did) => organisations.isLocalIssuer(did, instance),
    localJwk: async (kid) => (kid.startsWith(`${config.publicUrl}/keys/`) ? organisations.publicJwk(kid.slice(`${config.publicUrl}/keys/`.length)) : undefined),
    localStatus: status,
    fetcher,
    didWebOverHttp: config.remoteFetch.allowHttp,
    now,
  });
  const accounts = createAccounts({ storage, publicUrl: config.publicUrl, now, ...(randomUUID ? { randomUUID } : {}) });
  // E-mail goes through the outbox; the service starts its sender (`mail.start()`), tools and tests need not.
  const images = createImageStore();
  const mail = createMailQueue({
    storage,
    transport: createMailTransport(config.mail, logger, { now }),
    logger,
    publicUrl: config.publicUrl,
    organisations,
    badgePng: async (stored) => (await bakeStoredCredential({ catalog, images, jwtOf: issuance.jwtOf }, stored, 'png')).bytes,
    progress: async (stored, language) => {
      const pathway = pathways.involving(stored.orgId, stored.badgeClass)[0];
      const key = pathway && (await storage.credentials.stateOf(stored.id))?.learnerKey;
      if (!pathway || !key) return undefined;
      return { url: `${config.publicUrl}/progress/${await progressLinks.tokenFor(stored.orgId, key)}?lang=${language}`, pathway: pick(pathway.pathway.title, language) };
    },
    now,
    ...(randomUUID ? { randomUUID } : {}),
    options: { lockMs: config.locks.mailMs, ...options.mail },
  });
  // Spreadsheet jobs: the service starts the runner (`jobs.start()`); tools and tests may drain them instead.
  const jobs = createIssuanceJobs({
    storage,
    catalog,
    issuance,
    logger,
    now,
    ...(randomUUID ? { randomUUID } : {}),
    options: { lockMs: config.locks.jobMs, ...options.jobs },
  });
  // Counted in memory; the service starts the periodic write (`usage.start()`), tools and tests flush when they need.
  const usage = createUsage({ storage, logger, publicUrl: config.publicUrl, credential: issuance.get, ...(options.usageFlushMs !== undefined ? { intervalMs: options.usageFlushMs } : {}) });
  const reminders = createExpiryReminders({ storage, catalog, organisations, box: addresses, logger, now, ...(randomUUID ? { randomUUID } : {}) });
  return {
    config,
    logger,
    jobs,
    reminders,
    ...(sqlite ? { sqlite } : {}),
    catalog,
    frameworks,
    pathways,
    progress,
    progressLinks,
    profiling,
    endorsements: createEndorsements({ storage, organisations, catalog, signing, publicUrl: config.publicUrl, now, ...(randomUUID ? { randomUUID } : {}) }),
    images,
    organisations,
    instance,
    documentLoader,
    storage,
    apiKeys: createApiKeyStore(storage.organisations, { now }),
    accounts,
    secrets,
    mail,
    issuance,
    erasure: createErasureService({ storage, status, forget: (id) => issuance.forget(id), now, ...(randomUUID ? { randomUUID } : {}) }),
    status,
    fetcher,
    verifier,
    cpu,
    signing,
    usage,
    now,
  };
}

/** Stops the mail sender (after the message under way) and writes the usage counts before the database closes; then the rest. */
export async function closeAppContext(ctx: AppContext): Promise<void> {
  const failed = (what: string) => (error: unknown) => ctx.logger.error({ error: error instanceof Error ? error.message : String(error) }, what);
  await Promise.all([
    ctx.jobs.close().catch(failed('the issuance job runner did not stop cleanly')),
    ctx.reminders.stop().catch(failed('the expiry reminders did not stop cleanly')),
    ctx.mail.close().catch(failed('the mail sender did not stop cleanly')),
    ctx.usage.close().catch(failed('the usage counts were not written at shutdown')),
  ]);
  void ctx.storage.close();
  void ctx.cpu.close();
  void ctx.signing.close();
}
