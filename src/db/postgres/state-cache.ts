import { LRUCache } from 'lru-cache';
import pg from 'pg';
import type { CredentialState } from '../repositories.js';

/** The channel the database's triggers (migration 0005) name a credential on when its state changes. */
export const STATE_CHANNEL = 'credential_state';

/**
 * Credentials' states (revoked, suspended, replaced, erased, claimed) kept by this instance while the
 * database tells it of every change to them, so the credential's addresses need no round trip each.
 *
 * - Triggers on `credentials`, `credential_statuses` and `credential_suspensions` notify
 *   `credential_state` with the credential's id at commit, whoever wrote: another instance, this one,
 *   or an operator in psql. Each instance listens on a connection of its own and drops that id.
 * - This instance's own changes are dropped at once too (`changed`, before and after their commit), so
 *   a revocation or erasure made here shows on the next request here without waiting for the notice.
 * - Nothing is kept unless the instance is listening: until the first LISTEN succeeds, and from the
 *   moment that connection fails until it is back (everything kept is then dropped), every read goes
 *   to the database. A read that began before a notice or a change is not kept, since it may predate it.
 * - Whatever is kept goes after `ttlMs` anyway, bounding what a connection that died unnoticed could cost.
 *
 * So another instance's change shows here once its notice arrives, a few milliseconds after its commit.
 */
export interface StateCache {
  read(id: string, load: (id: string) => Promise<CredentialState | undefined>): Promise<CredentialState | undefined>;
  /** This instance changed these credentials' states (or is about to commit such a change). */
  changed(ids: Iterable<string>): void;
  /** Whether notices are being received (and so whether anything is kept). */
  readonly listening: boolean;
  close(): Promise<void>;
}

export interface StateCacheOptions {
  ttlMs?: number;
  max?: number;
  /** Pause before listening again after the connection failed. */
  retryMs?: number;
}

export function createStateCache(connection: pg.ClientConfig, { ttlMs = 30_000, max = 100_000, retryMs = 1_000 }: StateCacheOptions = {}): StateCache {
  const kept = new LRUCache<string, CredentialState>({ max, ttl: ttlMs });
  // Bumped by every notice and every change of ours: a read that saw it move is not kept.
  let epoch = 0;
  let listener: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const forgetAll = () => {
    epoch++;
    kept.clear();
  };
  const again = () => {
    if (!closed)
      retry = setTimeout(() => {
        connecting = listen();
      }, retryMs);
  };
  const lost = (client: pg.Client) => {
    if (listener === client) {
      listener = undefined;
      forgetAll();
      client.end().catch(() => undefined);
      again();
    }
  };

  async function listen(): Promise<void> {
    // A connection of its own, beside the pool: it stays open, and takes none of the pool's.
    const self = new pg.Client(connection);
    try {
      self.on('notification', (notice) => {
        if (notice.channel !== STATE_CHANNEL) return;
        epoch++;
        if (notice.payload) kept.delete(notice.payload);
      });
      // Set before connecting: an error on it must never reach the process as an unhandled one.
      self.on('error', () => lost(self));
      self.on('end', () => lost(self));
      await self.connect();
      await self.query(`listen ${STATE_CHANNEL}`);
      if (closed) return void (await self.end());
      // Reads that began before this moment are not kept.
      forgetAll();
      listener = self;
    } catch {
      self.end().catch(() => undefined);
      again();
    }
  }
  let connecting = listen();

  return {
    async read(id, load) {
      if (listener) {
        const found = kept.get(id);
        if (found) return found;
      }
      const before = epoch;
      const state = await load(id);
      if (state && listener && epoch === before) kept.set(id, state);
      return state;
    },
    changed(ids) {
      epoch++;
      for (const id of ids) kept.delete(id);
    },
    get listening() {
      return listener !== undefined;
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      await connecting;
      const client = listener;
      listener = undefined;
      kept.clear();
      await client?.end().catch(() => undefined);
    },
  };
}
