import { z } from 'zod';
import { badgeClassFileSchema } from './schema.js';

/** The JSON Schema of a badge class file, generated from the zod schema (the source of truth). */
export function badgeClassJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(badgeClassFileSchema, { io: 'input', target: 'draft-2020-12' }),
    title: 'Badge class',
    description: 'A badge class (an Open Badges 3.0 Achievement with translations and competence alignments). Generated from src/badge-classes/schema.ts by "npm run schemas:generate"; do not edit by hand.',
  };
}

export const serializeJsonSchema = (schema: Record<string, unknown>): string => `${JSON.stringify(schema, null, 2)}\n`;
