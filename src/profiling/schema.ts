import { z } from 'zod';
import { competenceReferenceSchema, languageMapSchema } from '../badge-classes/schema.js';

/**
 * A skills self-assessment (the profiling tool): for each competence of a pathway family, short
 * statements ("I can …") the learner rates on a four-point scale, from "I have not done this yet" to
 * "I can help others do it". Each answer means a level (`levels`: the built-in names when left out).
 * The answers give the learner's profile per competence, and the pathway and first badges to aim for.
 *
 * The single source of truth for questionnaire files (`questionnaires/*.json`, schema generated into
 * `schemas/questionnaire.schema.json`) and the console's form.
 */
const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case words joined by hyphens')
  .max(80);

/** The answers of the scale, 0 to 3. */
export const SCALE = [0, 1, 2, 3] as const;
export type Answer = (typeof SCALE)[number];
/** From this answer up, a competence counts as there ("I can do it on my own"). */
export const ABLE = 2;
export const MAX_QUESTIONS = 4;
export const MAX_COMPETENCES = 20;

export const questionnaireCompetenceSchema = competenceReferenceSchema
  .extend({
    questions: z.array(languageMapSchema).min(1).max(MAX_QUESTIONS).describe('Statements the learner rates, in the first person: "I can …".'),
  })
  .strict();

export const questionnaireSchema = z
  .object({
    $schema: z.string().optional().describe('Path of the JSON Schema, for editors.'),
    slug: slug.describe('Stable identifier; part of its address (/profile/{slug}).'),
    title: languageMapSchema,
    intro: languageMapSchema.describe('What it is, how long it takes, what happens to the answers.'),
    pathways: z.array(slug).min(1).max(10).describe('The pathways it recommends from (their slugs).'),
    levels: z
      .array(languageMapSchema)
      .length(SCALE.length)
      .optional()
      .describe('What each answer means as a level, from the first ("I have not done this yet") to the last ("I can help others do it"); the built-in names when left out.'),
    competences: z.array(questionnaireCompetenceSchema).min(1).max(MAX_COMPETENCES),
  })
  .strict()
  .superRefine((q, ctx) => {
    const seen = new Set<string>();
    q.competences.forEach((c, i) => {
      const key = `${c.framework} ${c.code}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['competences', i], message: `"${c.framework}" "${c.code}" is already asked about` });
      seen.add(key);
    });
  });

export type Questionnaire = z.infer<typeof questionnaireSchema>;
