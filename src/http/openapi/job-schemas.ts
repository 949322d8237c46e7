import { z } from 'zod';

/** The spreadsheet jobs' answers (src/http/job-progress.ts), for the OpenAPI document. */
const dateTime = z.iso.datetime({ offset: true });

export const jobSchema = z
  .object({
    id: z.string(),
    state: z.enum(['preview', 'queued', 'running', 'done', 'cancelled']).describe('`preview` until confirmed; then `queued`, `running`, `done`; or `cancelled`.'),
    badgeClass: z.string(),
    fileName: z.string(),
    sendEmail: z.boolean(),
    total: z.number().int().describe('Rows in the sheet (the header not counted).'),
    valid: z.number().int().describe('Rows that can be issued (those issued by an earlier upload included).'),
    invalid: z.number().int().describe('Rows with problems: never issued.'),
    issued: z.number().int(),
    failed: z.number().int().describe('Rows that could not be issued when their turn came (the badge class archived meanwhile).'),
    alreadyIssued: z.number().int().describe('In a preview: rows issued by an earlier upload of the same rows, which confirming does not issue again.'),
    createdAt: dateTime,
    confirmedAt: dateTime.nullable(),
    finishedAt: dateTime.nullable(),
    links: z.object({ self: z.url(), rows: z.url(), events: z.url().describe('Server-sent events of the progress.') }),
  })
  .meta({ id: 'IssuanceJob' });

export const jobRowSchema = z
  .object({
    row: z.number().int().describe('The row\'s number as the spreadsheet shows it (the header is row 1).'),
    state: z.enum(['invalid', 'pending', 'issued', 'failed']),
    problems: z
      .array(z.object({ column: z.string(), code: z.string().describe('A stable code: required, invalid_email, invalid_url, invalid_date, too_long, unknown_language, language_unavailable, end_before_start, date_in_past, duplicate_row, already_issued, or an error code of the API.'), message: z.string() }))
      .optional(),
    credential: z.object({ id: z.string(), url: z.url() }).optional(),
  })
  .meta({ id: 'IssuanceJobRow' });

export const createdJobSchema = jobSchema.extend({ problems: z.array(jobRowSchema).describe('The rows with problems (the first 1,000).') }).meta({ id: 'IssuanceJobPreview' });
export const jobListSchema = z.object({ items: z.array(jobSchema) }).meta({ id: 'IssuanceJobList' });
export const jobRowsSchema = z.object({ items: z.array(jobRowSchema), nextAfter: z.number().int().optional().describe('Pass as `after` for the next page.') }).meta({ id: 'IssuanceJobRows' });
