import type { ClaimedMessage, DeliveryCounts, DeliveryState, OutboxKind, OutboxState } from './repositories.js';

/** What both backends' outbox repositories share: reading their rows into records. */

const STATES: readonly OutboxState[] = ['queued', 'sent', 'failed'];

/** Per state, from `[state, n]` rows; states with no message count 0. */
export function countsByState(rows: Array<{ state: string; n: number }>): DeliveryCounts {
  const counts: DeliveryCounts = { queued: 0, sent: 0, failed: 0 };
  for (const { state, n } of rows) if (STATES.includes(state as OutboxState)) counts[state as OutboxState] += Number(n);
  return counts;
}

/** `countsOf` from `(badgeClass, state, n)` rows, on either backend. */
export function deliveryCounts(rows: Array<{ badgeClass: string; state: string; n: number }>): DeliveryCounts & { byBadgeClass: Array<{ badgeClass: string } & DeliveryCounts> } {
  const classes = [...new Set(rows.map((r) => r.badgeClass))].sort();
  return {
    ...countsByState(rows),
    byBadgeClass: classes.map((badgeClass) => ({ badgeClass, ...countsByState(rows.filter((r) => r.badgeClass === badgeClass)) })),
  };
}

/** The latest message per credential, from rows in creation order. */
export function latestPerCredential(rows: Array<Omit<DeliveryState, 'state' | 'credentialId'> & { state: string; credentialId: string | null }>): DeliveryState[] {
  const latest = new Map<string, DeliveryState>();
  for (const row of rows) if (row.credentialId !== null) latest.set(row.credentialId, { ...row, credentialId: row.credentialId, state: row.state as OutboxState });
  return [...latest.values()];
}

/** A row of the `outbox` table as either backend's driver returns it. */
interface OutboxRow {
  id: string;
  orgId: string | null;
  kind: string;
  credentialId: string | null;
  recipient: string | null;
  language: string;
  payload: Record<string, unknown> | null;
  nextAttemptAt: string;
  createdAt: string;
  attempts: number;
  lockedUntil: string | null;
}

export const asClaimed = (row: OutboxRow): ClaimedMessage => ({
  id: row.id,
  orgId: row.orgId,
  kind: row.kind as OutboxKind,
  credentialId: row.credentialId,
  recipient: row.recipient ?? '',
  language: row.language,
  payload: row.payload ?? null,
  createdAt: row.createdAt,
  nextAttemptAt: row.nextAttemptAt,
  attempts: row.attempts,
  lockedUntil: row.lockedUntil ?? '',
});

/** Oldest due first; the id breaks ties, so that claimers walk the rows in one order. */
export const byDue = (a: ClaimedMessage, b: ClaimedMessage): number => (a.nextAttemptAt < b.nextAttemptAt ? -1 : a.nextAttemptAt > b.nextAttemptAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
