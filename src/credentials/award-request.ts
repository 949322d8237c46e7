import { z } from 'zod';
import { languageSchema } from '../badge-classes/schema.js';

/**
 * The body of `POST /api/v1/credentials`: one award of a badge class to one learner.
 * Unknown fields are refused, so a typo never silently drops data.
 */
const text = (max: number) => z.string().trim().min(1).max(max);
const uri = z.string().max(2048).refine((v) => URL.canParse(v) && /^[a-z][a-z0-9+.-]*:/i.test(v), 'must be an absolute URI');
const dateTime = z.iso.datetime({ offset: true });

export const recipientSchema = z
  .object({
    email: z.email().max(320).optional(),
    id: uri.optional().describe('A URI for the learner, e.g. a DID, when the learner has one.'),
    name: text(200).optional(),
  })
  .strict()
  .refine((r) => r.email !== undefined || r.id !== undefined, { message: 'needs "email" or "id"' });

export const evidenceSchema = z
  .object({
    id: uri.optional(),
    name: text(500).optional(),
    description: text(5000).optional(),
    narrative: text(20000).optional(),
    genre: text(200).optional(),
    audience: text(200).optional(),
  })
  .strict()
  .refine((e) => Object.keys(e).length > 0, { message: 'must not be empty' });

const RESULT_STATUS = ['Completed', 'Enrolled', 'Failed', 'InProgress', 'OnHold', 'Provisional', 'Withdrew'] as const;
export const resultSchema = z
  .object({
    value: text(500).optional(),
    status: z.enum(RESULT_STATUS).optional(),
    resultDescription: uri.optional(),
    achievedLevel: uri.optional(),
  })
  .strict()
  .refine((r) => Object.keys(r).length > 0, { message: 'must not be empty' });

export const awardRequestSchema = z
  .object({
    badgeClass: z.string().min(1).max(80),
    recipient: recipientSchema,
    evidence: z.array(evidenceSchema).max(50).optional(),
    results: z.array(resultSchema).max(50).optional(),
    narrative: text(20000).optional().describe('What this learner did, in Markdown (AchievementSubject.narrative).'),
    activityStartDate: dateTime.optional(),
    activityEndDate: dateTime.optional(),
    validUntil: dateTime.optional(),
    language: languageSchema.optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.activityStartDate && r.activityEndDate && Date.parse(r.activityStartDate) > Date.parse(r.activityEndDate)) {
      ctx.addIssue({ code: 'custom', path: ['activityEndDate'], message: 'must not be before "activityStartDate"' });
    }
  });

export type AwardRequest = z.infer<typeof awardRequestSchema>;

export const MAX_BATCH = 1000;
/** The body of `POST /api/v1/credentials/batch`: a cohort, all awarded or none. */
export const batchRequestSchema = z.object({ awards: z.array(awardRequestSchema).min(1).max(MAX_BATCH) }).strict();
