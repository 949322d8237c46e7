import { createHash, randomUUID as nodeRandomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { achievementUrl, proficiencyLevelIds } from '../badge-classes/achievement.js';
import { mayBeAwardedBy, type Catalog } from '../badge-classes/catalog.js';
import type { Language } from '../badge-classes/schema.js';
import { isStorageError } from '../db/errors.js';
import { ERASED_DOCUMENT, type AuditRecord, type CredentialRecord, type CredentialListQuery, type CredentialState, type ExpiryReminderRecord, type OutboxRecord, type Repositories, type Storage } from '../db/repositories.js';
import { AppError, type ErrorDetail } from '../errors/errors.js';
import type { Allocation, StatusService } from '../status/status-lists.js';
import type { Credential } from '../proofs/proof-format.js';
import { mayAward, type Caller } from '../organisations/api-keys.js';
import type { Organisation, Organisations } from '../organisations/organisations.js';
import type { AddressBox } from '../renewal/contacts.js';
import { planReminders } from '../renewal/reminders.js';
import type { AwardRequest, ReissueRequest, RenewalRequest } from './award-request.js';
import { buildCredential, credentialUrl, toDateTime, type BuildInput } from './build.js';
import type { SecureStep, SecuredCredential, SigningKeys } from './secure.js';
import { issuerIdOf } from './model.js';
import { stableStringify } from './stable-json.js';

/** Signing again after a status-index collision; one in 131,072 per credential, so three is plenty. */
const MAX_ATTEMPTS = 3;

export interface IssuedCredential {
  /** Short identifier used in API paths. */
  id: string;
  /** Public URL; also `credential.id`. */
  url: string;
  /** The signed credential as JSON text: as stored, and byte for byte what `GET url` serves. */
  document: string;
  /** The VC-JWT when it was asked for; otherwise signed when first fetched from `${url}.jwt`. */
  jwt: string | null;
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
  orgId: string;
  /** Its badge class's slug, as stored beside it (the usage counts are kept per badge class). */
  badgeClass: string;
  document: string;
  /** Null until the VC-JWT is first asked for (`jwtOf`). */
  jwt: string | null;
}

/** A credential as a view serves it: the stored document, and its state read now. */
export interface OpenedCredential {
  stored: StoredCredential;
  state: CredentialState;
}

export interface RenewalResult {
  issued: IssuedCredential;
  /** The credential renewed: still valid until its own date, now superseded by `issued`. */
  renews: string;
}

export interface ReissueResult {
  issued: IssuedCredential;
  /** The credential corrected, now revoked (reason "replaced") and linked to `issued`. */
  replaces: string;
}

/** Why a credential cannot be changed any more (re-issued): erased, already replaced, or revoked. */
export function refuseIfSettled(state: Pick<CredentialState, 'id' | 'erasedAt' | 'replacedBy' | 'revokedAt'>): void {
  if (state.erasedAt) throw erasedError(state.id);
  if (state.replacedBy) throw new AppError('credential_replaced', `credential "${state.id}" was already re-issued as "${state.replacedBy}": re-issue that one`);
  if (state.revokedAt) throw new AppError('credential_revoked', `credential "${state.id}" was revoked on ${state.revokedAt.slice(0, 10)}; a revoked badge is not re-issued`);
}

export const erasedError = (id: string): AppError =>
  new AppError('credential_erased', `credential "${id}" was erased at the request of its holder or issuer; it no longer exists`);

export interface IssueOptions {
  idempotencyKey?: string;
  kind: 'single' | 'batch';
  /** Sign the VC-JWTs at once and answer with them. */
  jwt?: boolean;
  /**
   * Who awards (`api-key:<id>`, `user:<id>`), for the activity log, written with the credentials. A
   * spreadsheet job's rows give none: the job's own entries record who uploaded and confirmed it.
   */
  actor?: string;
}

export interface IssuanceDeps {
  storage: Storage;
  catalog: Catalog & { ensure?(slug: string): Promise<unknown> };
  /** The issuers: each credential names its organisation and is signed with its keys. */
  organisations: Organisations;
  publicUrl: string;
  /** Data Integrity, then VC-JWT over the signed credential: in this thread or on signing workers. */
  signing: SecureStep;
  status: StatusService;
  now?: () => Date;
  randomUUID?: () => string;
  /** The learner's key in the organisation (recipients/identity.ts), to find their awards later. */
  learnerKey?: (orgId: string, email: string) => string;
  /**
   * Told of every credential issued (not of replays), once it is stored: pathways award their capstone
   * badges from here. What it throws is its own to report; the issuance stands.
   */
  afterIssue?: (awards: IssuedAward[]) => Promise<void>;
  /** Seals the learner's address kept for the reminders before a badge expires; without it none is kept. */
  addresses?: AddressBox;
}

/** A credential just issued, as `afterIssue` hears of it: with the learner's address, never stored in clear. */
export interface IssuedAward {
  orgId: string;
  credentialId: string;
  badgeClass: string;
  language: Language;
  learnerKey: string | null;
  recipient: { email?: string | undefined; name?: string | undefined };
  /** Whether the learner is e-mailed their badges (the award's `notify`). */
  notify: boolean;
}

export interface IssuanceService {
  issue(caller: Caller, awards: AwardRequest[], options: IssueOptions): Promise<IssueResult>;
  list(caller: Caller, query: CredentialListQuery): Promise<{ total?: number; items: CredentialSummary[] }>;
  /** The stored document (from a per-process cache): what a view serves goes through `open`, which checks the state. */
  get(id: string): Promise<StoredCredential | undefined>;
  /**
   * A credential to serve: its state read on every call (from the database, or on PostgreSQL from the
   * instance's state cache, which the database tells of every change: an erasure or revocation by any
   * instance shows within milliseconds), its document from the cache. `credential_not_found`,
   * or `credential_erased` for an erased one.
   */
  open(id: string): Promise<OpenedCredential>;
  /** Forgets this process's copy of a credential (after it was erased). */
  forget(id: string): void;
  /**
   * Re-issues a credential of the caller's organisation with corrections: a new credential (the same
   * badge class, the original award date), and the original revoked ("replaced") and linked to it,
   * together. Another organisation's credential is `credential_not_found`.
   */
  reissue(caller: Caller, id: string, correction: ReissueRequest, actor: string): Promise<ReissueResult>;
  /**
   * Renews a credential that expires: a new credential of its badge class for its learner, valid from
   * now, keeping its award date and naming it in its evidence; the renewed one stays valid until its
   * own date, linked to the renewal (never revoked). Its reminders end; the renewal's begin.
   */
  renew(caller: Caller, id: string, request: RenewalRequest, actor: string): Promise<RenewalResult>;
  /** The credential's VC-JWT, signed and kept the first time it is asked for. */
  jwtOf(stored: StoredCredential): Promise<string>;
}

export function createIssuanceService(deps: IssuanceDeps): IssuanceService {
  const { storage, catalog, organisations, publicUrl, signing, status, learnerKey } = deps;
  const now = deps.now ?? (() => new Date());
  const randomUUID = deps.randomUUID ?? nodeRandomUUID;

  /** Refuses the whole request if any award cannot be issued; paths name the award in a batch. */
  function checkAwards(caller: Caller, awards: AwardRequest[], kind: 'single' | 'batch', issuedAt: Date): Language[] {
    const prefix = (i: number) => (kind === 'batch' ? `awards[${i}].` : '');
    const notAllowed: ErrorDetail[] = [];
    const archived: ErrorDetail[] = [];
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
      } else if (!mayBeAwardedBy(entry, caller.org.id)) {
        notAllowed.push({ path, message: `badge class "${award.badgeClass}" belongs to another organisation, which has not allowed yours to award it` });
      } else if (entry.archived) {
        archived.push({ path, message: `badge class "${award.badgeClass}" is archived: it is no longer awarded` });
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
    if (archived.length) throw new AppError('badge_class_archived', archived[0]!.message, archived);
    if (invalid.length) throw new AppError('validation_failed', invalid[0]!.message, invalid);
    return languages;
  }

  async function loadIssued(repos: Repositories, ids: string[]): Promise<IssuedCredential[]> {
    const rows = await repos.credentials.getMany(ids);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => {
      const row = byId.get(id);
      if (!row) throw new Error(`idempotency record names missing credential ${id}`);
      if (row.document === ERASED_DOCUMENT) throw erasedError(id);
      return { id, url: credentialUrl(publicUrl, id), document: row.document, jwt: row.jwt };
    });
  }

  async function findReplay(repos: Repositories, caller: Caller, key: string | undefined, requestHash: string): Promise<IssueResult | undefined> {
    if (key === undefined) return undefined;
    const record = await repos.idempotency.find(caller.org.id, key);
    if (!record) return undefined;
    if (record.requestHash !== requestHash) {
      throw new AppError('idempotency_key_reused', 'this Idempotency-Key was already used with a different request');
    }
    return { replayed: true, issued: await loadIssued(repos, record.credentialIds) };
  }

  interface Built {
    id: string;
    badgeClass: string;
    version: string;
    language: Language;
    allocation: Allocation;
    unsigned: Credential;
    /** The learner's address, when the award is to be e-mailed. */
    mailTo: string | undefined;
    recipientName: string | undefined;
    recipientEmail: string | undefined;
  }

  /** build: the unsigned OpenBadgeCredentials, each with its status entry. */
  function build(org: Organisation, owners: Map<string, Organisation>, awards: AwardRequest[], languages: Language[], issuedAt: Date, allocations: Allocation[], original?: BuildInput['original']): Built[] {
    return awards.map((award, i) => {
      const entry = catalog.get(award.badgeClass)!;
      const id = randomUUID();
      const allocation = allocations[i]!;
      // A partner awarding another organisation's badge: the badge names its owner as its creator.
      const owner = entry.orgId === org.id ? undefined : owners.get(entry.orgId);
      const unsigned = buildCredential({
        uuid: id,
        publicUrl,
        issuer: org.issuer(languages[i]!),
        entry,
        award,
        language: languages[i]!,
        issuedAt,
        credentialStatus: { ...allocation.entry },
        ...(owner ? { creator: owner.issuer(languages[i]!) } : {}),
        ...(original ? { original } : {}),
      });
      const mailTo = award.notify === false ? undefined : award.recipient.email;
      return {
        id,
        badgeClass: entry.badgeClass.slug,
        version: entry.badgeClass.version,
        language: languages[i]!,
        allocation,
        unsigned,
        mailTo,
        recipientName: award.recipient.name,
        recipientEmail: award.recipient.email,
      };
    });
  }

  /** A credential's row as stored. */
  function rowOf(caller: Caller, b: Built, secured: SecuredCredential, issuedAtText: string, keptRecipientKey: string | null = null): CredentialRecord {
    return {
      id: b.id,
      orgId: caller.org.id,
      badgeClass: b.badgeClass,
      badgeClassVersion: b.version,
      language: b.language,
      issuedAt: issuedAtText,
      validUntil: typeof b.unsigned.validUntil === 'string' ? b.unsigned.validUntil : null,
      document: secured.document,
      jwt: secured.jwt,
      recipientName: b.recipientName ?? null,
      learnerKey: b.recipientEmail && learnerKey ? learnerKey(caller.org.id, b.recipientEmail) : keptRecipientKey,
    };
  }

  /** The learner's award message, when the award is to be e-mailed. */
  function messageOf(caller: Caller, b: Built, queuedAt: string): OutboxRecord[] {
    if (b.mailTo === undefined) return [];
    // The address only here, until the message is sent; the credential holds its salted hash.
    return [{ id: randomUUID(), orgId: caller.org.id, kind: 'award', credentialId: b.id, recipient: b.mailTo, language: b.language, payload: null, createdAt: queuedAt, nextAttemptAt: queuedAt }];
  }

  /** The issuing organisation, and the owners of the badge classes it awards for others. */
  async function issuersOf(caller: Caller, awards: AwardRequest[]): Promise<{ org: Organisation; owners: Map<string, Organisation> }> {
    const org = await organisations.get(caller.org.id);
    if (!org) throw new AppError('organisation_not_found', 'the organisation of this API key no longer exists');
    const owners = new Map<string, Organisation>();
    for (const award of awards) {
      const ownerId = catalog.get(award.badgeClass)!.orgId;
      if (ownerId === org.id || owners.has(ownerId)) continue;
      const owner = await organisations.get(ownerId);
      if (owner) owners.set(ownerId, owner);
    }
    return { org, owners };
  }

  /**
   * store: all credentials, their status entries, the learners' award messages and the idempotency
   * record at once, or nothing. Everything was signed before: a failure in signing leaves no record
   * behind. A request that raced another for its Idempotency-Key meets the key's constraint here, and
   * answers as the replay (its messages were never queued).
   */
  async function store(caller: Caller, built: Built[], secured: SecuredCredential[], issuedAt: Date, idempotencyKey: string | undefined, requestHash: string, actor: string | undefined): Promise<IssueResult> {
    const issuedAtText = toDateTime(issuedAt);
    // The outbox's times keep their milliseconds: its sender compares them with `toISOString()` text.
    const queuedAt = issuedAt.toISOString();
    const outbox = built.flatMap((b) => messageOf(caller, b, queuedAt));
    const rows = built.map((b, i) => rowOf(caller, b, secured[i]!, issuedAtText));
    const reminders = await remindersOf(caller.org.id, built, issuedAt);
    await storage.insertIssued({
      credentials: rows,
      entries: built.map((b) => ({ credentialId: b.id, listId: b.allocation.listId, statusIndex: b.allocation.index })),
      ...(idempotencyKey !== undefined ? { idempotency: { orgId: caller.org.id, key: idempotencyKey, requestHash, credentialIds: built.map((b) => b.id), createdAt: issuedAtText } } : {}),
      ...(outbox.length ? { outbox } : {}),
      ...(actor ? { audit: auditOf(caller, built, actor, queuedAt) } : {}),
      ...(reminders.length ? { reminders } : {}),
    });
    await told(built, rows);
    return { replayed: false, issued: built.map((b, i) => ({ id: b.id, url: credentialUrl(publicUrl, b.id), ...secured[i]! })) };
  }

  /** `afterIssue`, told of what was stored. */
  async function told(built: Built[], rows: CredentialRecord[]): Promise<void> {
    if (!deps.afterIssue) return;
    // Never thrown into the issuance, which stands (and whose retries are for its own conflicts only).
    await deps.afterIssue(
      built.map((b, i) => ({
        orgId: rows[i]!.orgId,
        credentialId: b.id,
        badgeClass: b.badgeClass,
        language: b.language,
        learnerKey: rows[i]!.learnerKey ?? null,
        recipient: { email: b.recipientEmail, name: b.recipientName },
        notify: b.mailTo !== undefined,
      })),
    ).catch(() => undefined);
  }

  /**
   * Stored credentials recently read, per process and bounded (32 MiB of documents). A credential's
   * document is written once and never changed, except for its VC-JWT, which is filled in once,
   * deterministically (an instance that has not seen it yet signs the same bytes again), and its
   * erasure, which another instance's cache cannot see: so what is served goes through `open`, which
   * reads the credential's state (status, replacement, erasure) on every view (`stateOf`: never older
   * than the database's last notice) and drops the copy of one erased.
   */
  const recent = new LRUCache<string, StoredCredential>({ maxSize: 32 * 1024 * 1024, sizeCalculation: (c) => Math.max(1, c.document.length + (c.jwt?.length ?? 0)) });

  async function documentOf(id: string): Promise<StoredCredential | undefined> {
    const cached = recent.get(id);
    if (cached) return cached;
    const stored = await storage.credentials.get(id);
    if (stored && stored.document !== ERASED_DOCUMENT) recent.set(id, stored);
    return stored;
  }

  /** Signings under way, so that a burst of first requests for one JWT signs it once. */
  const signingJwts = new Map<string, Promise<string>>();
  /** The keys of the organisation a stored credential names as its issuer (which signs its VC-JWT). */
  async function keysOf(document: string): Promise<SigningKeys> {
    const did = issuerIdOf(JSON.parse(document) as { issuer?: unknown });
    const org = did === undefined ? undefined : await organisations.byDid(did);
    if (!org) throw new Error(`no organisation of this instance is the issuer ${did ?? '(none)'} of a stored credential`);
    return org.signing;
  }
  async function jwtsOf(stored: Array<Pick<StoredCredential, 'id' | 'document' | 'jwt'>>): Promise<string[]> {
    const missing = stored.filter((s) => s.jwt === null && !signingJwts.has(s.id));
    if (missing.length) {
      // A replayed or listed set comes from one issuer: its first credential names the keys of all.
      const signed = keysOf(missing[0]!.document).then((keys) => signing.signJwts(missing.map((s) => s.document), keys)).then(async (jwts) => {
        await Promise.all(missing.map((s, i) => storage.credentials.saveJwt(s.id, jwts[i]!)));
        missing.forEach((s, i) => {
          const cached = recent.get(s.id);
          if (cached) recent.set(s.id, { ...cached, jwt: jwts[i]! });
        });
        return jwts;
      });
      missing.forEach((s, i) => {
        const one = signed.then((jwts) => jwts[i]!);
        signingJwts.set(s.id, one);
        void one.finally(() => signingJwts.delete(s.id)).catch(() => {});
      });
    }
    return Promise.all(stored.map((s) => s.jwt ?? signingJwts.get(s.id)!));
  }

  /** Replays answer with the JWTs too when they are asked for, whether or not they were at first. */
  async function withJwts(result: IssueResult): Promise<IssueResult> {
    const jwts = await jwtsOf(result.issued);
    return { ...result, issued: result.issued.map((c, i) => ({ ...c, jwt: jwts[i]! })) };
  }

  /** One entry per request: who awarded which badges; never the learners. */
  function auditOf(caller: Caller, built: Built[], actor: string, at: string): AuditRecord {
    const badgeClasses = [...new Set(built.map((b) => b.badgeClass))];
    return built.length === 1
      ? { id: randomUUID(), orgId: caller.org.id, actor, action: 'credential.awarded', subject: built[0]!.id, details: { badgeClass: built[0]!.badgeClass }, at }
      : { id: randomUUID(), orgId: caller.org.id, actor, action: 'credentials.awarded', subject: null, details: { count: built.length, badgeClasses, credentials: built.map((b) => b.id) }, at };
  }

  /**
   * A credential that follows another of the caller's organisation, in one transaction with what
   * happens to that one: a correction (`reissue`), which revokes it as "replaced", or a renewal, which
   * leaves it valid until its own date, superseded. Both keep its award date and, unless the request
   * names one, its learner; the badge class is its.
   */
  async function successor(caller: Caller, id: string, request: Omit<AwardRequest, 'badgeClass' | 'recipient'> & { badgeClass?: string | undefined; recipient: Partial<AwardRequest['recipient']> }, kind: 'reissue' | 'renewal', actor: string): Promise<{ issued: IssuedCredential }> {
    const original = await storage.credentials.stateOf(id);
    if (!original || original.orgId !== caller.org.id) throw new AppError('credential_not_found', `no credential "${id}"`);
    refuseIfSettled(original);
    if (kind === 'renewal' && original.renewedBy) throw new AppError('credential_renewed', `credential "${id}" was already renewed as "${original.renewedBy}": renew that one`);
    if (request.badgeClass !== undefined && request.badgeClass !== original.badgeClass) {
      const message = `"badgeClass" must be the original credential's ("${original.badgeClass}") or left out: a ${kind === 'reissue' ? 're-issue corrects an award' : 'renewal renews an award'}, it does not change its badge`;
      throw new AppError('validation_failed', message, [{ path: 'badgeClass', message }]);
    }
    const stored = await documentOf(id);
    if (!stored || stored.document === ERASED_DOCUMENT) throw erasedError(id);
    const document = JSON.parse(stored.document) as { awardedDate?: unknown; validFrom?: unknown; validUntil?: unknown; credentialSubject?: NonNullable<BuildInput['original']>['subject'] & { name?: unknown } };
    if (kind === 'renewal' && typeof document.validUntil !== 'string') {
      throw new AppError('credential_not_renewable', `credential "${id}" does not expire: there is nothing to renew`);
    }
    const awardedDate = typeof document.awardedDate === 'string' ? document.awardedDate : typeof document.validFrom === 'string' ? document.validFrom : undefined;
    const subject = document.credentialSubject ?? {};
    const buildOriginal: BuildInput['original'] = {
      awardedAt: awardedDate ? new Date(awardedDate) : now(),
      subject: { ...(subject.id !== undefined ? { id: subject.id } : {}), ...(subject.identifier ? { identifier: subject.identifier } : {}) },
      ...(kind === 'renewal' ? { renews: credentialUrl(publicUrl, id) } : {}),
    };
    // A renewal is the same learner's: their name stays unless another is given.
    const keptName = kind === 'renewal' && request.recipient.name === undefined && typeof subject.name === 'string' ? { name: subject.name } : {};
    const award: AwardRequest = { ...request, badgeClass: original.badgeClass, recipient: { ...request.recipient, ...keptName } as AwardRequest['recipient'] };
    const namesLearner = award.recipient.email !== undefined || award.recipient.id !== undefined;
    // The address kept for the reminders carries over to a renewal that names no learner.
    const kept = await storage.reminders.get(id);
    const keptAddress = kind === 'renewal' && !namesLearner && kept?.address ? await deps.addresses?.open(kept.address) : undefined;

    const issuedAt = now();
    if (!catalog.get(award.badgeClass)) await catalog.ensure?.(award.badgeClass);
    const languages = checkAwards(caller, [award], 'single', issuedAt);
    const { org, owners } = await issuersOf(caller, [award]);
    // No learner named: the original's identity, and its lookup key, carry over.
    const keptKey = namesLearner ? null : original.learnerKey;
    for (let attempt = 1; ; attempt++) {
      const allocations = await status.allocate(1, org.id);
      try {
        const built = build(org, owners, [award], languages, issuedAt, allocations, buildOriginal)[0]!;
        // A renewal is sent to the address kept; a correction that names no learner sends nothing (as documented).
        if (kind === 'renewal' && keptAddress && award.notify !== false) built.mailTo = keptAddress;
        const secured = (await signing.secure([built.unsigned], { created: issuedAt, jwt: false, keys: org.signing }))[0]!;
        const row = { ...rowOf(caller, built, secured, toDateTime(issuedAt), keptKey), ...(kind === 'renewal' ? { renews: id } : {}) };
        const reminders = await remindersOf(caller.org.id, [built], issuedAt, kept?.address ?? null);
        await storage.transaction(async (tx) => {
          // Read again with the row held: a re-issue, renewal, erasure or revocation that came meanwhile wins.
          const current = await tx.credentials.stateOf(id, { lock: true });
          if (!current) throw new AppError('credential_not_found', `no credential "${id}"`);
          refuseIfSettled(current);
          if (kind === 'renewal' && current.renewedBy) throw new AppError('credential_renewed', `credential "${id}" was already renewed as "${current.renewedBy}": renew that one`);
          await tx.credentials.insert([row]);
          await tx.status.insertEntries([{ credentialId: built.id, listId: built.allocation.listId, statusIndex: built.allocation.index }]);
          const message = messageOf(caller, built, issuedAt.toISOString());
          if (message.length) await tx.outbox.insert(message);
          await tx.reminders.drop(id);
          if (reminders.length) await tx.reminders.insert(reminders);
          if (kind === 'reissue') {
            await tx.credentials.markReplaced(id, built.id);
            await status.revokeWithin(tx, id, caller.org.id, { reason: 'replaced', publishReason: true });
          } else {
            await tx.credentials.markRenewed(id, built.id);
          }
          const action = kind === 'reissue' ? 'credential.reissued' : 'credential.renewed';
          const details = kind === 'reissue' ? { replaces: id, badgeClass: award.badgeClass } : { renews: id, badgeClass: award.badgeClass };
          await tx.accounts.insertAudit({ id: randomUUID(), orgId: caller.org.id, actor, action, subject: built.id, details, at: issuedAt.toISOString() });
        });
        await told([built], [row]);
        return { issued: { id: built.id, url: credentialUrl(publicUrl, built.id), ...secured } };
      } catch (e) {
        if (!isStorageError(e, 'conflict') || attempt >= MAX_ATTEMPTS) throw e;
        // Another instance took the status index meanwhile: signed again with a fresh one.
        status.discardCandidates(org.id);
      } finally {
        status.release(allocations);
      }
    }
  }

  /**
   * The reminders of those that expire (renewal/reminders.ts), with the learner's address sealed when
   * they are e-mailed, or else the one `kept` (sealed) from the credential a renewal follows.
   */
  async function remindersOf(orgId: string, built: Built[], issuedAt: Date, kept: string | null = null): Promise<ExpiryReminderRecord[]> {
    const out: ExpiryReminderRecord[] = [];
    for (const b of built) {
      const validUntil = b.unsigned.validUntil;
      if (typeof validUntil !== 'string') continue;
      const address = b.mailTo !== undefined && deps.addresses ? await deps.addresses.seal(b.mailTo) : kept;
      const remindBefore = catalog.get(b.badgeClass)?.badgeClass.renewal?.remindBefore;
      out.push(planReminders({ credentialId: b.id, orgId, validUntil, issuedAt, remindBefore, address }));
    }
    return out;
  }

  return {
    // prepare → build → secure → store
    async issue(caller, awards, { idempotencyKey, kind, jwt = false, actor }) {
      // prepare: a replay answers at once; otherwise every award is checked before anything is signed.
      const requestHash = createHash('sha256').update(`${kind}\n${stableStringify(awards)}`).digest('hex');
      const replay = await findReplay(storage, caller, idempotencyKey, requestHash);
      if (replay) return jwt ? withJwts(replay) : replay;

      const issuedAt = now();
      // A class made on another instance moments ago may not be in this one's catalog yet.
      for (const slug of new Set(awards.map((a) => a.badgeClass))) if (!catalog.get(slug)) await catalog.ensure?.(slug);
      const languages = checkAwards(caller, awards, kind, issuedAt);
      const { org, owners } = await issuersOf(caller, awards);

      // Several instances may share the database: it decides. A request that lost a race for its
      // Idempotency-Key answers as the replay it now is; one whose status index another instance took
      // meanwhile is signed again with fresh indexes (the index is part of what is signed).
      for (let attempt = 1; ; attempt++) {
        const allocations = await status.allocate(awards.length, org.id);
        try {
          const built = build(org, owners, awards, languages, issuedAt, allocations);
          const secured = await signing.secure(
            built.map((b) => b.unsigned),
            { created: issuedAt, jwt, keys: org.signing },
          );
          return await store(caller, built, secured, issuedAt, idempotencyKey, requestHash, actor);
        } catch (e) {
          if (!isStorageError(e, 'conflict')) throw e;
          status.discardCandidates(org.id);
          const raced = await findReplay(storage, caller, idempotencyKey, requestHash);
          if (raced) return jwt ? withJwts(raced) : raced;
          if (attempt >= MAX_ATTEMPTS) throw e;
        } finally {
          status.release(allocations);
        }
      }
    },

    async list(caller, query) {
      const { total, items } = await storage.credentials.list(caller.org.id, query);
      return { total, items: items.map((r) => ({ ...r, url: credentialUrl(publicUrl, r.id) })) };
    },

    get: documentOf,

    async open(id) {
      const state = await storage.credentials.stateOf(id);
      if (!state) throw new AppError('credential_not_found', `no credential "${id}"`);
      const stored = state.erasedAt ? undefined : await documentOf(id);
      // Erased, or erased between the two reads (its stored document is then empty).
      if (!stored || stored.document === ERASED_DOCUMENT) {
        recent.delete(id);
        throw erasedError(id);
      }
      return { stored, state };
    },

    forget(id) {
      recent.delete(id);
    },

    reissue: (caller, id, correction, actor) =>
      successor(caller, id, { ...correction, badgeClass: correction.badgeClass }, 'reissue', actor).then(({ issued }) => ({ issued, replaces: id })),

    renew: (caller, id, request, actor) =>
      successor(caller, id, { ...request, recipient: request.recipient ?? {} }, 'renewal', actor).then(({ issued }) => ({ issued, renews: id })),

    jwtOf: async (stored) => (await jwtsOf([stored]))[0]!,
  };
}
