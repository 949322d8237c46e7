import { z } from 'zod';

export const endorsementIdPath = z.object({ id: z.string().describe('The endorsement\'s id (the last part of its URL).') });

const endorsementItem = z.object({
  id: z.string(),
  url: z.url().describe('The signed EndorsementCredential\'s address (its `id`).'),
  subjectKind: z.enum(['badge_class', 'organisation']),
  createdAt: z.string(),
});

export const endorsementListSchema = z.object({ items: z.array(endorsementItem) }).meta({ id: 'EndorsementList' });
export const endorsementIssuedSchema = endorsementItem
  .extend({ credential: z.looseObject({ id: z.url(), type: z.array(z.string()), issuer: z.looseObject({ id: z.string() }), credentialSubject: z.looseObject({ id: z.string(), endorsementComment: z.string() }) }) })
  .meta({ id: 'EndorsementIssued' });
