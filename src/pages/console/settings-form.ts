import type { z } from 'zod';
import { SUPPORTED_LANGUAGES } from '../../badge-classes/schema.js';
import type { ImageProblem } from '../../badge-classes/image-upload.js';
import { organisationSettingsSchema, type OrganisationProfile, type OrganisationSettings } from '../../organisations/profile.js';
import { fill } from '../i18n.js';
import type { ConsoleMessages } from './i18n.js';

/**
 * The settings form: its fields are named by the profile's own paths (`url`, `name.it`,
 * `address.postalCode`, `otherIdentifier.0.identifier`; `name` is the default name), so each schema
 * problem lands on the field it names, said in the reader's language.
 */
export type SettingsValues = Record<string, string>;

/** Identifier rows shown: the ones there are and two empty ones, up to the schema's ten. */
export const identifierRows = (values: SettingsValues): number =>
  Math.min(10, Math.max(0, ...Object.keys(values).filter((k) => k.startsWith('otherIdentifier.')).map((k) => Number(k.split('.')[1]) + 1)) + 2);

const ADDRESS_FIELDS = ['streetAddress', 'postalCode', 'addressLocality', 'addressRegion', 'addressCountryCode'] as const;

/** The form's values from the stored settings. */
export function formFromSettings({ name, profile }: OrganisationSettings): SettingsValues {
  const values: SettingsValues = { name };
  for (const lang of SUPPORTED_LANGUAGES) {
    if (profile.name?.[lang]) values[`name.${lang}`] = profile.name[lang];
    if (profile.description?.[lang]) values[`description.${lang}`] = profile.description[lang];
  }
  for (const key of ['url', 'email', 'phone'] as const) if (profile[key]) values[key] = profile[key];
  for (const key of ADDRESS_FIELDS) if (profile.address?.[key]) values[`address.${key}`] = profile.address[key];
  profile.otherIdentifier?.forEach((o, i) => {
    values[`otherIdentifier.${i}.identifierType`] = o.identifierType;
    values[`otherIdentifier.${i}.identifier`] = o.identifier;
  });
  return values;
}

/**
 * The settings a submitted form asks for, not yet checked. Empty fields are left out. What the form
 * does not show is kept from `current`: the image (the logo is its own field), a post-office box, and
 * the country's name while its code stays the same.
 */
export function settingsFromForm(values: SettingsValues, current: OrganisationSettings): { name: string; profile: Record<string, unknown> } {
  const v = (name: string) => (values[name] ?? '').trim();
  const perLanguage = (prefix: string) => {
    const map = Object.fromEntries(SUPPORTED_LANGUAGES.filter((l) => v(`${prefix}.${l}`)).map((l) => [l, v(`${prefix}.${l}`)]));
    return Object.keys(map).length ? map : undefined;
  };
  const was = current.profile.address;
  const countryCode = v('address.addressCountryCode');
  const address: Record<string, string> = {
    ...(was?.postOfficeBoxNumber ? { postOfficeBoxNumber: was.postOfficeBoxNumber } : {}),
    ...(was?.addressCountry && (was.addressCountryCode ?? '') === countryCode ? { addressCountry: was.addressCountry } : {}),
  };
  for (const key of ADDRESS_FIELDS) if (v(`address.${key}`)) address[key] = v(`address.${key}`);
  const identifiers = Array.from({ length: 10 }, (_, i) => ({ identifierType: v(`otherIdentifier.${i}.identifierType`), identifier: v(`otherIdentifier.${i}.identifier`) }))
    .filter((o) => o.identifierType || o.identifier)
    // A row with a value but no kind is a plain identifier (OB 3.0 IdentifierTypeEnum "identifier").
    .map((o) => ({ identifier: o.identifier, identifierType: o.identifierType || 'identifier' }));
  const profile: Record<string, unknown> = {};
  const put = (key: keyof OrganisationProfile, value: unknown) => {
    if (value !== undefined && value !== '') profile[key] = value;
  };
  put('name', perLanguage('name'));
  put('description', perLanguage('description'));
  put('url', v('url'));
  put('email', v('email'));
  put('phone', v('phone'));
  put('image', current.profile.image);
  put('address', Object.keys(address).length ? address : undefined);
  put('otherIdentifier', identifiers.length ? identifiers : undefined);
  return { name: v('name'), profile };
}

/** The settings, or the first problem of each field in the reader's words. */
export function checkSettings(candidate: unknown, t: ConsoleMessages): { settings?: OrganisationSettings; errors: Record<string, string> } {
  const parsed = organisationSettingsSchema.safeParse(candidate);
  if (parsed.success) return { settings: parsed.data, errors: {} };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const path = issue.path.map(String);
    // `profile.name.it` is the field `name.it`; the default name is `name`.
    const field = (path[0] === 'profile' ? path.slice(1) : path).join('.') || 'name';
    errors[field] ??= messageOf(issue, field, t);
  }
  return { errors };
}

function messageOf(issue: z.core.$ZodIssue, field: string, t: ConsoleMessages): string {
  if (field.endsWith('addressCountryCode')) return t.settingsInvalidCountry;
  if (field.endsWith('identifierType')) return t.settingsInvalidIdentifierType;
  switch (issue.code) {
    case 'invalid_type':
      return t.required;
    case 'too_small':
      return t.required;
    case 'too_big':
      return fill(t.settingsTooLong, { max: String(issue.maximum) });
    case 'invalid_format':
      if (issue.format === 'email') return t.invalidEmail;
      if (issue.format === 'url') return t.settingsInvalidUrl;
      return t.settingsInvalid;
    default:
      return t.settingsInvalid;
  }
}

/** Why a logo was refused, in the reader's words. */
export function logoProblemText(problem: ImageProblem, t: ConsoleMessages, maxBytes: number): string {
  switch (problem) {
    case 'too_large':
      return fill(t.logoTooLarge, { size: `${Math.round(maxBytes / 1024)} KB` });
    case 'png_size':
    case 'png_shape':
      return t.logoSize;
    case 'svg_unsafe':
      return t.logoUnsafe;
    default:
      return t.logoNotImage;
  }
}
