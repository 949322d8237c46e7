import { z } from 'zod';

/**
 * A badge class is the data file a training provider's catalog is made of. It carries what an
 * Open Badges 3.0 `Achievement` needs (OB 3.0 §B.1.2) plus what our users need: translations,
 * competence alignments, a proficiency level and a default validity period.
 *
 * This schema is the single source of truth: `schemas/badge-class.schema.json` is generated
 * from it (`npm run schemas:generate`) and a test fails when the two drift.
 */

/** The languages the service speaks; `en` is always present and is the fallback. */
export const SUPPORTED_LANGUAGES = ['en', 'it', 'lt', 'ro', 'fr', 'es', 'de'] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];
export const languageSchema = z.enum(SUPPORTED_LANGUAGES);

const nonBlank = z.string().trim().min(1);

/** A language map: `{ "en": "...", "it": "..." }`, English required. */
export const languageMapSchema = z
  .object({
    en: nonBlank,
    it: nonBlank.optional(),
    lt: nonBlank.optional(),
    ro: nonBlank.optional(),
    fr: nonBlank.optional(),
    es: nonBlank.optional(),
    de: nonBlank.optional(),
  })
  .strict()
  .describe('Text per language (BCP 47 primary tag); "en" is required and is the fallback.');
export type LanguageMap = z.infer<typeof languageMapSchema>;

const httpsUrl = z.url({ protocol: /^https?$/ });

/** WCAG 2.x contrast ratio of a `#rrggbb` colour against white. */
export function contrastWithWhite(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
  return 1.05 / (luminance + 0.05);
}

/** OB 3.0 §B.1.6 AlignmentTargetType, or an extension term `ext:Name`. */
const ALIGNMENT_TARGET_TYPES = [
  'ceasn:Competency',
  'ceterms:Credential',
  'CFItem',
  'CFRubric',
  'CFRubricCriterion',
  'CFRubricCriterionLevel',
  'CTDL',
] as const;
const extensionTerm = z.string().regex(/^ext:[a-zA-Z0-9.\-_]+$/, 'must be an extension term such as "ext:Skill"');

export const alignmentSchema = z
  .object({
    targetFramework: nonBlank.describe('Name of the framework, e.g. "DigComp 2.2".'),
    targetCode: nonBlank.optional().describe('The identifier of the competence inside its framework, e.g. "2.1".'),
    targetName: languageMapSchema.describe('Name of the competence.'),
    targetDescription: languageMapSchema.optional(),
    targetUrl: httpsUrl.describe('Where the competence is published.'),
    targetType: z.union([z.enum(ALIGNMENT_TARGET_TYPES), extensionTerm]).optional(),
  })
  .strict();
export type Alignment = z.infer<typeof alignmentSchema>;

/** OB 3.0 §B.1.3 AchievementType, or an extension term. */
const ACHIEVEMENT_TYPES = [
  'Achievement', 'ApprenticeshipCertificate', 'Assessment', 'Assignment', 'AssociateDegree', 'Award',
  'Badge', 'BachelorDegree', 'Certificate', 'CertificateOfCompletion', 'Certification', 'CommunityService',
  'Competency', 'Course', 'CoCurricular', 'Degree', 'Diploma', 'DoctoralDegree', 'Fieldwork',
  'GeneralEducationDevelopment', 'JourneymanCertificate', 'LearningProgram', 'License', 'Membership',
  'ProfessionalDoctorate', 'QualityAssuranceCredential', 'MasterCertificate', 'MasterDegree',
  'MicroCredential', 'ResearchDoctorate', 'SecondarySchoolDiploma',
] as const;

/** ISO 8601 duration in years, months, weeks and days (e.g. "P3Y", "P18M", "P1Y6M"). */
export const validityPeriodSchema = z
  .string()
  .regex(/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$/, 'must be an ISO 8601 duration of years, months, weeks or days, e.g. "P3Y"');

/** How a badge that expires is renewed, and when its learner and organisation are reminded. */
export const RENEWAL_METHODS = ['reassessment', 'continuing-development'] as const;
export const renewalSchema = z
  .object({
    method: z.enum(RENEWAL_METHODS).describe('"reassessment": the learner takes the assessment again; "continuing-development": the learner shows continuing professional development.'),
    remindBefore: z
      .array(validityPeriodSchema)
      .min(1)
      .max(4)
      .optional()
      .describe('How long before the badge expires its learner and organisation are reminded (default ["P60D", "P14D"]).'),
  })
  .strict();

/** The standard elements of a micro-credential (micro-credential.ts). */
export const ASSESSMENT_TYPES = ['practical', 'written', 'oral', 'observation', 'portfolio', 'project', 'self-assessment'] as const;
export const PARTICIPATION_FORMS = ['online', 'onsite', 'blended'] as const;
/** Annex I: unsupervised with no identity verification, supervised with no identity verification, supervised online or onsite with identity verification. */
export const IDENTITY_VERIFICATIONS = ['unsupervised', 'supervised', 'supervised-online-with-identity-check', 'supervised-onsite-with-identity-check'] as const;

export type AssessmentType = (typeof ASSESSMENT_TYPES)[number];
export type ParticipationForm = (typeof PARTICIPATION_FORMS)[number];
export type IdentityVerification = (typeof IDENTITY_VERIFICATIONS)[number];

export const microCredentialSchema = z
  .object({
    learningOutcomes: z.array(languageMapSchema).min(1).max(20).describe('What the learner knows, understands and is able to do: one statement each.'),
    workload: z
      .object({
        hours: z.number().positive().max(10_000).describe('Notional hours of learning.'),
        ects: z.number().positive().max(240).optional().describe('ECTS credits, where they apply.'),
      })
      .strict(),
    eqfLevel: z.number().int().min(1).max(8).optional().describe('The level of the European Qualifications Framework, where one applies.'),
    nqf: z
      .object({
        country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as "IT"'),
        level: nonBlank.max(40),
      })
      .strict()
      .optional()
      .describe('The level in a national qualifications framework, where one is given.'),
    assessment: z
      .object({
        types: z.array(z.enum(ASSESSMENT_TYPES)).min(1).max(ASSESSMENT_TYPES.length),
        description: languageMapSchema.optional(),
      })
      .strict(),
    participation: z.enum(PARTICIPATION_FORMS).describe('The form of participation in the learning activity.'),
    qualityAssurance: languageMapSchema.describe('The type of quality assurance that underpins the micro-credential.'),
    prerequisites: languageMapSchema.optional(),
    identityVerification: z.enum(IDENTITY_VERIFICATIONS).optional().describe('Supervision and identity verification during assessment.'),
    stackability: z
      .object({
        stackable: z.boolean().describe('false: a stand-alone micro-credential; true: it can be stacked towards another credential.'),
        towards: languageMapSchema.optional().describe('What it stacks towards, e.g. a qualification or a capstone badge.'),
      })
      .strict()
      .optional(),
  })
  .strict();

export type MicroCredential = z.infer<typeof microCredentialSchema>;

export const proficiencyLevelSchema = z
  .object({
    framework: nonBlank.optional().describe('The framework whose level scale is used, e.g. "DigComp 2.2".'),
    code: nonBlank.optional().describe('The level inside that scale, e.g. "4".'),
    name: languageMapSchema.describe('The level as learners read it, e.g. "Intermediate".'),
  })
  .strict();

export const badgeClassSchema = z
  .object({
    $schema: z.string().optional().describe('Path of the JSON Schema, for editors.'),
    slug: z
      .string()
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case words joined by hyphens')
      .max(80)
      .describe('Stable identifier; part of the Achievement URL. Never change it once badges are issued.'),
    version: nonBlank.describe('Version of this badge class, e.g. "1.0".'),
    achievementType: z.union([z.enum(ACHIEVEMENT_TYPES), extensionTerm]),
    name: languageMapSchema,
    description: languageMapSchema,
    criteria: z
      .object({
        narrative: languageMapSchema.describe('What a learner does to earn the badge (Markdown).'),
        url: httpsUrl.optional().describe('A page describing the criteria.'),
      })
      .strict(),
    image: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.\-_]*\.(svg|png)$/, 'must be the file name of an SVG or PNG beside the badge class file')
      .optional()
      .describe('Image file beside the badge class file; when absent the image is rendered from the built-in design.'),
    imageCaption: languageMapSchema.optional(),
    alignments: z.array(alignmentSchema).min(1).describe('The competences the badge certifies.'),
    proficiencyLevel: proficiencyLevelSchema,
    validityPeriod: validityPeriodSchema.optional().describe('Default time a badge stays valid after issue.'),
    renewal: renewalSchema.optional().describe('How a badge that expires is renewed, and when its learner and organisation are reminded before.'),
    tags: z.array(nonBlank).default([]),
    creditsAvailable: z.number().positive().optional().describe('Credits (e.g. ECVET/ECTS points) a learner earns.'),
    microCredential: microCredentialSchema.optional().describe('The standard elements of the EU Council Recommendation on micro-credentials (2022), shown on the pages and in the credential, and exported to Europass.'),
    fieldOfStudy: nonBlank.optional(),
    humanCode: nonBlank.optional().describe('A short code people use for the badge, e.g. "CARER-DC-2".'),
    design: z
      .object({
        colour: z
          .string()
          .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour such as "#00796b"')
          .refine((c) => contrastWithWhite(c) >= 4.5, 'must be dark enough for white text (a contrast of at least 4.5:1)')
          .optional()
          .describe('The background of the built-in design; white text is drawn on it.'),
        label: nonBlank.max(18).optional().describe('A short label at the top of the built-in design, e.g. the programme: "CARER+".'),
      })
      .strict()
      .optional()
      .describe('How the built-in design draws the badge, in each language, when there is no image.'),
    creator: z
      .object({ name: nonBlank, url: httpsUrl.optional() })
      .strict()
      .optional()
      .describe('The programme or project that designed the badge, when it is not the issuer.'),
  })
  .strict();

/**
 * A badge class as the API takes it: the definition of a badge class file, without the file's own
 * fields (`$schema`, the image's file name). `version` may be sent back as read; the service sets it.
 */
export const badgeClassInputSchema = badgeClassSchema.omit({ $schema: true, image: true }).extend({
  version: z.string().optional().describe('Set by the service to the new version\'s number; what is sent is not kept.'),
});

/**
 * An alignment may also be written as a competence of a framework the instance knows (`GET /frameworks`):
 * `{ "framework": "digcomp-2.2", "code": "2.1" }`. It is replaced by the full alignment the framework
 * gives (frameworks/references.ts) before the badge class is checked and stored.
 */
export const competenceReferenceSchema = z
  .object({
    framework: z.string().regex(/^[a-z0-9]+(?:[.-][a-z0-9]+)*$/).describe('A framework the instance knows (`GET /frameworks`), e.g. "digcomp-2.2".'),
    code: z.string().min(1).max(64).describe('The competence\'s code in it, e.g. "2.1".'),
  })
  .strict()
  .meta({ id: 'CompetenceReference' });
const writtenAlignments = z
  .array(z.union([alignmentSchema, competenceReferenceSchema]))
  .min(1)
  .describe('The competences the badge certifies: each an alignment, or a known framework\'s competence by its code.');

/** A badge class file as written (its JSON Schema is generated from this): alignments may name framework competences. */
export const badgeClassFileSchema = badgeClassSchema.extend({ alignments: writtenAlignments });
/** The API's badge class as sent, for its documentation: alignments may name framework competences. */
export const badgeClassWrittenInputSchema = badgeClassInputSchema.extend({ alignments: writtenAlignments });

export type BadgeClassInput = z.input<typeof badgeClassSchema>;
export type BadgeClass = z.infer<typeof badgeClassSchema>;
