import type { Request, Response } from 'express';
import { credentialUrl } from '../credentials/build.js';
import type { IssuanceJobRowRecord } from '../db/repositories.js';
import type { JobView } from '../issuance-jobs/jobs.js';
import { problemMessage, type RowProblem } from '../issuance-jobs/spreadsheet.js';

/** A job as the API and the progress stream show it: counts and state, never a learner's data. */
export function jobJson(job: JobView, publicUrl: string) {
  const self = `${publicUrl}/api/v1/issuance-jobs/${job.id}`;
  return {
    id: job.id,
    state: job.state,
    badgeClass: job.badgeClass,
    fileName: job.fileName,
    sendEmail: job.sendEmail,
    total: job.total,
    valid: job.valid,
    invalid: job.total - job.valid,
    issued: job.issued,
    failed: job.failed,
    alreadyIssued: job.alreadyIssued,
    createdAt: job.createdAt,
    confirmedAt: job.confirmedAt,
    finishedAt: job.finishedAt,
    links: { self, rows: `${self}/rows`, events: `${self}/events` },
  };
}

/** A row's outcome: its problems in words and by code, or its credential. */
export function rowJson(row: IssuanceJobRowRecord, publicUrl: string) {
  return {
    row: row.rowNumber,
    state: row.state,
    ...(row.errors?.length ? { problems: row.errors.map((p) => ({ column: p.column, code: p.code, message: problemWords(p) })) } : {}),
    ...(row.credentialId ? { credential: { id: row.credentialId, url: credentialUrl(publicUrl, row.credentialId) } } : {}),
  };
}

const problemWords = (p: { column: string; code: string; params?: Record<string, string | number> }): string =>
  p.code === 'already_issued'
    ? 'issued by an earlier upload of the same row: not issued again'
    : typeof p.params?.message === 'string'
      ? p.params.message
      : problemMessage(p as RowProblem);

const FINISHED = new Set(['done', 'cancelled']);
/** How often the stream looks at the job: the database is the truth, whichever instance runs it. */
const POLL_MS = 500;
const HEARTBEAT_MS = 15_000;
/** A stream ends after this long; EventSource reconnects by itself. */
const MAX_STREAM_MS = 10 * 60_000;

/**
 * Server-sent events of a job's progress: `progress` with the counts whenever they change, then
 * `done` when the job is finished (or cancelled), and the stream ends. The job is read from the
 * database, so the stream is right whichever instance runs the job.
 */
export async function streamProgress(req: Request, res: Response, load: () => Promise<JobView | undefined>, toData: (job: JobView) => unknown): Promise<void> {
  const first = await load();
  if (!first) return void res.status(404).end();
  res.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no', Connection: 'keep-alive' });
  res.flushHeaders();
  let last = '';
  let ended = false;
  const started = Date.now();
  let lastWrite = Date.now();
  const send = (job: JobView): boolean => {
    const data = JSON.stringify(toData(job));
    if (data !== last) {
      last = data;
      res.write(`event: progress\ndata: ${data}\n\n`);
      lastWrite = Date.now();
    }
    if (FINISHED.has(job.state)) {
      res.write(`event: done\ndata: ${data}\n\n`);
      return true;
    }
    return false;
  };
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(timer);
    res.end();
  };
  const timer = setInterval(() => {
    void (async () => {
      if (ended) return;
      if (Date.now() - started > MAX_STREAM_MS) return end();
      const job = await load().catch(() => undefined);
      if (ended) return;
      if (!job || send(job)) return end();
      if (Date.now() - lastWrite > HEARTBEAT_MS) {
        res.write(': still here\n\n');
        lastWrite = Date.now();
      }
    })();
  }, POLL_MS);
  req.on('close', end);
  if (send(first)) end();
}
