import type { Language } from '../badge-classes/schema.js';
import { readCredential } from '../pages/credential-view.js';

/**
 * The Europass export: an award as a European Digital Credential of the European Learning Model
 * (ELM 3, its EDC application profile), built from the stored, signed OB 3.0 credential, so it says
 * what the badge says and nothing more: the learner, the learning achievement with its awarding
 * process (the issuer, the original award date), its specification (title, description, the
 * micro-credential elements: learning outcomes, workload, ECTS, EQF level, entry requirements, and the
 * others as notes), the badge image as its display, and a link back to the verifiable Open Badge.
 *
 * Concepts come from the EU's controlled vocabularies (credential type, languages, countries, EQF,
 * credit systems, encodings, file types). It is not sealed: Europass takes it as an upload; the signed
 * Open Badge stays the credential anyone verifies.
 */

export const ELM_CONTEXT = 'http://data.europa.eu/snb/model/context/edc-ap';
const VC_V1 = 'https://www.w3.org/2018/credentials/v1';

type Json = Record<string, unknown>;

interface ConceptRef {
  id: string;
  scheme: string;
  label: Partial<Record<Language, string>> & { en: string };
  notation?: string;
}

const concept = ({ id, scheme, label, notation }: ConceptRef): Json => ({
  id,
  type: 'Concept',
  inScheme: { id: scheme, type: 'ConceptScheme' },
  prefLabel: label,
  ...(notation ? { notation } : {}),
});

/** EU credential type vocabulary: the generic profile. */
const GENERIC_PROFILE: ConceptRef = { id: 'http://data.europa.eu/snb/credential/e34929035b', scheme: 'http://data.europa.eu/snb/credential/25831c2', label: { en: 'Generic' } };
const ECTS: ConceptRef = { id: 'http://data.europa.eu/snb/education-credit/6fcec5c5af', scheme: 'http://data.europa.eu/snb/education-credit/25831c2', label: { en: 'European Credit Transfer System' } };
const BASE64: ConceptRef = { id: 'http://data.europa.eu/snb/encoding/6146cde7dd', scheme: 'http://data.europa.eu/snb/encoding/25831c2', label: { en: 'base64' } };
const PNG: ConceptRef = { id: 'http://publications.europa.eu/resource/authority/file-type/PNG', scheme: 'http://publications.europa.eu/resource/authority/file-type', label: { en: 'PNG' }, notation: 'PNG' };

/** The service's languages in the EU language authority table (ISO 639-2/B codes). */
const LANGUAGES: Record<Language, { code: string; name: string }> = {
  en: { code: 'ENG', name: 'English' },
  it: { code: 'ITA', name: 'Italian' },
  lt: { code: 'LIT', name: 'Lithuanian' },
  ro: { code: 'RON', name: 'Romanian' },
  fr: { code: 'FRA', name: 'French' },
  es: { code: 'SPA', name: 'Spanish' },
  de: { code: 'DEU', name: 'German' },
};
const languageConcept = (lang: Language): Json =>
  concept({ id: `http://publications.europa.eu/resource/authority/language/${LANGUAGES[lang].code}`, scheme: 'http://publications.europa.eu/resource/authority/language', label: { en: LANGUAGES[lang].name }, notation: LANGUAGES[lang].code.toLowerCase() });

/** ISO 3166-1 alpha-2 → the EU country authority table's code (alpha-3), for Europe and its neighbours. */
const COUNTRIES: Record<string, [string, string]> = {
  AT: ['AUT', 'Austria'], BE: ['BEL', 'Belgium'], BG: ['BGR', 'Bulgaria'], HR: ['HRV', 'Croatia'], CY: ['CYP', 'Cyprus'],
  CZ: ['CZE', 'Czechia'], DK: ['DNK', 'Denmark'], EE: ['EST', 'Estonia'], FI: ['FIN', 'Finland'], FR: ['FRA', 'France'],
  DE: ['DEU', 'Germany'], GR: ['GRC', 'Greece'], HU: ['HUN', 'Hungary'], IE: ['IRL', 'Ireland'], IT: ['ITA', 'Italy'],
  LV: ['LVA', 'Latvia'], LT: ['LTU', 'Lithuania'], LU: ['LUX', 'Luxembourg'], MT: ['MLT', 'Malta'], NL: ['NLD', 'Netherlands'],
  PL: ['POL', 'Poland'], PT: ['PRT', 'Portugal'], RO: ['ROU', 'Romania'], SK: ['SVK', 'Slovakia'], SI: ['SVN', 'Slovenia'],
  ES: ['ESP', 'Spain'], SE: ['SWE', 'Sweden'], IS: ['ISL', 'Iceland'], LI: ['LIE', 'Liechtenstein'], NO: ['NOR', 'Norway'],
  CH: ['CHE', 'Switzerland'], GB: ['GBR', 'United Kingdom'], AL: ['ALB', 'Albania'], BA: ['BIH', 'Bosnia and Herzegovina'],
  ME: ['MNE', 'Montenegro'], MK: ['MKD', 'North Macedonia'], RS: ['SRB', 'Serbia'], TR: ['TUR', 'Türkiye'], UA: ['UKR', 'Ukraine'],
  MD: ['MDA', 'Moldova'], GE: ['GEO', 'Georgia'], XK: ['XKX', 'Kosovo'],
};
export const europassCountry = (alpha2: string): [string, string] | undefined => COUNTRIES[alpha2];
const countryConcept = (alpha2: string): Json => {
  const [code, name] = COUNTRIES[alpha2]!;
  return concept({ id: `http://publications.europa.eu/resource/authority/country/${code}`, scheme: 'http://publications.europa.eu/resource/authority/country', label: { en: name }, notation: code });
};

/** What the issuer's record adds that the credential does not carry: where it is, and its legal identifier. */
export interface ElmIssuer {
  /** ISO 3166-1 alpha-2, one of `europassCountry`'s. */
  country: string;
  legalIdentifier: string;
}

export interface ElmInput {
  /** The stored, signed OB 3.0 credential. */
  credential: Json;
  /** Its short id and its public URL. */
  id: string;
  url: string;
  issuer: ElmIssuer;
  /** The badge image (PNG) shown as the credential's display. */
  image: Buffer;
}

/** Hours as an ISO 8601 duration: 8 → "PT8H", 1.5 → "PT1H30M". */
export function hoursToDuration(hours: number): string {
  const minutes = Math.round(hours * 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `PT${h ? `${h}H` : ''}${m || !h ? `${m}M` : ''}`;
}

const isLanguage = (v: string | undefined): v is Language => v !== undefined && v in LANGUAGES;

/** The European Digital Credential of one award. */
export function buildElmCredential({ credential, id, url, issuer, image }: ElmInput): Json {
  const view = readCredential(credential);
  const lang: Language = isLanguage(view.language) ? view.language : 'en';
  const text = (value: string) => ({ [lang]: value });
  const note = (suffix: string, value: string): Json => ({ id: `${url}/elm.json#${suffix}`, type: 'Note', noteLiteral: text(value) });
  const subject = (credential.credentialSubject ?? {}) as Json;
  const issuerProfile = (credential.issuer ?? {}) as Json;
  const issuerId = String(issuerProfile.id);
  const title = view.achievementName ?? String(credential.name ?? '');
  const mc = view.microCredential;
  const achievementId = String(((subject.achievement ?? {}) as Json).id ?? `${url}#achievement`);
  const awarded = typeof credential.awardedDate === 'string' ? credential.awardedDate : String(credential.validFrom);

  const notes: Json[] = mc
    ? [
        ...(mc.assessmentDescription ? [note('assessment', mc.assessmentDescription)] : []),
        ...(mc.qualityAssurance ? [note('quality-assurance', mc.qualityAssurance)] : []),
      ]
    : [];

  const specification: Json = {
    id: achievementId,
    type: 'LearningAchievementSpecification',
    title: text(title),
    ...(view.description ? { description: text(view.description) } : {}),
    ...(mc?.learningOutcomes.length
      ? { learningOutcome: mc.learningOutcomes.map((outcome, i) => ({ id: `${url}/elm.json#learning-outcome-${i + 1}`, type: 'LearningOutcome', title: text(outcome) })) }
      : {}),
    ...(mc?.workloadHours !== undefined ? { volumeOfLearning: hoursToDuration(mc.workloadHours) } : {}),
    ...(mc?.ectsCredits !== undefined ? { creditPoint: [{ id: `${url}/elm.json#ects`, type: 'CreditPoint', framework: concept(ECTS), point: String(mc.ectsCredits) }] } : {}),
    ...(mc?.eqfLevel !== undefined
      ? { eqfLevel: concept({ id: `http://data.europa.eu/snb/eqf/${mc.eqfLevel}`, scheme: 'http://data.europa.eu/snb/eqf/25831c2', label: { en: `Level ${mc.eqfLevel}` }, notation: String(mc.eqfLevel) }) }
      : {}),
    ...(mc?.prerequisites ? { entryRequirement: note('entry-requirement', mc.prerequisites) } : {}),
    language: [languageConcept(lang)],
    ...(notes.length ? { additionalNote: notes } : {}),
  };

  const location = { id: `${url}/elm.json#issuer-location`, type: 'Location', address: [{ id: `${url}/elm.json#issuer-address`, type: 'Address', countryCode: countryConcept(issuer.country) }] };
  const organisation: Json = {
    id: issuerId,
    type: 'Organisation',
    legalName: text(String(issuerProfile.name ?? '')),
    location: [location],
    eIDASIdentifier: { id: `${url}/elm.json#issuer-legal-identifier`, type: 'LegalIdentifier', notation: issuer.legalIdentifier, spatial: countryConcept(issuer.country) },
    ...(typeof issuerProfile.url === 'string' ? { homepage: [{ id: `${url}/elm.json#issuer-homepage`, type: 'WebResource', contentURL: issuerProfile.url }] } : {}),
  };

  return {
    '@context': [VC_V1, ELM_CONTEXT],
    id: `urn:credential:${id}`,
    type: ['VerifiableCredential', 'EuropeanDigitalCredential'],
    credentialSchema: [{ id: 'http://data.europa.eu/snb/model/ap/edc-generic-full', type: 'ShaclValidator2017' }],
    credentialProfiles: [concept(GENERIC_PROFILE)],
    issuer: organisation,
    issuanceDate: credential.validFrom,
    issued: credential.validFrom,
    validFrom: credential.validFrom,
    ...(typeof credential.validUntil === 'string' ? { validUntil: credential.validUntil } : {}),
    credentialSubject: {
      ...(typeof subject.id === 'string' ? { id: subject.id } : {}),
      type: 'Person',
      ...(view.recipientName ? { fullName: text(view.recipientName) } : {}),
      hasClaim: [
        {
          id: `${url}/elm.json#learning-achievement`,
          type: 'LearningAchievement',
          title: text(title),
          awardedBy: { id: `${url}/elm.json#awarding-process`, type: 'AwardingProcess', awardingBody: [issuerId], awardingDate: awarded },
          specifiedBy: specification,
          // The Open Badge it comes from, which anyone can verify.
          supplementaryDocument: [{ id: `${url}/elm.json#open-badge`, type: 'WebResource', title: text('Open Badge 3.0'), contentURL: url }],
        },
      ],
    },
    displayParameter: {
      id: `${url}/elm.json#display`,
      type: 'DisplayParameter',
      title: text(title),
      language: [languageConcept(lang)],
      primaryLanguage: languageConcept(lang),
      individualDisplay: [
        {
          id: `${url}/elm.json#display-${lang}`,
          type: 'IndividualDisplay',
          language: languageConcept(lang),
          displayDetail: [
            {
              id: `${url}/elm.json#display-${lang}-1`,
              type: 'DisplayDetail',
              page: 1,
              image: { id: `${url}/elm.json#badge-image`, type: 'MediaObject', content: image.toString('base64'), contentType: concept(PNG), contentEncoding: concept(BASE64) },
            },
          ],
        },
      ],
    },
  };
}

/**
 * What the Europass export needs of the issuer beyond the credential: its country (a European one, from
 * its address) and a legal identifier (the first of its official identifiers). Without them there is
 * no valid European Digital Credential to give, and the export is not offered.
 */
export function europassIssuer(profile: { address?: { addressCountryCode?: string | undefined } | undefined; otherIdentifier?: Array<{ identifier: string }> | undefined }): ElmIssuer | undefined {
  const country = profile.address?.addressCountryCode;
  const legalIdentifier = profile.otherIdentifier?.[0]?.identifier;
  return country && europassCountry(country) && legalIdentifier ? { country, legalIdentifier } : undefined;
}
