import { z } from 'zod';
import { languageMapSchema } from '../../badge-classes/schema.js';

/** `/frameworks/{framework}/{code}`'s path. */
export const frameworkPathParams = z.object({
  framework: z.string().describe('The framework\'s slug.').meta({ examples: ['digcomp-2.2'] }),
  code: z.string().describe('The competence\'s code in it.').meta({ examples: ['2.1'] }),
});

/** A competence as JSON (`GET /frameworks/{framework}/{code}` with `Accept: application/json`). */
export const competenceSchema = z
  .object({
    id: z.url().describe('The URI alignments link to: the framework\'s own (ESCO\'s), or this address.'),
    framework: z.object({ slug: z.string(), name: z.string(), version: z.string(), publisher: z.string(), source: z.url() }),
    code: z.string(),
    area: z.string().optional().describe('The code of its area in the framework.'),
    kind: z.enum(['competence', 'skill', 'occupation']),
    name: languageMapSchema,
    description: languageMapSchema.optional(),
  })
  .meta({ id: 'Competence' });
