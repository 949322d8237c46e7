import { z } from 'zod';
import { SUPPORTED_LANGUAGES, type Language } from '../badge-classes/schema.js';

/**
 * What an organisation says about itself: the parts of its OB 3.0 issuer `Profile` (§B.2.6). Names and
 * descriptions may be given per language; a credential carries them in the award's language.
 */
const nonBlank = (max: number) => z.string().trim().min(1).max(max);
const httpUrl = z.url({ protocol: /^https?$/ }).max(2048);

/** Text in some of the service's languages: `{ "en": "…", "it": "…" }` (any one is enough). */
export const localisedSchema = (max: number) =>
  z
    .partialRecord(z.enum(SUPPORTED_LANGUAGES), nonBlank(max))
    .refine((m) => Object.keys(m).length > 0, 'needs the text in at least one language');
export type Localised = Partial<Record<Language, string>>;

/** OB 3.0 IdentifierTypeEnum, or an extension term (`ext:VetRegister`). */
const IDENTIFIER_TYPES = [
  'name',
  'sourcedId',
  'systemId',
  'productId',
  'userName',
  'accountId',
  'emailAddress',
  'nationalIdentityNumber',
  'isbn',
  'issn',
  'lisSourcedId',
  'oneRosterSourcedId',
  'sisSourcedId',
  'ltiContextId',
  'ltiDeploymentId',
  'ltiToolId',
  'ltiPlatformId',
  'ltiUserId',
  'identifier',
] as const;
const identifierType = z.union([z.enum(IDENTIFIER_TYPES), z.string().regex(/^ext:[a-zA-Z0-9.\-_]+$/, 'must be an identifier type of OB 3.0 or an extension term such as "ext:VetRegister"')]);

export const addressSchema = z
  .object({
    streetAddress: nonBlank(300).optional(),
    postOfficeBoxNumber: nonBlank(50).optional(),
    postalCode: nonBlank(30).optional(),
    addressLocality: nonBlank(200).optional(),
    addressRegion: nonBlank(200).optional(),
    addressCountry: nonBlank(100).optional(),
    addressCountryCode: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as "IT"').optional(),
  })
  .strict()
  .refine((a) => Object.keys(a).length > 0, 'must not be empty');

export const profileSchema = z
  .object({
    name: localisedSchema(200).optional().describe('The name per language, where it differs from "name".'),
    description: localisedSchema(2000).optional(),
    url: httpUrl.optional().describe("The organisation's web site."),
    email: z.email().max(320).optional().describe('A contact address for learners and employers.'),
    phone: nonBlank(50).optional(),
    image: httpUrl.optional().describe('A logo.'),
    address: addressSchema.optional(),
    otherIdentifier: z
      .array(z.object({ identifier: nonBlank(200), identifierType }).strict())
      .max(10)
      .optional()
      .describe('Official identifiers, e.g. a national VET register number.'),
  })
  .strict();
export type OrganisationProfile = z.infer<typeof profileSchema>;

/** A slug names the organisation in its DID and addresses: lower-case letters, digits and hyphens. */
export const slugSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$/, 'must be 1–50 lower-case letters, digits or hyphens, starting and ending with a letter or digit');

/** A slug made from a name: "Casa di Cura Roma" → "casa-di-cura-roma". */
export function slugFrom(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/, '');
  return slug || 'organisation';
}

/** OB 3.0 §B.2.6 Profile, as embedded in credentials as their `issuer`. */
export type IssuerProfile = {
  id: string;
  type: ['Profile'];
  name: string;
  url?: string;
  phone?: string;
  description?: string;
  image?: { id: string; type: 'Image' };
  email?: string;
  address?: Record<string, unknown>;
  otherIdentifier?: Array<{ type: 'IdentifierEntry'; identifier: string; identifierType: string }>;
};

export const inLanguage = (map: Localised | undefined, lang: Language): string | undefined => map?.[lang] ?? map?.en ?? (map ? Object.values(map)[0] : undefined);

/** The issuer Profile in one language; `name` is the organisation's default name. */
export function issuerProfile(id: string, name: string, profile: OrganisationProfile, lang: Language): IssuerProfile {
  const description = inLanguage(profile.description, lang);
  return {
    id,
    type: ['Profile'],
    name: inLanguage(profile.name, lang) ?? name,
    ...(profile.url ? { url: profile.url } : {}),
    ...(profile.phone ? { phone: profile.phone } : {}),
    ...(description ? { description } : {}),
    ...(profile.image ? { image: { id: profile.image, type: 'Image' as const } } : {}),
    ...(profile.email ? { email: profile.email } : {}),
    ...(profile.address ? { address: { type: ['Address'], ...profile.address } } : {}),
    ...(profile.otherIdentifier?.length ? { otherIdentifier: profile.otherIdentifier.map((o) => ({ type: 'IdentifierEntry' as const, ...o })) } : {}),
  };
}

/** An organisation's default name: shown where no language's name is given, and in lists. */
export const organisationNameSchema = nonBlank(200);

/** The whole of what an owner edits: the default name and the profile. */
export const organisationSettingsSchema = z.object({ name: organisationNameSchema, profile: profileSchema }).strict();
export type OrganisationSettings = z.infer<typeof organisationSettingsSchema>;

/**
 * A change to the profile through the API: each field given replaces the stored one whole (a map of
 * languages, the address, the identifiers), `null` removes it, and fields not given stay as they are.
 */
export const profilePatchSchema = z
  .object({
    name: organisationNameSchema.optional().describe('The default name, shown where no language\'s name is given.'),
    profile: z
      .object({
        name: localisedSchema(200).nullable().optional(),
        description: localisedSchema(2000).nullable().optional(),
        url: httpUrl.nullable().optional(),
        email: z.email().max(320).nullable().optional(),
        phone: nonBlank(50).nullable().optional(),
        image: httpUrl.nullable().optional(),
        address: addressSchema.nullable().optional(),
        otherIdentifier: profileSchema.shape.otherIdentifier.unwrap().nullable().optional(),
      })
      .strict()
      .optional()
      .describe('Fields of the issuer Profile; `null` removes one.'),
  })
  .strict()
  .refine((p) => p.name !== undefined || (p.profile !== undefined && Object.keys(p.profile).length > 0), 'give "name" or at least one field of "profile"');
export type ProfilePatch = z.infer<typeof profilePatchSchema>;

/** The settings a patch leads to. */
export function applyProfilePatch(current: OrganisationSettings, patch: ProfilePatch): OrganisationSettings {
  const profile: Record<string, unknown> = { ...current.profile };
  for (const [key, value] of Object.entries(patch.profile ?? {})) {
    if (value === null) delete profile[key];
    else if (value !== undefined) profile[key] = value;
  }
  return { name: patch.name ?? current.name, profile: profile as OrganisationProfile };
}

/** Which parts changed, by name (`name`, `profile.url`, …): what the audit log records, never the values. */
export function changedSettings(before: OrganisationSettings, after: OrganisationSettings): string[] {
  const keys = new Set([...Object.keys(before.profile), ...Object.keys(after.profile)]);
  const changed = [...keys].filter((k) => JSON.stringify(before.profile[k as keyof OrganisationProfile]) !== JSON.stringify(after.profile[k as keyof OrganisationProfile])).sort();
  return [...(before.name !== after.name ? ['name'] : []), ...changed.map((k) => `profile.${k}`)];
}
