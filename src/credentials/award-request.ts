import { z } from 'zod';
import { languageSchema } from '../badge-classes/schema.js';

/**
 * The body of `POST /api/v1/credentials`: one award of a badge class to one learner.
 * Unknown fields are refused, so a typo never silently drops data.
 */
const text = (max: number) => z.string().trim().min(1).max(max);
const uri = z
  .string()
  .max(2048)
  .refine((v) => URL.canParse(v) && /^[a-z][a-z0-9+.-]*:/i.test(v), 'must be an absolute URI')
  .describe('An absolute URI (https:…, did:…, urn:…).');
const dateTime = z.iso.datetime({ offset: true });

const recipientFields = z
  .object({
    email: z.email().max(320).optional(),
    id: uri.optional().describe('A URI for the learner, e.g. a DID, when the learner has one.'),
    name: text(200).optional(),
  })
  .strict();

export const recipientSchema = recipientFields
  .refine((r) => r.email !== undefined || r.id !== undefined, { message: 'needs "email" or "id"' })
  .meta({
    id: 'Recipient',
    description: 'The learner: "email" and/or "id" (at least one). The e-mail address is only in the credential as a salted SHA-256 hash.',
    examples: [{ email: 'maria.rossi@example.org', name: 'Maria Rossi' }],
  });

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
  .refine((e) => Object.keys(e).length > 0, { message: 'must not be empty' })
  .meta({ id: 'Evidence', description: 'OB 3.0 Evidence: at least one field.', examples: [{ name: 'E-portfolio', id: 'https://lms.example.org/portfolio/7' }] });

const RESULT_STATUS = ['Completed', 'Enrolled', 'Failed', 'InProgress', 'OnHold', 'Provisional', 'Withdrew'] as const;
export const resultSchema = z
  .object({
    value: text(500).optional(),
    status: z.enum(RESULT_STATUS).optional(),
    resultDescription: uri.optional(),
    achievedLevel: uri.optional(),
  })
  .strict()
  .refine((r) => Object.keys(r).length > 0, { message: 'must not be empty' })
  .meta({ id: 'Result', description: 'OB 3.0 Result: at least one field.' });

const awardFields = z
  .object({
    badgeClass: z.string().min(1).max(80).describe('The badge class slug (GET /api/v1/badge-classes lists those this API key may award).'),
    recipient: recipientSchema,
    evidence: z.array(evidenceSchema).max(50).optional(),
    results: z.array(resultSchema).max(50).optional(),
    narrative: text(20000).optional().describe('What this learner did, in Markdown (AchievementSubject.narrative).'),
    activityStartDate: dateTime.optional().describe('When the learning activity started: a date-time with a time zone.'),
    activityEndDate: dateTime.optional().describe('When it ended; not before activityStartDate.'),
    validUntil: dateTime.optional().describe('When the badge stops being valid; must be in the future.'),
    language: languageSchema.optional().describe('The language of the Achievement texts in the credential; the badge class must have it. Default "en".'),
    notify: z
      .boolean()
      .optional()
      .describe('E-mail the learner the badge (in "language", with a link to its page and the baked PNG attached) when "recipient.email" is given. Default true; false sends nothing.'),
  })
  .strict();

const activityInOrder = (r: { activityStartDate?: string | undefined; activityEndDate?: string | undefined }, ctx: z.RefinementCtx) => {
  if (r.activityStartDate && r.activityEndDate && Date.parse(r.activityStartDate) > Date.parse(r.activityEndDate)) {
    ctx.addIssue({ code: 'custom', path: ['activityEndDate'], message: 'must not be before "activityStartDate"' });
  }
};

export const awardRequestSchema = awardFields
  .superRefine(activityInOrder)
  .meta({
    id: 'AwardRequest',
    description: 'One award of a badge class to one learner. Unknown fields are refused. Without "validUntil" the badge class\'s default validity period applies, if it has one.',
    examples: [
      {
        badgeClass: 'carer-plus-digital-communication',
        recipient: { email: 'maria.rossi@example.org', name: 'Maria Rossi' },
        language: 'it',
        evidence: [{ name: 'E-portfolio', id: 'https://lms.example.org/portfolio/7' }],
      },
    ],
  });

export type AwardRequest = z.infer<typeof awardRequestSchema>;

/**
 * The body of `POST /api/v1/credentials/{id}/reissue`: the corrected award, whole. Its badge class is
 * the original's; the learner's e-mail address (which is kept only hashed) may be given again, to send
 * the corrected badge; without an address or id the original's identity is kept.
 */
export const reissueRequestSchema = awardFields
  .extend({
    badgeClass: awardFields.shape.badgeClass.optional().describe('The original credential\'s badge class, which a re-issue keeps; another one is refused. May be left out.'),
    recipient: recipientFields.meta({
      id: 'ReissueRecipient',
      description:
        'The learner, corrected. Without "email" and "id" the original credential\'s identity (its salted e-mail hash or id) is kept and no e-mail is sent; an "email" given is hashed into the new credential and the badge sent to it (unless "notify" is false).',
      examples: [{ name: 'Maria Rossi' }],
    }),
  })
  .superRefine(activityInOrder)
  .meta({
    id: 'ReissueRequest',
    description: 'The corrected award, whole: the fields it leaves out are left out of the new credential. Unknown fields are refused. Without "validUntil", the badge class\'s default validity counts from the original award date.',
    examples: [{ recipient: { name: 'Maria Rossi' }, language: 'it', evidence: [{ name: 'E-portfolio', id: 'https://lms.example.org/portfolio/7' }] }],
  });

export type ReissueRequest = z.infer<typeof reissueRequestSchema>;

/**
 * The body of `POST /api/v1/credentials/{id}/renew`: what the renewal rests on (its evidence or the
 * re-assessment's results) and anything else of a new award. The learner is the renewed credential's.
 */
export const renewalRequestSchema = awardFields
  .extend({
    badgeClass: awardFields.shape.badgeClass.optional().describe('The renewed credential\'s badge class, which a renewal keeps; another one is refused. May be left out.'),
    recipient: recipientFields
      .optional()
      .meta({
        id: 'RenewalRecipient',
        description:
          'Usually left out: the renewed credential\'s learner (identity and name) is kept, and the badge is sent to the address kept for its reminders. An "email" given is hashed into the new credential and the badge sent to it (unless "notify" is false); a "name" given replaces the name.',
      }),
  })
  .superRefine(activityInOrder)
  .superRefine((r, ctx) => {
    if (!r.evidence?.length && !r.results?.length) ctx.addIssue({ code: 'custom', path: ['evidence'], message: 'a renewal needs its evidence: "evidence" (continuing development, a new assessment) or "results" (a re-assessment)' });
  })
  .meta({
    id: 'RenewalRequest',
    description: 'A renewal: a new credential of the same badge class for the same learner, valid from now for the badge class\'s validity period (or until "validUntil"), keeping the original award date and naming the renewed credential in its evidence. Unknown fields are refused.',
    examples: [{ evidence: [{ name: 'Refresher course: safe medication handling (8 hours)', id: 'https://lms.example.org/records/311' }], language: 'it' }],
  });

export type RenewalRequest = z.infer<typeof renewalRequestSchema>;

export const MAX_BATCH = 1000;
/** The body of `POST /api/v1/credentials/batch`: a cohort, all awarded or none. */
export const batchRequestSchema = z
  .object({ awards: z.array(awardRequestSchema).min(1).max(MAX_BATCH) })
  .strict()
  .meta({ id: 'BatchRequest', description: `A cohort: 1 to ${MAX_BATCH} awards, all issued or none.` });
