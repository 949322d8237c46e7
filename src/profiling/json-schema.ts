import { z } from 'zod';
import { questionnaireSchema } from './schema.js';

/** The JSON Schema of a questionnaire file, generated from the zod schema (the source of truth). */
export function questionnaireJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(questionnaireSchema, { io: 'input', target: 'draft-2020-12' }),
    title: 'Skills self-assessment',
    description: 'A questionnaire of the skills profiling tool: statements per competence that a learner rates on a four-point scale, and the pathways it recommends from. Generated from src/profiling/schema.ts by "npm run schemas:generate"; do not edit by hand.',
  };
}
