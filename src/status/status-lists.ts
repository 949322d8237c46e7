import { randomInt, randomUUID } from 'node:crypto';
import { createCredential as createListCredential, createList } from '@digitalbazaar/vc-bitstring-status-list';
import { toDateTime } from '../credentials/build.js';
import type { Repositories, Storage } from '../db/repositories.js';
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
}

export const statusListUrl = (publicUrl: string, listId: string): string => `${publicUrl}/status/${listId}`;

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
     * Our own list entries, read without HTTP (for the verifier): undefined when the URL is not one
     * of our lists; `issuer` is the organisation whose key signs the list. A published reason is
     * included; a private one never is.
     */
    async lookup(statusListCredential: string, index: number): Promise<{ issuer: string; revoked: boolean; revokedAt?: string; reason?: string } | undefined> {
      const prefix = `${publicUrl}/status/`;
      if (!statusListCredential.startsWith(prefix)) return undefined;
      const listId = statusListCredential.slice(prefix.length);
      const list = await storage.status.getList(listId);
      if (!list?.orgId) return undefined;
      const { issuer } = await signerOf(list.orgId);
      const row = await storage.status.entryAt(listId, index);
      if (!row?.revokedAt) return { issuer, revoked: false };
      return { issuer, revoked: true, revokedAt: row.revokedAt, ...(row.reasonPublic && row.reason ? { reason: row.reason } : {}) };
    },

    /** A credential's revocation state, for our own pages and verifier. */
    statusOf(credentialId: string): Promise<CredentialStatusRecord | undefined> {
      return storage.status.entryOf(credentialId);
    },

    /** The signed BitstringStatusListCredential (JSON text), signed again only after a change. */
    async signedList(listId: string): Promise<string | undefined> {
      const list = await storage.status.getList(listId);
      if (!list?.orgId) return undefined;
      if (list.signedCredential) return list.signedCredential;
      const orgId = list.orgId;
      const inFlight = signing.get(listId);
      if (inFlight) return inFlight;
      const job = (async () => {
        const { issuer, dataIntegrity } = await signerOf(orgId);
        const revoked = await storage.status.revokedIndexes(listId);
        const bits = await createList({ length: list.size });
        for (const index of revoked) bits.setStatus(index, true);
        const unsigned: Credential = {
          ...(await createListCredential({ id: statusListUrl(publicUrl, listId), list: bits, statusPurpose: list.purpose })),
          issuer,
          validFrom: toDateTime(now()),
        };
        const secured = await dataIntegrity.secure(unsigned);
        if (secured.format !== 'data-integrity') throw new Error('status list must be signed with Data Integrity');
        const text = JSON.stringify(secured.credential);
        await storage.status.saveSignedList(listId, text, revoked.length);
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
