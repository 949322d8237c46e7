import { z } from 'zod';
import { pathwaySchema } from './schema.js';

/** The JSON Schema of a pathway file, generated from the zod schema (the source of truth). */
export function pathwayJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(pathwaySchema, { io: 'input', target: 'draft-2020-12' }),
    title: 'Learning pathway',
    description: 'A learning pathway: steps of badge classes leading to a capstone badge class. Generated from src/pathways/schema.ts by "npm run schemas:generate"; do not edit by hand.',
  };
}
