import { z } from 'zod';
import { languageMapSchema } from '../../badge-classes/schema.js';
import { organisationFrameworkSchema } from '../../frameworks/schema.js';

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

/** `/api/v1/frameworks`: an organisation's own competence frameworks. */
export const frameworkSlugPath = z.object({ slug: z.string().describe('The framework\'s slug.').meta({ examples: ['carer-plus-framework'] }) });

/** A framework as written: what `POST` and `PUT` take, and `definition` gives back. */
export const frameworkInput = organisationFrameworkSchema.meta({
  id: 'Framework',
  description:
    'A competence framework: its name per language ("en" required), publisher, version, where it is published (left out: its page on this instance), optional areas and proficiency levels with descriptors, and its competences, each a code (unique in the framework), a name per language, optionally an area, a description and a URI of its own (without one, its page here is its URI). Unknown fields are refused.',
});

export const frameworkDetailSchema = z
  .object({
    slug: z.string(),
    version: z.int().describe('Counts its changes; its ETag.'),
    archived: z.boolean().describe('An archived framework is no longer offered; what names its competences still resolves.'),
    page: z.url().describe('Its public page (`/frameworks/{slug}`), each competence under it.'),
    definition: frameworkInput,
  })
  .meta({ id: 'FrameworkDetail' });

export const frameworkListSchema = z.object({ items: z.array(frameworkDetailSchema) }).meta({ id: 'FrameworkList' });

export const EXAMPLE_FRAMEWORK = {
  slug: 'carer-plus-framework',
  shortName: 'CARER+',
  name: { en: 'CARER+ competence framework', it: 'Quadro delle competenze CARER+' },
  publisher: 'CARER+ partnership',
  version: '1.0',
  competences: [
    { code: 'DC1', name: { en: 'Communicating with families through digital tools', it: 'Comunicare con le famiglie con strumenti digitali' } },
    { code: 'DC2', name: { en: 'Keeping care records online', it: 'Tenere la documentazione di cura online' } },
  ],
};
