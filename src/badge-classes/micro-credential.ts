import type { Language, MicroCredential } from './schema.js';

export type { MicroCredential };

/**
 * The standard elements of a micro-credential (Council Recommendation of 16 June 2022 on a European
 * approach to micro-credentials, Annex I) that a badge class describes: learning outcomes, notional
 * workload, EQF (and NQF) level, type of assessment, form of participation, type of quality assurance,
 * and the optional prerequisites, supervision and identity verification during assessment, and
 * integration or stackability. The learner, title, issuer's country, awarding body and date of issue
 * are the credential's own.
 *
 * In an OB 3.0 credential they are the Achievement's `microCredential` (a `MicroCredentialDescription`)
 * under an extension context embedded in the credential's `@context` (nothing to fetch), with the ECTS
 * credits also as OB's own `creditsAvailable`; `/vocab/micro-credential` documents each term. The
 * Europass export (credentials/elm.ts) says the same in the European Learning Model.
 */


/** The EU's concept for an EQF level (the ELM's controlled vocabulary). */
export const eqfLevelUri = (level: number): string => `http://data.europa.eu/snb/eqf/${level}`;

/** Where an instance documents the extension's terms. */
export const vocabularyUrl = (publicUrl: string): string => `${publicUrl}/vocab/micro-credential`;

/** The extension's terms, each with its IRI under the instance's documented vocabulary. */
export const MICRO_CREDENTIAL_TERMS = [
  'microCredential',
  'learningOutcome',
  'workloadHours',
  'ectsCredits',
  'eqfLevel',
  'nqfCountry',
  'nqfLevel',
  'assessmentType',
  'assessmentDescription',
  'participationForm',
  'qualityAssurance',
  'prerequisites',
  'identityVerification',
  'stackable',
  'stackableTowards',
] as const;

/** The extension's JSON-LD context, embedded as an object in the credential's `@context`. */
export function microCredentialContext(publicUrl: string): Record<string, unknown> {
  const ns = `${vocabularyUrl(publicUrl)}#`;
  return {
    MicroCredentialDescription: `${ns}MicroCredentialDescription`,
    ...Object.fromEntries(MICRO_CREDENTIAL_TERMS.map((term) => [term, term === 'eqfLevel' ? { '@id': `${ns}${term}`, '@type': '@id' } : `${ns}${term}`])),
  };
}

const inLanguage = (map: Partial<Record<Language, string>>, lang: Language): string => map[lang] ?? map.en!;

/** The Achievement's `microCredential`, in one language. */
export function toMicroCredential(mc: MicroCredential, lang: Language): Record<string, unknown> {
  return {
    type: 'MicroCredentialDescription',
    learningOutcome: mc.learningOutcomes.map((o) => inLanguage(o, lang)),
    workloadHours: mc.workload.hours,
    ...(mc.workload.ects !== undefined ? { ectsCredits: mc.workload.ects } : {}),
    ...(mc.eqfLevel !== undefined ? { eqfLevel: eqfLevelUri(mc.eqfLevel) } : {}),
    ...(mc.nqf ? { nqfCountry: mc.nqf.country, nqfLevel: mc.nqf.level } : {}),
    assessmentType: mc.assessment.types,
    ...(mc.assessment.description ? { assessmentDescription: inLanguage(mc.assessment.description, lang) } : {}),
    participationForm: mc.participation,
    qualityAssurance: inLanguage(mc.qualityAssurance, lang),
    ...(mc.prerequisites ? { prerequisites: inLanguage(mc.prerequisites, lang) } : {}),
    ...(mc.identityVerification ? { identityVerification: mc.identityVerification } : {}),
    ...(mc.stackability ? { stackable: mc.stackability.stackable, ...(mc.stackability.towards ? { stackableTowards: inLanguage(mc.stackability.towards, lang) } : {}) } : {}),
  };
}

/** What each term means, for the vocabulary the instance serves at `vocabularyUrl`. */
const TERM_COMMENTS: Record<(typeof MICRO_CREDENTIAL_TERMS)[number] | 'MicroCredentialDescription', { comment: string; elm?: string }> = {
  MicroCredentialDescription: { comment: 'The standard elements of a micro-credential (Council Recommendation of 16 June 2022, Annex I) that an Achievement states.' },
  microCredential: { comment: 'The Achievement\'s micro-credential elements: a MicroCredentialDescription.' },
  learningOutcome: { comment: 'A learning outcome: what the learner knows, understands and is able to do. One statement per value.', elm: 'learningOutcome' },
  workloadHours: { comment: 'The notional workload needed to achieve the learning outcomes, in hours.', elm: 'volumeOfLearning' },
  ectsCredits: { comment: 'The notional workload in ECTS credits, where they apply.', elm: 'creditPoint' },
  eqfLevel: { comment: 'The level of the European Qualifications Framework: a concept of http://data.europa.eu/snb/eqf/.', elm: 'EQFLevel' },
  nqfCountry: { comment: 'The country (ISO 3166-1 alpha-2) of the national qualifications framework named by nqfLevel.' },
  nqfLevel: { comment: 'The level in that national qualifications framework.', elm: 'NQFLevel' },
  assessmentType: { comment: 'A type of assessment: practical, written, oral, observation, portfolio, project or self-assessment.' },
  assessmentDescription: { comment: 'How the learner is assessed, in words.' },
  participationForm: { comment: 'The form of participation in the learning activity: online, onsite or blended.', elm: 'mode' },
  qualityAssurance: { comment: 'The type of quality assurance used to underpin the micro-credential.' },
  prerequisites: { comment: 'The prerequisites needed to enrol in the learning activity.', elm: 'entryRequirement' },
  identityVerification: { comment: 'Supervision and identity verification during assessment: unsupervised, supervised, supervised-online-with-identity-check or supervised-onsite-with-identity-check.' },
  stackable: { comment: 'false: a stand-alone micro-credential; true: it can be integrated or stacked towards another credential.' },
  stackableTowards: { comment: 'The credential it can be stacked towards.' },
};

/** The vocabulary as JSON-LD (RDFS), each term linked to its nearest European Learning Model property. */
export function microCredentialVocabulary(publicUrl: string): Record<string, unknown> {
  const ns = `${vocabularyUrl(publicUrl)}#`;
  return {
    '@context': { rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#', rdfs: 'http://www.w3.org/2000/01/rdf-schema#', skos: 'http://www.w3.org/2004/02/skos/core#', 'skos:closeMatch': { '@type': '@id' } },
    '@id': vocabularyUrl(publicUrl),
    'rdfs:label': 'Micro-credential elements for Open Badges 3.0',
    'rdfs:comment': 'The standard elements of the Council Recommendation on a European approach to micro-credentials (2022) in an OB 3.0 Achievement. Credentials embed the context that maps these terms, so nothing is fetched to read them.',
    '@graph': Object.entries(TERM_COMMENTS).map(([term, { comment, elm }]) => ({
      '@id': `${ns}${term}`,
      '@type': term === 'MicroCredentialDescription' ? 'rdfs:Class' : 'rdf:Property',
      'rdfs:label': term,
      'rdfs:comment': comment,
      ...(elm ? { 'skos:closeMatch': `http://data.europa.eu/snb/model/elm/${elm}` } : {}),
    })),
  };
}
