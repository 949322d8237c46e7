import { randomUUID as nodeRandomUUID } from 'node:crypto';
import { mayBeAwardedBy, type Catalog } from '../badge-classes/catalog.js';
import type { AwardRequest } from '../credentials/award-request.js';
import type { IssuanceService } from '../credentials/issuance.js';
import type { IssuanceJobRecord, IssuanceJobRowRecord, IssuanceJobRowState, RowProblemRecord, Storage } from '../db/repositories.js';
import { AppError } from '../errors/errors.js';
import type { Logger } from '../logger.js';
import { ALL_BADGE_CLASSES, mayAward, type Caller } from '../organisations/api-keys.js';
import { createWakeablePause } from '../threads/wakeable.js';
import { readRecords, readSheet, SheetError, type RowProblem } from './spreadsheet.js';
import { looksLikeXlsx, readXlsx } from './xlsx.js';

const utf8 = (bytes: Uint8Array): string => {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SheetError('the file is neither an Excel workbook (.xlsx) nor UTF-8 text: save it as “CSV UTF-8”');
  }
};

/**
 * Issuance from a spreadsheet: `prepare` reads and checks every row and stores the job as a preview
 * (nothing signed); `confirm` queues it; a runner in each instance takes queued jobs (a lock in the
 * database, so one runner per job) and issues their rows a few at a time, each as one award with the
 * row's own Idempotency-Key. A job interrupted by a restart is taken again once its lock runs out:
 * a row issued just before the stop answers as the replay it then is, so nothing is issued, nor
 * e-mailed, twice; and the same row in another upload is recognised as issued before it is queued.
 */
export interface JobRunnerOptions {
  /** How often an idle runner looks for confirmed jobs. */
  pollMs: number;
  /** How long a runner holds a job without renewing; another instance takes it after that. */
  lockMs: number;
  /** Rows issued at once. */
  concurrency: number;
  /** Previews never confirmed are removed after this long (they hold learners' addresses). */
  previewTtlMs: number;
}

export const JOB_DEFAULTS: JobRunnerOptions = { pollMs: 1000, lockMs: 60_000, concurrency: 4, previewTtlMs: 7 * 24 * 3600_000 };
const ROWS_PER_TURN = 40;

/** A row recognised at preview as issued by an earlier upload: issued, and not again. */
export const ALREADY_ISSUED = 'already_issued';

export interface JobView extends IssuanceJobRecord {
  /** Rows found issued by an earlier upload of the same rows. */
  alreadyIssued: number;
}

export interface PrepareInput {
  badgeClass: string;
  fileName: string;
  /** The file as uploaded: CSV (UTF-8) or an Excel workbook (.xlsx). */
  file: Uint8Array;
  /** The language of rows that do not say. */
  language?: string | undefined;
  sendEmail: boolean;
  /** `user:<id>` or `api-key:<id>`. */
  createdBy: string;
}

export interface IssuanceJobs {
  prepare(caller: Caller, input: PrepareInput): Promise<JobView>;
  confirm(orgId: string, id: string): Promise<JobView>;
  cancel(orgId: string, id: string): Promise<JobView>;
  get(orgId: string, id: string): Promise<JobView | undefined>;
  list(orgId: string, limit?: number): Promise<JobView[]>;
  rows(orgId: string, id: string, query: { states?: IssuanceJobRowState[]; afterRow?: number; limit: number }): Promise<IssuanceJobRowRecord[]>;
  /** Starts this instance's runner. */
  start(): void;
  /** Looks for confirmed jobs now rather than at the next poll. */
  wake(): void;
  /** Runs due jobs until none is left (tools and tests; the service's runner does this by itself). */
  drain(): Promise<void>;
  /** Stops the runner after the rows under way. */
  close(): Promise<void>;
}

export interface IssuanceJobsDeps {
  storage: Pick<Storage, 'jobs' | 'idempotency' | 'organisations'>;
  catalog: Catalog & { ensure?(slug: string): Promise<unknown> };
  issuance: Pick<IssuanceService, 'issue'>;
  logger: Logger;
  now?: () => Date;
  randomUUID?: () => string;
  options?: Partial<JobRunnerOptions>;
}

const isClientError = (e: unknown): e is AppError => e instanceof AppError && e.status < 500;

export function createIssuanceJobs(deps: IssuanceJobsDeps): IssuanceJobs {
  const { storage, catalog, issuance, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const randomUUID = deps.randomUUID ?? nodeRandomUUID;
  const options = { ...JOB_DEFAULTS, ...deps.options };
  const iso = (ms: number) => new Date(ms).toISOString();

  const viewOf = async (job: IssuanceJobRecord): Promise<JobView> => {
    if (job.state !== 'preview') return { ...job, alreadyIssued: 0 };
    // Counted for a preview only, where it matters: what confirming will not issue again.
    const marked = await storage.jobs.rows(job.id, { states: ['issued'], limit: job.total });
    return { ...job, alreadyIssued: marked.length };
  };

  async function found(orgId: string, id: string): Promise<IssuanceJobRecord> {
    const job = await storage.jobs.get(orgId, id);
    if (!job) throw new AppError('issuance_job_not_found', `no issuance job "${id}" of this organisation`);
    return job;
  }

  /** Problems only the catalog can see: the badge's languages, and dates against today. */
  function checkAgainstClass(award: AwardRequest, languages: readonly string[], at: Date): RowProblem[] {
    const problems: RowProblem[] = [];
    const language = award.language ?? 'en';
    if (!languages.includes(language)) problems.push({ column: 'language', code: 'language_unavailable', params: { language, available: languages.join(', ') } });
    if (award.validUntil && Date.parse(award.validUntil) <= at.getTime()) problems.push({ column: 'validUntil', code: 'date_in_past' });
    return problems;
  }

  // ---- the runner ----
  let loop: Promise<void> | undefined;
  let stopping = false;
  let lastSweep = 0;
  /** Woken when a job is confirmed here, so the runner takes it at once rather than at the next poll. */
  const pause = createWakeablePause();

  /** One row: issued (or recognised as issued), failed for a reason of its own, or left for later. */
  async function issueRow(caller: Caller, job: IssuanceJobRecord, row: IssuanceJobRowRecord): Promise<void> {
    const award = { ...(row.award as AwardRequest), ...(job.sendEmail ? {} : { notify: false }) };
    try {
      const result = await issuance.issue(caller, [award], { kind: 'single', ...(row.rowKey ? { idempotencyKey: row.rowKey } : {}) });
      await storage.jobs.markRow(job.id, row.rowNumber, { state: 'issued', credentialId: result.issued[0]!.id });
    } catch (e) {
      if (isClientError(e) && e.code === 'idempotency_key_reused' && row.rowKey) {
        // The same row issued by another upload with other options (e-mail on or off): issued already.
        const earlier = await storage.idempotency.find(job.orgId, row.rowKey);
        if (earlier?.credentialIds[0]) return storage.jobs.markRow(job.id, row.rowNumber, { state: 'issued', credentialId: earlier.credentialIds[0] });
      }
      if (!isClientError(e)) throw e;
      // Something changed since the preview (the class archived, a key's scope): this row fails, the job goes on.
      const problem: RowProblemRecord = { column: 'row', code: e.code, params: { message: e.message.slice(0, 300) } };
      await storage.jobs.markRow(job.id, row.rowNumber, { state: 'failed', errors: [problem] });
    }
  }

  /** Issues a claimed job's pending rows while this runner holds it; false when it stopped holding it. */
  async function run(job: IssuanceJobRecord, lockedUntil: string): Promise<void> {
    const org = await storage.organisations.byId(job.orgId);
    // Checked when the job was prepared (the key's scope too); the organisation awards it now.
    const caller: Caller = { org: { id: job.orgId, name: org?.name ?? job.orgId }, apiKeyId: job.createdBy, badgeClasses: [ALL_BADGE_CLASSES] };
    let held = lockedUntil;
    for (;;) {
      if (stopping) return;
      const pending = await storage.jobs.rows(job.id, { states: ['pending'], limit: ROWS_PER_TURN });
      if (!pending.length) {
        await storage.jobs.finish(job.id, iso(now().getTime()));
        logger.info({ job: job.id, rows: job.total }, 'issuance job done');
        return;
      }
      let next = 0;
      const worker = async () => {
        while (next < pending.length && !stopping) await issueRow(caller, job, pending[next++]!);
      };
      await Promise.all(Array.from({ length: Math.min(options.concurrency, pending.length) }, worker));
      const renewed = iso(now().getTime() + options.lockMs);
      // Cancelled meanwhile, or taken by another runner after this one stalled past its lock: stop.
      if (!(await storage.jobs.renew(job.id, held, renewed))) return;
      held = renewed;
    }
  }

  /** Takes and runs due jobs until none is left; true when one was run. */
  async function runDue(): Promise<boolean> {
    let ran = false;
    while (!stopping) {
      const at = now().getTime();
      if (at - lastSweep > 3600_000) {
        lastSweep = at;
        const removed = await storage.jobs.deleteStalePreviews(iso(at - options.previewTtlMs));
        if (removed) logger.info({ removed }, 'removed issuance previews never confirmed');
      }
      const lockedUntil = iso(at + options.lockMs);
      const job = await storage.jobs.claim(iso(at), lockedUntil);
      if (!job) return ran;
      ran = true;
      await run(job, lockedUntil);
    }
    return ran;
  }

  async function runLoop(): Promise<void> {
    while (!stopping) {
      pause.clear();
      try {
        await runDue();
      } catch (error) {
        // The database or signing failed: the job keeps its lock until it runs out, then is taken again.
        logger.error({ error: error instanceof Error ? error.message : String(error) }, 'issuance job runner failed; trying again later');
      }
      if (!stopping && !pause.woken) await pause.sleep(options.pollMs);
    }
  }

  return {
    async prepare(caller, input) {
      if (!catalog.get(input.badgeClass)) await catalog.ensure?.(input.badgeClass);
      const entry = catalog.get(input.badgeClass);
      if (!entry) throw new AppError('unknown_badge_class', `"badgeClass" names no known badge class ("${input.badgeClass}")`);
      if (!mayAward(caller, input.badgeClass) || !mayBeAwardedBy(entry, caller.org.id)) {
        throw new AppError('badge_class_not_allowed', `badge class "${input.badgeClass}" may not be awarded by this organisation or key`);
      }
      if (entry.archived) throw new AppError('badge_class_archived', `badge class "${input.badgeClass}" is archived: it is no longer awarded`);
      let sheet;
      try {
        const options = { badgeClass: input.badgeClass, orgId: caller.org.id, ...(input.language ? { defaultLanguage: input.language } : {}) };
        sheet = looksLikeXlsx(input.file) ? readRecords(await readXlsx(input.file), options) : readSheet(utf8(input.file), options);
      } catch (e) {
        if (e instanceof SheetError) throw new AppError('spreadsheet_unreadable', e.message);
        throw e;
      }
      const at = now();
      for (const row of sheet.rows) if (row.award) row.problems.push(...checkAgainstClass(row.award, entry.languages, at));
      const keys = sheet.rows.filter((r) => r.key && !r.problems.length).map((r) => r.key!);
      const earlier = new Map((await storage.idempotency.findMany(caller.org.id, keys)).map((r) => [r.key, r.credentialIds[0]]));
      const id = randomUUID();
      const rows: IssuanceJobRowRecord[] = sheet.rows.map((row) => {
        const base = { jobId: id, rowNumber: row.number, rowKey: row.key ?? null };
        if (row.problems.length || !row.award) return { ...base, award: null, state: 'invalid', errors: row.problems, credentialId: null };
        const issuedBefore = earlier.get(row.key!);
        if (issuedBefore) return { ...base, award: null, state: 'issued', errors: [{ column: 'row', code: ALREADY_ISSUED }], credentialId: issuedBefore };
        return { ...base, award: row.award as Record<string, unknown>, state: 'pending', errors: null, credentialId: null };
      });
      const job: IssuanceJobRecord = {
        id,
        orgId: caller.org.id,
        createdBy: input.createdBy,
        badgeClass: input.badgeClass,
        fileName: input.fileName.slice(0, 200),
        state: 'preview',
        sendEmail: input.sendEmail,
        total: rows.length,
        valid: rows.filter((r) => r.state !== 'invalid').length,
        issued: rows.filter((r) => r.state === 'issued').length,
        failed: 0,
        createdAt: at.toISOString(),
        confirmedAt: null,
        finishedAt: null,
      };
      await storage.jobs.insert(job, rows);
      return viewOf(job);
    },

    async confirm(orgId, id) {
      const job = await found(orgId, id);
      if (job.state === 'preview' && job.valid === 0) throw new AppError('nothing_to_issue', 'no row of this sheet can be issued: correct the rows and upload it again');
      if (!(await storage.jobs.confirm(orgId, id, now().toISOString()))) {
        throw new AppError('issuance_job_state', `this job is ${job.state === 'preview' ? 'no longer a preview' : job.state}: it cannot be confirmed`);
      }
      // The job as confirmed (queued), read before the runner is woken: the answer does not depend on
      // whether the runner claimed it meanwhile.
      const confirmed = viewOf(await found(orgId, id));
      pause.wake();
      return confirmed;
    },

    async cancel(orgId, id) {
      const job = await found(orgId, id);
      if (!(await storage.jobs.cancel(orgId, id, now().toISOString()))) throw new AppError('issuance_job_state', `this job is ${job.state}: it cannot be cancelled`);
      return viewOf(await found(orgId, id));
    },

    async get(orgId, id) {
      const job = await storage.jobs.get(orgId, id);
      return job && viewOf(job);
    },

    async list(orgId, limit = 50) {
      return Promise.all((await storage.jobs.list(orgId, limit)).map(viewOf));
    },

    async rows(orgId, id, query) {
      await found(orgId, id);
      return storage.jobs.rows(id, query);
    },

    start() {
      if (!loop) loop = runLoop();
    },

    wake() {
      pause.wake();
    },

    async drain() {
      while (await runDue());
    },

    async close() {
      stopping = true;
      pause.wake();
      await loop;
    },
  };
}
