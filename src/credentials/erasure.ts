import { randomUUID as nodeRandomUUID } from 'node:crypto';
import type { Storage } from '../db/repositories.js';
import { AppError } from '../errors/errors.js';
import { mayAward, type Caller } from '../organisations/api-keys.js';
import type { StatusService } from '../status/status-lists.js';
import { toDateTime } from './build.js';

/** The answer to an erasure, the same however often it is asked. */
export interface Erasure {
  id: string;
  erased: true;
  /** When it was first erased. */
  erasedAt: string;
}

export interface ErasureDeps {
  storage: Storage;
  status: StatusService;
  /** Drops this process's copies of the credential (issuance's cache). */
  forget: (id: string) => void;
  now?: () => Date;
  randomUUID?: () => string;
}

/**
 * Erasure on request (GDPR Art. 17). In one transaction: the credential's document and VC-JWT are
 * emptied, the learner's name and lookup key cleared, its queued messages and the address kept for its
 * expiry reminders deleted,
 * and it is revoked with the private reason "erased" (a reason written before may name the learner, so
 * it is replaced, as a suspension's reason is removed). Its status entry stays, so that any copy still held verifies as revoked, and the
 * audit log records `credential.erased` with the credential's id only. Its public addresses answer 410.
 */
export function createErasureService({ storage, status, forget, now = () => new Date(), randomUUID = nodeRandomUUID }: ErasureDeps) {
  return {
    /** Erases a credential of the caller's organisation; erasing again answers with the first erasure. Another organisation's is `credential_not_found`. */
    async erase(caller: Caller, id: string, actor: string): Promise<Erasure> {
      const erasure = await storage.transaction(async (tx): Promise<Erasure> => {
        const state = await tx.credentials.stateOf(id, { lock: true });
        if (!state || state.orgId !== caller.org.id) throw new AppError('credential_not_found', `no credential "${id}"`);
        if (!mayAward(caller, state.badgeClass)) throw new AppError('badge_class_not_allowed', `this API key may not award badge class "${state.badgeClass}", so it may not erase its credentials`);
        if (state.erasedAt) return { id, erased: true, erasedAt: state.erasedAt };
        const at = now();
        const erasedAt = toDateTime(at);
        if (state.listId) await status.revokeWithin(tx, id, caller.org.id, { reason: 'erased', publishReason: false, supersede: true });
        // A suspension's reason may name the learner too: it goes; the suspension itself no longer matters.
        const suspension = await tx.status.suspensionOf(id);
        if (suspension?.reason) await tx.status.suspend({ ...suspension, reason: null });
        await tx.credentials.erase(id, erasedAt);
        await tx.outbox.dropQueued(id);
        await tx.reminders.drop(id);
        // A completion not yet awarded holds the learner's address for its capstone: it goes too.
        if (state.learnerKey) await tx.pathways.dropOpenCompletions(state.orgId, state.learnerKey);
        await tx.accounts.insertAudit({ id: randomUUID(), orgId: caller.org.id, actor, action: 'credential.erased', subject: id, details: null, at: at.toISOString() });
        return { id, erased: true, erasedAt };
      });
      forget(id);
      return erasure;
    },
  };
}

export type ErasureService = ReturnType<typeof createErasureService>;
