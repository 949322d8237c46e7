import { createHash, randomUUID as nodeRandomUUID } from 'node:crypto';
import { achievementUrl, proficiencyLevelIds } from '../badge-classes/achievement.js';
import type { Catalog } from '../badge-classes/catalog.js';
import type { Language } from '../badge-classes/schema.js';
import { isStorageError } from '../db/errors.js';
import type { CredentialListQuery, Repositories, Storage } from '../db/repositories.js';
import { AppError, type ErrorDetail } from '../errors/errors.js';
import type { Issuer } from '../issuer/issuer.js';
import type { Allocation, StatusService } from '../status/status-lists.js';
import type { Credential, ProofFormat } from '../proofs/proof-format.js';
import { mayAward, type Caller } from '../providers/api-keys.js';
import type { AwardRequest } from './award-request.js';
import { buildCredential, credentialUrl, toDateTime } from './build.js';
import { stableStringify } from './stable-json.js';

/** Signing again after a status-index collision; one in 131,072 per credential, so three is plenty. */
const MAX_ATTEMPTS = 3;

export interface IssuedCredential {
  /** Short identifier used in API paths. */
  id: string;
  /** Public URL; also `credential.id`. */
  url: string;
  credential: Credential;
  jwt: string;
}

export interface IssueResult {
  /** True when an Idempotency-Key replay returned credentials issued earlier. */
  replayed: boolean;
  issued: IssuedCredential[];
}

export interface CredentialSummary {
  id: string;
  url: string;
  badgeClass: string;
  language: string;
  issuedAt: string;
  validUntil: string | null;
}

export interface StoredCredential {
  id: string;
  providerId: string;
  document: string;
  jwt: string;
}

export interface IssuanceDeps {
  storage: Storage;
  catalog: Catalog;
  issuer: Issuer;
  publicUrl: string;
  /** Applied in order: Data Integrity, then VC-JWT over the signed credential. */
  dataIntegrity: ProofFormat;
  vcJwt: ProofFormat;
  status: StatusService;
  now?: () => Date;
  randomUUID?: () => string;
}

export interface IssuanceService {
  issue(caller: Caller, awards: AwardRequest[], options: { idempotencyKey?: string; kind: 'single' | 'batch' }): Promise<IssueResult>;
  list(caller: Caller, query: CredentialListQuery): Promise<{ total?: number; items: CredentialSummary[] }>;
  get(id: string): Promise<StoredCredential | undefined>;
}

export function createIssuanceService(deps: IssuanceDeps): IssuanceService {
  const { storage, catalog, issuer, publicUrl, dataIntegrity, vcJwt, status } = deps;
  const now = deps.now ?? (() => new Date());
  const randomUUID = deps.randomUUID ?? nodeRandomUUID;

  /** Refuses the whole request if any award cannot be issued; paths name the award in a batch. */
  function checkAwards(caller: Caller, awards: AwardRequest[], kind: 'single' | 'batch', issuedAt: Date): Language[] {
    const prefix = (i: number) => (kind === 'batch' ? `awards[${i}].` : '');
    const notAllowed: ErrorDetail[] = [];
    const invalid: ErrorDetail[] = [];
    const unknown: ErrorDetail[] = [];
    const languages = awards.map((award, i) => {
      const entry = catalog.get(award.badgeClass);
      const path = `${prefix(i)}badgeClass`;
      if (!entry) {
        unknown.push({ path, message: `"${path}" names no known badge class ("${award.badgeClass}")` });
        return 'en';
      }
      if (!mayAward(caller, award.badgeClass)) {
        notAllowed.push({ path, message: `this API key may not award badge class "${award.badgeClass}"` });
      }
      const language = award.language ?? 'en';
      if (!entry.languages.includes(language)) {
        const p = `${prefix(i)}language`;
        invalid.push({ path: p, message: `"${p}" "${language}" is not available for "${award.badgeClass}" (available: ${entry.languages.join(', ')})` });
      }
      if (award.validUntil && Date.parse(award.validUntil) <= issuedAt.getTime()) {
        const p = `${prefix(i)}validUntil`;
        invalid.push({ path: p, message: `"${p}" must be in the future` });
      }
      const levelIds = proficiencyLevelIds(achievementUrl(publicUrl, award.badgeClass));
      award.results?.forEach((r, j) => {
        if (r.resultDescription !== undefined && r.resultDescription !== levelIds.resultDescription) {
          const p = `${prefix(i)}results[${j}].resultDescription`;
          invalid.push({ path: p, message: `"${p}" must name a ResultDescription of the achievement ("${levelIds.resultDescription}")` });
        }
      });
      return language;
    });
    if (unknown.length) throw new AppError('unknown_badge_class', unknown[0]!.message, unknown);
    if (notAllowed.length) throw new AppError('badge_class_not_allowed', notAllowed[0]!.message, notAllowed);
    if (invalid.length) throw new AppError('validation_failed', invalid[0]!.message, invalid);
    return languages;
  }

  async function loadIssued(repos: Repositories, ids: string[]): Promise<IssuedCredential[]> {
    const rows = await repos.credentials.getMany(ids);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => {
      const row = byId.get(id);
      if (!row) throw new Error(`idempotency record names missing credential ${id}`);
      return { id, url: credentialUrl(publicUrl, id), credential: JSON.parse(row.document) as Credential, jwt: row.jwt };
    });
  }

  async function findReplay(repos: Repositories, caller: Caller, key: string | undefined, requestHash: string): Promise<IssueResult | undefined> {
    if (key === undefined) return undefined;
    const record = await repos.idempotency.find(caller.provider.id, key);
    if (!record) return undefined;
    if (record.requestHash !== requestHash) {
      throw new AppError('idempotency_key_reused', 'this Idempotency-Key was already used with a different request');
    }
    return { replayed: true, issued: await loadIssued(repos, record.credentialIds) };
  }

  async function signAndStore(
    caller: Caller,
    awards: AwardRequest[],
    languages: Language[],
    issuedAt: Date,
    allocations: Allocation[],
    idempotencyKey: string | undefined,
    requestHash: string,
  ): Promise<IssueResult> {
    // Sign everything before writing anything: a failure here leaves no record behind.
    const signed: Array<IssuedCredential & { badgeClass: string; version: string; language: Language }> = [];
    for (const [i, award] of awards.entries()) {
      // Signing is CPU work; let other requests through between credentials of a large batch.
      if (i > 0) await new Promise((resolve) => setImmediate(resolve));
      const entry = catalog.get(award.badgeClass)!;
      const language = languages[i]!;
      const uuid = randomUUID();
      const unsigned = buildCredential({ uuid, publicUrl, issuer: issuer.profile, entry, award, language, issuedAt, credentialStatus: { ...allocations[i]!.entry } });
      const di = await dataIntegrity.secure(unsigned);
      if (di.format !== 'data-integrity') throw new Error('data integrity format returned no credential');
      const jws = await vcJwt.secure(di.credential);
      if (jws.format !== 'vc-jwt') throw new Error('VC-JWT format returned no JWT');
      signed.push({
        id: uuid,
        url: credentialUrl(publicUrl, uuid),
        credential: di.credential,
        jwt: jws.jwt,
        badgeClass: entry.badgeClass.slug,
        version: entry.badgeClass.version,
        language,
      });
    }

    // One transaction: all credentials, their status entries and the idempotency record, or nothing.
    return storage.transaction(async (tx) => {
      const raced = await findReplay(tx, caller, idempotencyKey, requestHash);
      if (raced) return raced;
      const issuedAtText = toDateTime(issuedAt);
      await tx.credentials.insert(
        signed.map((s) => ({
          id: s.id,
          providerId: caller.provider.id,
          badgeClass: s.badgeClass,
          badgeClassVersion: s.version,
          language: s.language,
          issuedAt: issuedAtText,
          validUntil: typeof s.credential.validUntil === 'string' ? s.credential.validUntil : null,
          document: JSON.stringify(s.credential),
          jwt: s.jwt,
        })),
      );
      await tx.status.insertEntries(signed.map((s, i) => ({ credentialId: s.id, listId: allocations[i]!.listId, statusIndex: allocations[i]!.index })));
      if (idempotencyKey !== undefined) {
        await tx.idempotency.insert({ providerId: caller.provider.id, key: idempotencyKey, requestHash, credentialIds: signed.map((s) => s.id), createdAt: issuedAtText });
      }
      return { replayed: false, issued: signed.map(({ id, url, credential, jwt }) => ({ id, url, credential, jwt })) };
    });
  }

  return {
    async issue(caller, awards, { idempotencyKey, kind }) {
      const requestHash = createHash('sha256').update(`${kind}\n${stableStringify(awards)}`).digest('hex');
      const replay = await findReplay(storage, caller, idempotencyKey, requestHash);
      if (replay) return replay;

      const issuedAt = now();
      const languages = checkAwards(caller, awards, kind, issuedAt);

      // Several instances may share the database: it decides. A request that lost a race for its
      // Idempotency-Key answers as the replay it now is; one whose status index another instance took
      // meanwhile is signed again with fresh indexes (the index is part of what is signed).
      for (let attempt = 1; ; attempt++) {
        const allocations = await status.allocate(awards.length);
        try {
          return await signAndStore(caller, awards, languages, issuedAt, allocations, idempotencyKey, requestHash);
        } catch (e) {
          if (!isStorageError(e, 'conflict')) throw e;
          const raced = await findReplay(storage, caller, idempotencyKey, requestHash);
          if (raced) return raced;
          if (attempt >= MAX_ATTEMPTS) throw e;
        } finally {
          status.release(allocations);
        }
      }
    },

    async list(caller, query) {
      const { total, items } = await storage.credentials.list(caller.provider.id, query);
      return { total, items: items.map((r) => ({ ...r, url: credentialUrl(publicUrl, r.id) })) };
    },

    get: (id) => storage.credentials.get(id),
  };
}
