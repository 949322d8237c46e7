import { Router, type Request } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { languageSchema } from '../../badge-classes/schema.js';
import { AppError } from '../../errors/errors.js';
import { parseOrThrow } from '../../errors/zod.js';
import { MAX_BYTES } from '../../issuance-jobs/spreadsheet.js';
import { XLSX_TYPE } from '../../issuance-jobs/xlsx.js';
import { callerOf } from '../auth.js';
import { jobJson, rowJson, streamProgress } from '../job-progress.js';
import { readRawBody } from '../raw-body.js';

export const createJobQuery = z
  .object({
    badgeClass: z.string().min(1).max(80).describe('The badge class every row is awarded.'),
    language: languageSchema.optional().describe('The language of rows whose sheet has no language column or an empty cell. Default "en".'),
    notify: z.enum(['true', 'false']).default('true').describe('`false`: issue without e-mailing the learners.'),
    fileName: z.string().max(200).optional().describe('The file\'s name, to recognise the job in the console.'),
    confirm: z.enum(['true', 'false']).default('false').describe('`true`: issue the valid rows at once, without a preview step.'),
  })
  .strict();

export const jobRowsQuery = z
  .object({
    state: z.enum(['invalid', 'pending', 'issued', 'failed']).optional().describe('Only rows in this state.'),
    after: z.coerce.number().int().min(0).optional().describe('Rows after this row number (the last of the previous page).'),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .strict();

const jobPath = z.object({ id: z.string().min(1).max(100) });

/** The spreadsheet is the body: CSV (UTF-8, with or without BOM) or an Excel workbook. */
function checkType(req: Request): void {
  const type = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'text/csv' && type !== 'text/plain' && type !== XLSX_TYPE) {
    throw new AppError('unsupported_media_type', `send the spreadsheet as CSV (Content-Type: text/csv) or as an Excel workbook (Content-Type: ${XLSX_TYPE})`);
  }
}

/** Issuance from a spreadsheet over the API: upload (a preview), confirm, progress, rows. */
export function createIssuanceJobsRouter(ctx: AppContext): Router {
  const router = Router();
  const json = (job: Parameters<typeof jobJson>[0]) => jobJson(job, ctx.config.publicUrl);

  router.post('/', async (req, res) => {
    const query = parseOrThrow(createJobQuery, req.query);
    checkType(req);
    const file = await readRawBody(req, MAX_BYTES, 'the spreadsheet');
    const caller = callerOf(res);
    let job = await ctx.jobs.prepare(caller, {
      badgeClass: query.badgeClass,
      fileName: query.fileName ?? 'upload.csv',
      file,
      language: query.language,
      sendEmail: query.notify === 'true',
      createdBy: `api-key:${caller.apiKeyId}`,
    });
    await ctx.accounts.audit({ orgId: caller.org.id, actor: `api-key:${caller.apiKeyId}`, action: 'issuance_job.created', subject: job.id, details: { badgeClass: job.badgeClass, rows: job.total } });
    if (query.confirm === 'true' && job.valid > job.alreadyIssued) job = await ctx.jobs.confirm(caller.org.id, job.id);
    const problems = await ctx.jobs.rows(caller.org.id, job.id, { states: ['invalid'], limit: 1000 });
    res.status(201).location(json(job).links.self).json({ ...json(job), problems: problems.map((r) => rowJson(r, ctx.config.publicUrl)) });
  });

  router.get('/', async (_req, res) => {
    res.json({ items: (await ctx.jobs.list(callerOf(res).org.id)).map(json) });
  });

  router.get('/:id', async (req, res) => {
    const { id } = parseOrThrow(jobPath, req.params);
    const job = await ctx.jobs.get(callerOf(res).org.id, id);
    if (!job) throw new AppError('issuance_job_not_found', `no issuance job "${id}" of this organisation`);
    res.json(json(job));
  });

  router.post('/:id/confirm', async (req, res) => {
    const { id } = parseOrThrow(jobPath, req.params);
    const caller = callerOf(res);
    const job = await ctx.jobs.confirm(caller.org.id, id);
    await ctx.accounts.audit({ orgId: caller.org.id, actor: `api-key:${caller.apiKeyId}`, action: 'issuance_job.confirmed', subject: id, details: { rows: job.valid } });
    res.status(202).json(json(job));
  });

  router.post('/:id/cancel', async (req, res) => {
    const { id } = parseOrThrow(jobPath, req.params);
    const caller = callerOf(res);
    const job = await ctx.jobs.cancel(caller.org.id, id);
    await ctx.accounts.audit({ orgId: caller.org.id, actor: `api-key:${caller.apiKeyId}`, action: 'issuance_job.cancelled', subject: id, details: null });
    res.json(json(job));
  });

  router.get('/:id/rows', async (req, res) => {
    const { id } = parseOrThrow(jobPath, req.params);
    const query = parseOrThrow(jobRowsQuery, req.query);
    const rows = await ctx.jobs.rows(callerOf(res).org.id, id, { ...(query.state ? { states: [query.state] } : {}), ...(query.after !== undefined ? { afterRow: query.after } : {}), limit: query.limit });
    const last = rows.at(-1);
    res.json({ items: rows.map((r) => rowJson(r, ctx.config.publicUrl)), ...(last && rows.length === query.limit ? { nextAfter: last.rowNumber } : {}) });
  });

  router.get('/:id/events', async (req, res) => {
    const { id } = parseOrThrow(jobPath, req.params);
    const orgId = callerOf(res).org.id;
    if (!(await ctx.jobs.get(orgId, id))) throw new AppError('issuance_job_not_found', `no issuance job "${id}" of this organisation`);
    await streamProgress(req, res, () => ctx.jobs.get(orgId, id), json);
  });

  return router;
}
