import { and, eq, gt, inArray, type AnyColumn, type SQL } from 'drizzle-orm';
import type { IssuanceJobRecord, IssuanceJobRowRecord, IssuanceJobRowState, IssuanceJobState, RowProblemRecord } from './repositories.js';

/** Issuance jobs' rows as both backends read them (their tables differ only in column types). */
export const asJob = (row: Omit<IssuanceJobRecord, 'state'> & { state: string; lockedUntil?: string | null }): IssuanceJobRecord => ({
  id: row.id,
  orgId: row.orgId,
  createdBy: row.createdBy,
  badgeClass: row.badgeClass,
  fileName: row.fileName,
  state: row.state as IssuanceJobState,
  sendEmail: row.sendEmail,
  total: row.total,
  valid: row.valid,
  issued: row.issued,
  failed: row.failed,
  createdAt: row.createdAt,
  confirmedAt: row.confirmedAt,
  finishedAt: row.finishedAt,
});

export const asJobRow = (row: Omit<IssuanceJobRowRecord, 'state' | 'errors'> & { state: string; errors: unknown }): IssuanceJobRowRecord => ({
  ...row,
  state: row.state as IssuanceJobRowState,
  errors: (row.errors as RowProblemRecord[] | null) ?? null,
});

/** Jobs a runner may take: confirmed and not finished. */
export const RUNNABLE: IssuanceJobState[] = ['queued', 'running'];
/** Jobs that may still be cancelled. */
export const CANCELLABLE: IssuanceJobState[] = ['preview', 'queued', 'running'];

/** The WHERE of a job's rows: of one job, of some states (all when none given), after a row number. */
export function jobRowsWhere(
  rows: { jobId: AnyColumn; state: AnyColumn; rowNumber: AnyColumn },
  jobId: string,
  { states, afterRow }: { states?: IssuanceJobRowState[]; afterRow?: number },
): SQL | undefined {
  return and(eq(rows.jobId, jobId), states?.length ? inArray(rows.state, states) : undefined, afterRow !== undefined ? gt(rows.rowNumber, afterRow) : undefined);
}
