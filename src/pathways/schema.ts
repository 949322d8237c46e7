import { z } from 'zod';
import { competenceReferenceSchema, languageMapSchema } from '../badge-classes/schema.js';

/**
 * A learning pathway (CARER+'s pathway maps): a formal VET or non-formal adult-learning route, with its
 * length, mode of study, entry level, activities and the competences it develops, made of steps of
 * badge classes and leading to a capstone badge. Completing it (every step's required number of
 * badges) earns the capstone: awarded at once, or after a coordinator's approval.
 *
 * The single source of truth for pathway files (`pathways/*.json`, schema generated into
 * `schemas/pathway.schema.json`), the API and the console's form.
 */
const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case words joined by hyphens')
  .max(80);

export const PATHWAY_TYPES = ['formal-vet', 'non-formal'] as const;
export const PATHWAY_MODES = ['online', 'blended', 'face-to-face'] as const;
export const COMPLETION_RULES = ['automatic', 'approval'] as const;
export const MAX_STEPS = 12;
export const MAX_STEP_BADGES = 12;

export const pathwayStepSchema = z
  .object({
    title: languageMapSchema.optional().describe('What the step is, e.g. "Core modules".'),
    badgeClasses: z.array(slug).min(1).max(MAX_STEP_BADGES).describe('The badge classes of the step (their slugs).'),
    required: z.number().int().min(1).optional().describe('How many of them complete the step: all when left out ("any 2 of these 4" is 2).'),
  })
  .strict()
  .superRefine((step, ctx) => {
    if (new Set(step.badgeClasses).size !== step.badgeClasses.length) ctx.addIssue({ code: 'custom', path: ['badgeClasses'], message: 'names a badge class twice' });
    if (step.required !== undefined && step.required > step.badgeClasses.length) {
      ctx.addIssue({ code: 'custom', path: ['required'], message: `must be at most the number of badge classes in the step (${step.badgeClasses.length})` });
    }
  })
  .meta({ id: 'PathwayStep' });
export type PathwayStep = z.infer<typeof pathwayStepSchema>;

export const pathwaySchema = z
  .object({
    $schema: z.string().optional().describe('Path of the JSON Schema, for editors.'),
    slug: slug.describe('Stable identifier; part of the pathway\'s public address (/pathways/{slug}).'),
    title: languageMapSchema,
    description: languageMapSchema,
    type: z.enum(PATHWAY_TYPES).describe('"formal-vet" (vocational education and training leading to a qualification) or "non-formal" (adult learning).'),
    mode: z.enum(PATHWAY_MODES).describe('How it is studied.'),
    hours: z.number().int().min(1).max(10_000).describe('Notional learning hours.'),
    entryLevel: languageMapSchema.describe('Who can start, and what they need first.'),
    activities: z.array(languageMapSchema).max(20).default([]).describe('The learning activities.'),
    competences: z.array(competenceReferenceSchema).max(40).default([]).describe('The competences it develops: each a known framework\'s competence (`GET /frameworks`).'),
    steps: z.array(pathwayStepSchema).min(1).max(MAX_STEPS),
    capstone: slug.describe('The badge class earned by completing the pathway.'),
    completion: z.enum(COMPLETION_RULES).default('automatic').describe('"automatic": the capstone is awarded as soon as the pathway is complete; "approval": a coordinator approves it first.'),
  })
  .strict()
  .superRefine((p, ctx) => {
    const seen = new Map<string, number>();
    p.steps.forEach((step, i) => {
      for (const s of step.badgeClasses) {
        if (s === p.capstone) ctx.addIssue({ code: 'custom', path: ['steps', i, 'badgeClasses'], message: `the capstone "${s}" cannot also be a step` });
        else if (seen.has(s)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'badgeClasses'], message: `"${s}" is already in step ${seen.get(s)! + 1}` });
        else seen.set(s, i);
      }
    });
  });

export type Pathway = z.infer<typeof pathwaySchema>;

/** How many badges of a step complete it. */
export const requiredOf = (step: PathwayStep): number => step.required ?? step.badgeClasses.length;
