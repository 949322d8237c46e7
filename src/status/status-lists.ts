import { randomInt, randomUUID } from 'node:crypto';
import { createCredential as createListCredential, createList } from '@digitalbazaar/vc-bitstring-status-list';
import { toDateTime } from '../credentials/build.js';
import type { Repositories, StatusRepository, Storage } from '../db/repositories.js';
import { AppError } from '../errors/errors.js';
import type { Credential, ProofFormat } from '../proofs/proof-format.js';

/**
 * Revocation with W3C Bitstring Status List v1.0. Each credential gets a random index in a list of
 * 131,072 entries (the minimum the spec recommends for herd privacy, §6.1); a list is retired once
 * half of it is used, so random indexes stay cheap to find.
 */
export const STATUS_LIST_SIZE = 131_072;
const FILL_LIMIT = STATUS_LIST_SIZE / 2;
/** Candidate indexes checked against the database in one query (well within both backends' parameter limits). */
const CHECK_AT_ONCE = 1000;
/** Free indexes kept from one allocation's query for the next ones. */
const SPARE = 64;

export interface StatusEntry {
  id: string;
  type: 'BitstringStatusListEntry';
  statusPurpose: 'revocation';
  statusListIndex: string;
  statusListCredential: string;
}

export interface Allocation {
  listId: string;
  index: number;
  entry: StatusEntry;
}

export interface Revocation {
  id: string;
  revoked: true;
  revokedAt: string;
  reason?: string;
  reasonPublic: boolean;
}

export interface Suspension {
  id: string;
  suspended: true;
  suspendedAt: string;
  /** Kept for the organisation; never shown to verifiers. */
  reason?: string;
}

export interface Reinstatement {
  id: string;
  suspended: false;
  reinstatedAt: string;
}

export interface RevokeOptions {
  reason?: string;
  publishReason: boolean;
  /**
   * An entry already revoked keeps its date and takes this reason (erasure: a reason written before may
   * name the learner). Otherwise revoking again answers with the first revocation.
   */
  supersede?: boolean;
}

export interface CredentialStatusRecord {
  revokedAt: string | null;
  reason: string | null;
  reasonPublic: boolean;
  /** While the credential is suspended. */
  suspendedAt: string | null;
}

/** What our own lists say of one index, for our verifier. `issuer` signs the list. */
export interface LocalListEntry {
  issuer: string;
  /** The purpose of the list the URL names. */
  purpose: 'revocation' | 'suspension';
  revoked: boolean;
  revokedAt?: string;
  /** Only a reason the organisation published. */
  reason?: string;
  suspended: boolean;
  suspendedAt?: string;
}

export const statusListUrl = (publicUrl: string, listId: string): string => `${publicUrl}/status/${listId}`;

/**
 * OB 3.0 allows one `credentialStatus` (0..1), and ours is a revocation entry. So each revocation list
 * has a parallel Bitstring Status List with `statusPurpose: "suspension"`: the same organisation, size
 * and indexes, published at `/status/<listId>/suspension` (its `status_lists` row has that id, made
 * when first needed). A credential is suspended while its bit is set there.
 */
const SUSPENSION_SUFFIX = '/suspension';
export const suspensionListId = (revocationListId: string): string => `${revocationListId}${SUSPENSION_SUFFIX}`;
const revocationListOf = (listId: string): string | undefined => (listId.endsWith(SUSPENSION_SUFFIX) ? listId.slice(0, -SUSPENSION_SUFFIX.length) : undefined);

/** An organisation's identifier and its Data Integrity signing, for its status lists. */
export interface ListSigner {
  issuer: string;
  dataIntegrity: ProofFormat;
}

export interface StatusDeps {
  storage: Storage;
  publicUrl: string;
  /** The signer of an organisation's lists: each list is signed by the organisation whose credentials it holds. */
  signerOf: (orgId: string) => Promise<ListSigner>;
  now?: () => Date;
  /** A random index below `size` (tests pass a sequence). */
  randomIndex?: (size: number) => number;
}

export function createStatusService({ storage, publicUrl, signerOf, now = () => new Date(), randomIndex = randomInt }: StatusDeps) {
  /** Indexes handed out for credentials still being signed, not yet committed. */
  const pending = new Map<string, Set<number>>();
  const signing = new Map<string, Promise<string>>();

  const reservationsOf = (listId: string): Set<number> => {
    const reserved = pending.get(listId) ?? new Set<number>();
    pending.set(listId, reserved);
    return reserved;
  };
  const drawCandidates = (count: number, excluded: (index: number) => boolean = () => false): Set<number> => {
    const candidates = new Set<number>();
    while (candidates.size < count) {
      const index = randomIndex(STATUS_LIST_SIZE);
      if (!excluded(index)) candidates.add(index);
    }
    return candidates;
  };

  async function currentList(orgId: string): Promise<{ id: string; used: number }> {
    for (const { id, used } of await storage.status.listsInUse(orgId, 'revocation')) {
      const total = used + (pending.get(id)?.size ?? 0);
      if (total < FILL_LIMIT) return { id, used: total };
    }
    const id = randomUUID();
    await storage.status.createList({ id, orgId, purpose: 'revocation', size: STATUS_LIST_SIZE, createdAt: now().toISOString() });
    return { id, used: 0 };
  }

  /**
   * Free indexes of one list, checked against the database with an earlier allocation's query and kept
   * for the next ones, so that most single issuances allocate without a query. They are not reserved
   * in the database: another instance may take one meanwhile, and the store then meets the
   * (list, index) constraint and issuance signs again with fresh indexes (after `discardCandidates`).
   */
  const spares = new Map<string, { listId: string; free: number[]; used: number }>();

  const entryOf = (listId: string, index: number): Allocation => {
    const url = statusListUrl(publicUrl, listId);
    return { listId, index, entry: { id: `${url}#${index}`, type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: String(index), statusListCredential: url } };
  };

  /** `n` indexes from the spare ones, if there are enough and the list has room for them. */
  function fromSpare(n: number, orgId: string): Allocation[] | undefined {
    const spare = spares.get(orgId);
    if (!spare) return undefined;
    const reserved = reservationsOf(spare.listId);
    spare.free = spare.free.filter((index) => !reserved.has(index));
    if (spare.free.length < n || spare.used + n > FILL_LIMIT) return undefined;
    const chosen = spare.free.splice(0, n);
    spare.used += n;
    for (const index of chosen) reserved.add(index);
    return chosen.map((index) => entryOf(spare.listId, index));
  }

  /** The suspension list parallel to a revocation list, made if it is not there yet; undefined when there is no such revocation list. */
  async function ensureSuspensionList(repo: StatusRepository, revocationListId: string): Promise<string | undefined> {
    const list = await repo.getList(revocationListId);
    if (!list?.orgId || list.purpose !== 'revocation') return undefined;
    const id = suspensionListId(revocationListId);
    await repo.ensureList({ id, orgId: list.orgId, purpose: 'suspension', size: list.size, createdAt: now().toISOString() });
    return id;
  }

  /** The credential's status entry, if `orgId` issued it and it is not revoked: what suspending and reinstating need. */
  async function ownEntry(repo: StatusRepository, credentialId: string, orgId: string, action: 'suspended' | 'reinstated') {
    const row = await repo.credentialEntry(credentialId);
    // Another organisation's credential is not found: its existence is not this caller's business.
    if (!row || row.orgId !== orgId) throw new AppError('credential_not_found', `no credential "${credentialId}"`);
    if (!row.listId || row.statusIndex === null) throw new AppError('credential_not_revocable', `this credential was issued without a status list entry and cannot be ${action}`);
    if (row.revokedAt) throw new AppError('credential_revoked', `this credential was revoked on ${row.revokedAt.slice(0, 10)}; revocation is final, so it cannot be ${action}`);
    return { listId: row.listId, statusIndex: row.statusIndex };
  }

  async function revokeWithin(tx: Repositories, credentialId: string, orgId: string, options: RevokeOptions): Promise<Revocation> {
    const row = await tx.status.credentialEntry(credentialId);
    if (!row) throw new AppError('credential_not_found', `no credential "${credentialId}"`);
    if (row.orgId !== orgId) throw new AppError('not_credential_issuer', 'only the training provider that issued this credential may revoke it');
    if (!row.listId) throw new AppError('credential_not_revocable', 'this credential was issued without a status list entry and cannot be revoked');
    const revocation = (revokedAt: string, reason: string | null | undefined, reasonPublic: boolean): Revocation => ({
      id: credentialId,
      revoked: true,
      revokedAt,
      ...(reason ? { reason } : {}),
      reasonPublic,
    });
    if (row.revokedAt && !options.supersede) return revocation(row.revokedAt, row.reason, row.reasonPublic);
    // Revoked before and superseded: the first date stays, the reason is replaced.
    const revokedAt = row.revokedAt ?? toDateTime(now());
    const reasonPublic = options.publishReason && !!options.reason;
    // The list changed too: its signed credential is stale and is signed again on the next request.
    await tx.status.revoke(credentialId, row.listId, { revokedAt, reason: options.reason ?? null, reasonPublic });
    // A revoked badge is not renewed: its reminders, and the learner's address kept for them, go.
    await tx.reminders.drop(credentialId);
    return revocation(revokedAt, options.reason, reasonPublic);
  }

  return {
    /** Reserves `n` random, unused indexes in the organisation's lists; the reservation holds until `release`. */
    async allocate(n: number, orgId: string): Promise<Allocation[]> {
      const spared = fromSpare(n, orgId);
      if (spared) return spared;
      const out: Allocation[] = [];
      const take = (listId: string, indexes: Iterable<number>) => {
        for (const index of indexes) out.push(entryOf(listId, index));
      };
      // Usually one query: the list with room, and which of some random candidates it has taken. Some
      // more candidates than asked for are checked: the free ones left over serve the next allocations.
      const first = drawCandidates(Math.min(n + SPARE, CHECK_AT_ONCE));
      const room = await storage.status.listWithRoom(orgId, 'revocation', FILL_LIMIT, [...first]);
      if (room && room.used + (pending.get(room.id)?.size ?? 0) + n <= FILL_LIMIT) {
        const reserved = reservationsOf(room.id);
        const taken = new Set(room.taken);
        const free = [...first].filter((index) => !taken.has(index) && !reserved.has(index));
        const chosen = free.slice(0, n);
        for (const index of chosen) reserved.add(index);
        take(room.id, chosen);
        spares.set(orgId, { listId: room.id, free: free.slice(n), used: room.used + reserved.size });
      }
      while (out.length < n) {
        const list = await currentList(orgId);
        const room = Math.min(n - out.length, FILL_LIMIT - list.used);
        const reserved = reservationsOf(list.id);
        // Random candidates, checked against the database in one query; taken ones are drawn again.
        const chosen = new Set<number>();
        while (chosen.size < room) {
          const candidates = drawCandidates(Math.min(room - chosen.size, CHECK_AT_ONCE), (index) => reserved.has(index) || chosen.has(index));
          const taken = new Set(await storage.status.takenIndexes(list.id, [...candidates]));
          for (const index of candidates) {
            if (taken.has(index) || reserved.has(index)) continue;
            chosen.add(index);
            reserved.add(index);
          }
        }
        take(list.id, chosen);
      }
      return out;
    },

    /** Ends a reservation: after the credentials and their entries were stored, or given up. */
    release(allocations: Allocation[]): void {
      for (const a of allocations) pending.get(a.listId)?.delete(a.index);
    },

    /** Forgets the spare indexes: after a store met an index another instance had taken meanwhile. */
    discardCandidates(orgId: string): void {
      spares.delete(orgId);
    },

    /** Revokes a credential of `orgId`; revoking again answers with the first revocation. */
    revoke(credentialId: string, orgId: string, options: RevokeOptions): Promise<Revocation> {
      return storage.transaction((tx) => revokeWithin(tx, credentialId, orgId, options));
    },

    /** The same revocation, as one step of a caller's transaction (a re-issue, an erasure). */
    revokeWithin,

    /**
     * Suspends a credential of `orgId` (pending an investigation, say): its bit is set in the
     * suspension list parallel to its revocation list. Suspending again answers with the first
     * suspension. Another organisation's credential is not found; a revoked one stays revoked.
     */
    suspend(credentialId: string, orgId: string, options: { reason: string }): Promise<Suspension> {
      return storage.transaction(async (tx) => {
        const row = await ownEntry(tx.status, credentialId, orgId, 'suspended');
        const current = await tx.status.suspensionOf(credentialId);
        if (current) return { id: credentialId, suspended: true, suspendedAt: current.suspendedAt, ...(current.reason ? { reason: current.reason } : {}) };
        const listId = await ensureSuspensionList(tx.status, row.listId);
        if (!listId) throw new Error(`status list ${row.listId} is not a revocation list`);
        const suspendedAt = toDateTime(now());
        // The list changed: its signed credential is stale and is signed again on the next request.
        await tx.status.suspend({ credentialId, listId, statusIndex: row.statusIndex, suspendedAt, reason: options.reason });
        return { id: credentialId, suspended: true, suspendedAt, reason: options.reason };
      });
    },

    /** Ends a credential's suspension: its bit is cleared. Refused when it is not suspended. */
    reinstate(credentialId: string, orgId: string): Promise<Reinstatement> {
      return storage.transaction(async (tx) => {
        await ownEntry(tx.status, credentialId, orgId, 'reinstated');
        const current = await tx.status.suspensionOf(credentialId);
        if (!current) throw new AppError('credential_not_suspended', 'this credential is not suspended, so there is nothing to reinstate');
        await tx.status.reinstate(credentialId, current.listId);
        return { id: credentialId, suspended: false, reinstatedAt: toDateTime(now()) };
      });
    },

    /**
     * Our own list entries, read without HTTP (for the verifier): undefined when the URL is not one
     * of our lists; `issuer` is the organisation whose key signs the list. A published reason is
     * included; a private one never is. The revocation list's answer includes the parallel
     * suspension list's bit: our credentials carry the revocation entry only.
     */
    async lookup(statusListCredential: string, index: number): Promise<LocalListEntry | undefined> {
      const prefix = `${publicUrl}/status/`;
      if (!statusListCredential.startsWith(prefix)) return undefined;
      const listId = statusListCredential.slice(prefix.length);
      const revocationListId = revocationListOf(listId) ?? listId;
      const list = await storage.status.getList(revocationListId);
      if (!list?.orgId || list.purpose !== 'revocation') return undefined;
      const { issuer } = await signerOf(list.orgId);
      const suspension = await storage.status.suspensionAt(suspensionListId(revocationListId), index);
      const suspended = suspension ? { suspended: true, suspendedAt: suspension.suspendedAt } : { suspended: false };
      if (listId !== revocationListId) return { issuer, purpose: 'suspension', revoked: false, ...suspended };
      const row = await storage.status.entryAt(listId, index);
      if (!row?.revokedAt) return { issuer, purpose: 'revocation', revoked: false, ...suspended };
      return { issuer, purpose: 'revocation', revoked: true, revokedAt: row.revokedAt, ...(row.reasonPublic && row.reason ? { reason: row.reason } : {}), ...suspended };
    },

    /** A credential's revocation and suspension, for our own pages and verifier. */
    statusOf(credentialId: string): Promise<CredentialStatusRecord | undefined> {
      return storage.status.entryOf(credentialId);
    },

    /**
     * The signed BitstringStatusListCredential (JSON text), signed again only after a change. A
     * revocation list's suspension counterpart is made when first asked for.
     */
    async signedList(listId: string): Promise<string | undefined> {
      let list = await storage.status.getList(listId);
      const revocationListId = revocationListOf(listId);
      if (!list && revocationListId && (await ensureSuspensionList(storage.status, revocationListId))) list = await storage.status.getList(listId);
      if (!list?.orgId) return undefined;
      if (list.signedCredential) return list.signedCredential;
      const { orgId, size, purpose } = list;
      const inFlight = signing.get(listId);
      if (inFlight) return inFlight;
      const job = (async () => {
        const { issuer, dataIntegrity } = await signerOf(orgId);
        const suspension = purpose === 'suspension';
        const set = suspension ? await storage.status.suspendedIndexes(listId) : await storage.status.revokedIndexes(listId);
        const bits = await createList({ length: size });
        for (const index of set) bits.setStatus(index, true);
        const unsigned: Credential = {
          ...(await createListCredential({ id: statusListUrl(publicUrl, listId), list: bits, statusPurpose: purpose })),
          issuer,
          validFrom: toDateTime(now()),
        };
        const secured = await dataIntegrity.secure(unsigned);
        if (secured.format !== 'data-integrity') throw new Error('status list must be signed with Data Integrity');
        const text = JSON.stringify(secured.credential);
        if (suspension) await storage.status.saveSignedSuspensions(listId, text, set);
        else await storage.status.saveSignedList(listId, text, set.length);
        return text;
      })();
      signing.set(listId, job);
      try {
        return await job;
      } finally {
        signing.delete(listId);
      }
    },
  };
}

export type StatusService = ReturnType<typeof createStatusService>;
