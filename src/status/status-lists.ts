import { randomInt, randomUUID } from 'node:crypto';
import { and, count, eq, isNotNull } from 'drizzle-orm';
import { createCredential as createListCredential, createList } from '@digitalbazaar/vc-bitstring-status-list';
import { toDateTime } from '../credentials/build.js';
import type { Db } from '../db/client.js';
import { credentialStatuses, credentials, statusLists } from '../db/schema.js';
import { AppError } from '../errors/errors.js';
import type { Profile } from '../issuer/issuer.js';
import type { Credential, ProofFormat } from '../proofs/proof-format.js';

/**
 * Revocation with W3C Bitstring Status List v1.0. Each credential gets a random index in a list of
 * 131,072 entries (the minimum the spec recommends for herd privacy, §6.1); a list is retired once
 * half of it is used, so random indexes stay cheap to find.
 */
export const STATUS_LIST_SIZE = 131_072;
const FILL_LIMIT = STATUS_LIST_SIZE / 2;

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

export interface CredentialStatusRecord {
  revokedAt: string | null;
  reason: string | null;
  reasonPublic: boolean;
}

export const statusListUrl = (publicUrl: string, listId: string): string => `${publicUrl}/status/${listId}`;

export interface StatusDeps {
  db: Db;
  publicUrl: string;
  issuer: Profile;
  dataIntegrity: ProofFormat;
  now?: () => Date;
}

export function createStatusService({ db, publicUrl, issuer, dataIntegrity, now = () => new Date() }: StatusDeps) {
  /** Indexes handed out for credentials still being signed, not yet committed. */
  const pending = new Map<string, Set<number>>();
  const signing = new Map<string, Promise<string>>();

  function currentList(): { id: string; used: number } {
    const lists = db.select({ id: statusLists.id }).from(statusLists).where(eq(statusLists.purpose, 'revocation')).all();
    for (const { id } of lists) {
      const used = (db.select({ n: count() }).from(credentialStatuses).where(eq(credentialStatuses.listId, id)).get()?.n ?? 0) + (pending.get(id)?.size ?? 0);
      if (used < FILL_LIMIT) return { id, used };
    }
    const id = randomUUID();
    db.insert(statusLists).values({ id, purpose: 'revocation', size: STATUS_LIST_SIZE, createdAt: now().toISOString() }).run();
    return { id, used: 0 };
  }

  function taken(listId: string, index: number): boolean {
    if (pending.get(listId)?.has(index)) return true;
    return !!db
      .select({ id: credentialStatuses.credentialId })
      .from(credentialStatuses)
      .where(and(eq(credentialStatuses.listId, listId), eq(credentialStatuses.statusIndex, index)))
      .get();
  }

  return {
    /** Reserves `n` random, unused indexes (synchronously, so concurrent requests never collide). */
    allocate(n: number): Allocation[] {
      const out: Allocation[] = [];
      let list = currentList();
      for (let i = 0; i < n; i++) {
        if (list.used >= FILL_LIMIT) list = currentList();
        let index: number;
        do index = randomInt(STATUS_LIST_SIZE);
        while (taken(list.id, index));
        const set = pending.get(list.id) ?? new Set<number>();
        set.add(index);
        pending.set(list.id, set);
        list.used++;
        const url = statusListUrl(publicUrl, list.id);
        out.push({
          listId: list.id,
          index,
          entry: { id: `${url}#${index}`, type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: String(index), statusListCredential: url },
        });
      }
      return out;
    },

    /** Ends a reservation: after the credentials were stored (`record` in that transaction) or given up. */
    release(allocations: Allocation[]): void {
      for (const a of allocations) pending.get(a.listId)?.delete(a.index);
    },

    /** Inserts the status rows; call inside the transaction that stores the credentials. */
    record(tx: Pick<Db, 'insert'>, rows: Array<{ credentialId: string; allocation: Allocation }>): void {
      for (const { credentialId, allocation } of rows) {
        tx.insert(credentialStatuses).values({ credentialId, listId: allocation.listId, statusIndex: allocation.index }).run();
      }
    },

    /** Revokes a credential of `providerId`; revoking again answers with the first revocation. */
    revoke(credentialId: string, providerId: string, options: { reason?: string; publishReason: boolean }): Revocation {
      return db.transaction((tx) => {
        const row = tx
          .select({ providerId: credentials.providerId, listId: credentialStatuses.listId, revokedAt: credentialStatuses.revokedAt, reason: credentialStatuses.reason, reasonPublic: credentialStatuses.reasonPublic })
          .from(credentials)
          .leftJoin(credentialStatuses, eq(credentialStatuses.credentialId, credentials.id))
          .where(eq(credentials.id, credentialId))
          .get();
        if (!row) throw new AppError('credential_not_found', `no credential "${credentialId}"`);
        if (row.providerId !== providerId) throw new AppError('not_credential_issuer', 'only the training provider that issued this credential may revoke it');
        if (!row.listId) throw new AppError('credential_not_revocable', 'this credential was issued without a status list entry and cannot be revoked');
        const revocation = (revokedAt: string, reason: string | null | undefined, reasonPublic: boolean): Revocation => ({
          id: credentialId,
          revoked: true,
          revokedAt,
          ...(reason ? { reason } : {}),
          reasonPublic,
        });
        if (row.revokedAt) return revocation(row.revokedAt, row.reason, row.reasonPublic ?? false);
        const revokedAt = toDateTime(now());
        const reasonPublic = options.publishReason && !!options.reason;
        tx.update(credentialStatuses)
          .set({ revokedAt, reason: options.reason ?? null, reasonPublic })
          .where(eq(credentialStatuses.credentialId, credentialId))
          .run();
        // The list changed: its signed credential is stale and is signed again on the next request.
        tx.update(statusLists).set({ signedCredential: null }).where(eq(statusLists.id, row.listId)).run();
        return revocation(revokedAt, options.reason, reasonPublic);
      });
    },

    /**
     * Our own list entries, read without HTTP (for the verifier): undefined when the URL is not one
     * of our lists. A published reason is included; a private one never is.
     */
    lookup(statusListCredential: string, index: number): { revoked: boolean; revokedAt?: string; reason?: string } | undefined {
      const prefix = `${publicUrl}/status/`;
      if (!statusListCredential.startsWith(prefix)) return undefined;
      const listId = statusListCredential.slice(prefix.length);
      if (!db.select({ id: statusLists.id }).from(statusLists).where(eq(statusLists.id, listId)).get()) return undefined;
      const row = db
        .select({ revokedAt: credentialStatuses.revokedAt, reason: credentialStatuses.reason, reasonPublic: credentialStatuses.reasonPublic })
        .from(credentialStatuses)
        .where(and(eq(credentialStatuses.listId, listId), eq(credentialStatuses.statusIndex, index)))
        .get();
      if (!row?.revokedAt) return { revoked: false };
      return { revoked: true, revokedAt: row.revokedAt, ...(row.reasonPublic && row.reason ? { reason: row.reason } : {}) };
    },

    /** A credential's revocation state, for our own pages and verifier. */
    statusOf(credentialId: string): CredentialStatusRecord | undefined {
      return db
        .select({ revokedAt: credentialStatuses.revokedAt, reason: credentialStatuses.reason, reasonPublic: credentialStatuses.reasonPublic })
        .from(credentialStatuses)
        .where(eq(credentialStatuses.credentialId, credentialId))
        .get();
    },

    /** The signed BitstringStatusListCredential (JSON text), signed again only after a change. */
    async signedList(listId: string): Promise<string | undefined> {
      const list = db.select().from(statusLists).where(eq(statusLists.id, listId)).get();
      if (!list) return undefined;
      if (list.signedCredential) return list.signedCredential;
      const inFlight = signing.get(listId);
      if (inFlight) return inFlight;
      const job = (async () => {
        const revoked = db
          .select({ index: credentialStatuses.statusIndex })
          .from(credentialStatuses)
          .where(and(eq(credentialStatuses.listId, listId), isNotNull(credentialStatuses.revokedAt)))
          .all();
        const bits = await createList({ length: list.size });
        for (const { index } of revoked) bits.setStatus(index, true);
        const unsigned: Credential = {
          ...(await createListCredential({ id: statusListUrl(publicUrl, listId), list: bits, statusPurpose: list.purpose })),
          issuer: issuer.id,
          validFrom: toDateTime(now()),
        };
        const secured = await dataIntegrity.secure(unsigned);
        if (secured.format !== 'data-integrity') throw new Error('status list must be signed with Data Integrity');
        const text = JSON.stringify(secured.credential);
        // Store it unless the list changed again while signing.
        const stillStale = db.select({ s: statusLists.signedCredential }).from(statusLists).where(eq(statusLists.id, listId)).get();
        const revokedNow = db.select({ n: count() }).from(credentialStatuses).where(and(eq(credentialStatuses.listId, listId), isNotNull(credentialStatuses.revokedAt))).get()?.n;
        if (stillStale && stillStale.s === null && revokedNow === revoked.length) {
          db.update(statusLists).set({ signedCredential: text }).where(eq(statusLists.id, listId)).run();
        }
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
