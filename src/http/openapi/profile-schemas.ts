import { z } from 'zod';

export const questionnaireSlugPath = z.object({ slug: z.string().describe('The self-assessment\'s slug.').meta({ examples: ['carer-plus-digital-skills'] }) });
export const resultIdPath = z.object({ id: z.string().describe('The kept result\'s id.') });

/** The questionnaire's form: `c{i}q{j}` is the answer (0–3) to statement j of competence i. */
export const answersFormSchema = z
  .object({ count: z.literal('1').optional().describe('Add the answers to the anonymous counts.') })
  .catchall(z.string())
  .describe('`c{i}q{j}`: the answer, `0` ("I have not done this yet") to `3` ("I can help others do it"), to statement j of competence i; an answer left out, or outside the scale, counts as not given.');
