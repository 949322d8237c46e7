import { SUPPORTED_LANGUAGES, type Language } from '../badge-classes/schema.js';
import { html, type HtmlValue, type SafeHtml } from './html.js';
import type { CheckId, CheckStatus, ReasonCode } from '../verify/report.js';
import { de } from './messages/de.js';
import { en, type Messages } from './messages/en.js';
import { es } from './messages/es.js';
import { fr } from './messages/fr.js';
import { it } from './messages/it.js';
import { lt } from './messages/lt.js';
import { ro } from './messages/ro.js';

export type { Messages };

/** Every UI string of the pages, per language; `Messages` makes each language carry every key. */
export const MESSAGES: Record<Language, Messages> = { en, it, lt, ro, fr, es, de };

/** Each language named in itself, for the switcher. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  it: 'Italiano',
  lt: 'Lietuvių',
  ro: 'Română',
  fr: 'Français',
  es: 'Español',
  de: 'Deutsch',
};

const isLanguage = (tag: string): tag is Language => (SUPPORTED_LANGUAGES as readonly string[]).includes(tag);
const primarySubtag = (tag: string): string => tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';

/**
 * The page language: a supported `?lang=` wins; otherwise the Accept-Language entry with the
 * highest q-value whose primary subtag we speak (RFC 9110 §12.5.4; "de-AT" counts as "de");
 * otherwise English.
 */
export function negotiateLanguage(query: unknown, acceptLanguage: string | undefined): Language {
  const fromQuery = queryLanguage(query);
  if (fromQuery) return fromQuery;

  const ranges = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p)?.[1]).find((v) => v !== undefined);
      return { lang: primarySubtag(tag), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.lang !== '' && Number.isFinite(r.q) && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranges.map((r) => r.lang).find(isLanguage) ?? 'en';
}

/** The language a `?lang=` query names, when it is one we speak. */
export function queryLanguage(query: unknown): Language | undefined {
  let value = query;
  if (typeof query === 'object' && query !== null && !Array.isArray(query)) value = (query as Record<string, unknown>).lang;
  if (Array.isArray(value)) value = value[0];
  if (typeof value !== 'string') return undefined;
  const lang = primarySubtag(value);
  return isLanguage(lang) ? lang : undefined;
}

/** English dates read day-month-year ("23 November 2026"), as across Europe. */
const LOCALES: Record<Language, string> = { en: 'en-GB', it: 'it-IT', lt: 'lt-LT', ro: 'ro-RO', fr: 'fr-FR', es: 'es-ES', de: 'de-DE' };

/** A date-time shown as the date only, in UTC (what the credential says), or undefined when unreadable. */
/** One formatter per language: making an Intl.DateTimeFormat costs far more than using one. */
const DATE_FORMATS = new Map<Language, Intl.DateTimeFormat>();

export function formatDate(value: unknown, lang: Language): string | undefined {
  if (typeof value !== 'string' && !(value instanceof Date)) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return undefined;
  let format = DATE_FORMATS.get(lang);
  if (!format) DATE_FORMATS.set(lang, (format = new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'long', timeZone: 'UTC' })));
  return format.format(date);
}

/** Fills `{name}` placeholders; an unknown placeholder stays visible rather than vanishing. */
export function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole));
}

/**
 * The plain-language sentence for one check result. A failed status check says "Revoked" unless its
 * reason code says the credential is suspended, which is not final.
 */
export const checkText = (messages: Messages, id: CheckId, status: CheckStatus, code?: ReasonCode): string =>
  id === 'status' && status === 'failed' && code === 'suspended' ? messages.checkSuspended : messages.checks[id][status];

/** OB 3.0 AchievementType as a word: translated when known, else "MicroCredential" → "Micro Credential". */
export function achievementTypeLabel(messages: Messages, type: string): string {
  const known = messages.achievementTypes as Record<string, string | undefined>;
  return known[type] ?? type.replace(/^ext:/, '').replace(/([a-z])([A-Z])/g, '$1 $2');
}

/** Like `fill`, for markup: the template is escaped, the values are rendered as given (escaped unless SafeHtml). */
export function fillHtml(template: string, params: Record<string, HtmlValue>): SafeHtml {
  const parts = template.split(/\{(\w+)\}/);
  // split with a capture group alternates text, key, text, key, ...
  return html`${parts.map((part, i) => (i % 2 === 0 ? part : part in params ? html`${params[part]}` : `{${part}}`))}`;
}
