import { z } from 'zod';
import { pathwaySchema } from '../../pathways/schema.js';

/** `/api/v1/pathways/{slug}` and `/pathways/{slug}`'s path. */
export const pathwaySlugPath = z.object({ slug: z.string().describe('The pathway\'s slug.').meta({ examples: ['carer-plus-digital-carer-pathway'] }) });
export const completionPath = pathwaySlugPath.extend({ id: z.string().describe('The completion\'s id.') });
export const progressTokenPath = z.object({ token: z.string().max(512).describe('The private token of the learner\'s link, as sent in their badge e-mails.') });
export const completionsQuery = z.object({ state: z.enum(['pending', 'awarding', 'awarded', 'declined']).optional().describe('Only completions in this state.') });

/** A pathway as written: what `POST` and `PUT` take, and `definition` gives back. */
export const pathwayInput = pathwaySchema.meta({
  id: 'Pathway',
  description: 'A learning pathway: its texts per language ("en" required), type, mode, hours, entry level, activities, the competences it develops (known framework competences), its steps of badge classes ("required" of each step\'s badges complete it: all when left out) and the capstone badge class that completing it earns. Unknown fields are refused.',
});

export const pathwayDetailSchema = z
  .object({
    slug: z.string(),
    version: z.int().describe('Counts its changes; its ETag.'),
    archived: z.boolean().describe('An archived pathway is not shown publicly and awards no capstone.'),
    page: z.url().describe('Its public page.'),
    definition: pathwayInput,
  })
  .meta({ id: 'PathwayDetail' });

export const pathwayListSchema = z.object({ items: z.array(pathwayDetailSchema) }).meta({ id: 'PathwayList' });

/** `/pathways/{slug}` as JSON: the definition, and who offers it. */
export const publicPathwaySchema = pathwayInput
  .extend({ organisation: z.object({ id: z.string().describe('Its DID: the issuer of its badges.'), name: z.string() }).nullable() })
  .meta({ id: 'PublishedPathway' });

export const completionSchema = z
  .object({
    id: z.string(),
    pathway: z.string(),
    state: z.enum(['pending', 'awarding', 'awarded', 'declined']).describe('`pending`: awaiting approval; `awarding`: its capstone being issued; `awarded`; `declined`.'),
    components: z.array(z.url()).describe('The credentials that completed it: the capstone\'s evidence.'),
    credential: z.url().nullable().describe('The capstone, once awarded.'),
    recipient: z
      .object({ email: z.email().optional(), name: z.string().optional() })
      .optional()
      .describe('Whom it is for, while it awaits a decision; forgotten once it is decided.'),
    createdAt: z.string(),
    decidedAt: z.string().nullable(),
  })
  .meta({ id: 'PathwayCompletion' });

export const completionListSchema = z.object({ items: z.array(completionSchema) }).meta({ id: 'PathwayCompletionList' });
