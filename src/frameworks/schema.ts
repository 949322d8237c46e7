import { z } from 'zod';
import { languageMapSchema } from '../badge-classes/schema.js';

/**
 * A competence framework the instance knows (DigComp, LifeComp, GreenComp, a subset of ESCO, or an
 * organisation's own): its competences, each with a stable URI, grouped in areas, and its proficiency
 * levels with their descriptors. The bundled ones are files in `frameworks/`, with their sources.
 */
const slug = z.string().regex(/^[a-z0-9]+(?:[.-][a-z0-9]+)*$/, 'lower-case letters, digits, "-" and "."');
const code = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.\-_]{0,63}$/, 'letters, digits, ".", "-" and "_"');

export const competenceSchema = z
  .object({
    code: code.describe('The competence\'s identifier inside its framework, e.g. "2.1".'),
    area: code.optional(),
    /** The framework's own URI for it (ESCO's); without one, its page on this instance is its URI. */
    uri: z.url({ protocol: /^https?$/ }).optional(),
    kind: z.enum(['competence', 'skill', 'occupation']).default('competence'),
    name: languageMapSchema,
    nameSource: z.enum(['framework', 'esco', 'translated']).optional(),
    description: languageMapSchema.optional(),
  })
  .strict();

const frameworkFields = z
  .object({
    slug,
    name: languageMapSchema,
    shortName: z.string().trim().min(1).optional(),
    publisher: z.string().trim().min(1),
    version: z.string().trim().min(1),
    source: z.url({ protocol: /^https?$/ }),
    description: languageMapSchema.optional(),
    note: languageMapSchema.optional(),
    areas: z.array(z.object({ code, name: languageMapSchema }).strict()).default([]),
    competences: z.array(competenceSchema).min(1),
    levels: z.array(z.object({ code, name: languageMapSchema, descriptor: languageMapSchema.optional() }).strict()).default([]),
  })
  .strict();

/** Codes given once each, areas that exist. */
const consistent = (f: { competences: Array<{ code: string; area?: string | undefined }>; areas: Array<{ code: string }> }, ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    f.competences.forEach((c, i) => {
      if (seen.has(c.code)) ctx.addIssue({ code: 'custom', path: ['competences', i, 'code'], message: `"${c.code}" is given twice` });
      seen.add(c.code);
      if (c.area !== undefined && !f.areas.some((a) => a.code === c.area)) ctx.addIssue({ code: 'custom', path: ['competences', i, 'area'], message: `no area "${c.area}"` });
    });
};

export const frameworkSchema = frameworkFields.superRefine(consistent);

/** A framework an organisation defines: where it is published may be left out (it is then its page here). */
export const organisationFrameworkSchema = frameworkFields
  .extend({ source: frameworkFields.shape.source.optional().describe('Where the framework is published; left out, its page on this instance.') })
  .superRefine(consistent);

export type Framework = z.infer<typeof frameworkSchema>;
export type Competence = z.infer<typeof competenceSchema>;

import { competenceReferenceSchema } from '../badge-classes/schema.js';
export { competenceReferenceSchema };
export type CompetenceReference = z.infer<typeof competenceReferenceSchema>;
