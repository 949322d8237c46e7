import { availableParallelism } from 'node:os';
import { loadCatalog, type Catalog } from './badge-classes/catalog.js';
import { createImageStore, type ImageStore } from './badge-classes/images.js';
import type { Config } from './config/config.js';
import type { Db } from './db/client.js';
import type { Storage } from './db/repositories.js';
import { openStorage } from './db/open.js';
import { createIssuanceService, type IssuanceService } from './credentials/issuance.js';
import { createInlineSecureStep, type SecureStep, type SigningKeys } from './credentials/secure.js';
import { createSigningPool } from './credentials/signing-pool.js';
import { createIssuer, type Issuer } from './issuer/issuer.js';
import { createDocumentLoader, type DocumentLoader } from './jsonld/document-loader.js';
import { didKeyResolver } from './jsonld/did-key-resolver.js';
import type { IssuerKeys } from './keys/key-store.js';
import { ed25519PrivateKey, ed25519Signer, rsaPrivateKey } from './keys/signers.js';
import type { Logger } from './logger.js';
import { createDataIntegrityFormat } from './proofs/data-integrity.js';
import { createProviderStore, type ProviderStore } from './providers/api-keys.js';
import { createStatusService, type StatusService } from './status/status-lists.js';
import { createGuardedFetcher, type GuardedFetcher } from './net/guarded-fetch.js';
import { createCpuPool, type VerifyCpu } from './verify/cpu-pool.js';
import { createVerifier, type Verifier } from './verify/verifier.js';

/** Everything the HTTP shell and the CLI need, built once from configuration and keys. */
export interface AppContext {
  config: Config;
  logger: Logger;
  /** The SQLite database, when that is the backend (tests read it directly). */
  sqlite?: Db;
  /** Every domain's data, behind async repositories: SQLite, or PostgreSQL with DATABASE_URL. */
  storage: Storage;
  catalog: Catalog;
  images: ImageStore;
  issuer: Issuer;
  documentLoader: DocumentLoader;
  providers: ProviderStore;
  issuance: IssuanceService;
  status: StatusService;
  fetcher: GuardedFetcher;
  verifier: Verifier;
  /** The verifier's worker threads. */
  cpu: VerifyCpu;
  /** The secure step of issuance: signing workers, or this thread with SIGNING_THREADS=0. */
  signing: SecureStep;
  now: () => Date;
}

export interface ContextOptions {
  config: Config;
  logger: Logger;
  keys: IssuerKeys;
  now?: () => Date;
  randomUUID?: () => string;
  fetcher?: GuardedFetcher;
}

export async function createAppContext(options: ContextOptions): Promise<AppContext> {
  const { config, logger, keys, now = () => new Date(), randomUUID } = options;
  const catalog = loadCatalog(config.badgeClassesDir);
  const { storage, sqlite } = await openStorage(config);
  const issuer = await createIssuer(config, keys);
  const documentLoader = createDocumentLoader([issuer.resolver, didKeyResolver]);
  const signingKeys: SigningKeys = {
    ed25519: await ed25519PrivateKey(issuer.signingKey),
    verificationMethod: issuer.signingKey.id!,
    rsa: rsaPrivateKey(issuer.rsa.privateKey),
    jwtKid: issuer.jwtKid,
  };
  // As many as the cores: the workers yield to the event loop (threads/priority.ts), so they only take
  // what it leaves, and the loop, which builds, stores and answers, is the busier side of issuance.
  const signingThreads = config.signingThreads ?? availableParallelism();
  const signing = signingThreads > 0 ? createSigningPool(signingKeys, { threads: signingThreads }) : createInlineSecureStep(signingKeys);
  // Status lists are signed here: rarely, and each list credential once per change.
  const dataIntegrity = createDataIntegrityFormat({ signer: ed25519Signer(signingKeys.ed25519, signingKeys.verificationMethod), documentLoader, now });
  const status = createStatusService({ storage, publicUrl: config.publicUrl, issuer: issuer.profile, dataIntegrity, now });
  const issuance = createIssuanceService({
    storage,
    catalog,
    issuer,
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
    localResolvers: [issuer.resolver],
    localIssuers: [issuer.id],
    localJwks: issuer.publicJwks,
    localStatus: status,
    fetcher,
    didWebOverHttp: config.remoteFetch.allowHttp,
    now,
  });
  return { config, logger, ...(sqlite ? { sqlite } : {}), catalog, images: createImageStore(), issuer, documentLoader, storage, providers: createProviderStore(storage.providers, { now }), issuance, status, fetcher, verifier, cpu, signing, now };
}

export function closeAppContext(ctx: AppContext): void {
  void ctx.storage.close();
  void ctx.cpu.close();
  void ctx.signing.close();
}
