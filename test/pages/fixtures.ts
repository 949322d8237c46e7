import { verdictOf, type Check, type CheckId, type CheckStatus, type ReasonCode, type VerificationReport } from '../../src/verify/report.js';
import type { CredentialPageModel } from '../../src/pages/credential-page.js';

/**
 * A credential shaped as `buildCredential` issues it (OB 3.0 §B.1.1), for a care-sector badge aligned
 * to DigComp 2.2 and ESCO; proof omitted, as the pages never read it.
 */
export const PUBLIC_URL = 'https://badges.example.org';
export const CREDENTIAL_ID = `${PUBLIC_URL}/credentials/0b6a3e4c-5d3f-4a52-9a1e-2f6f7c1d8e90`;
export const ACHIEVEMENT_ID = `${PUBLIC_URL}/achievements/digital-care-records`;
export const NOW = new Date('2026-03-10T12:00:00Z');

export const ALIGNMENTS = [
  {
    type: ['Alignment'],
    targetFramework: 'DigComp 2.2',
    targetCode: '2.1',
    targetName: 'Interacting through digital technologies',
    targetUrl: 'https://joint-research-centre.ec.europa.eu/digcomp/digcomp-framework_en',
    targetType: 'ext:Competence',
  },
  {
    type: ['Alignment'],
    targetFramework: 'DigComp 2.2',
    targetCode: '4.2',
    targetName: 'Protecting personal data and privacy',
    targetUrl: 'https://joint-research-centre.ec.europa.eu/digcomp/digcomp-framework_en#4.2',
  },
  {
    type: ['Alignment'],
    targetFramework: 'ESCO',
    targetName: 'maintain records of care provided',
    targetUrl: 'https://esco.ec.europa.eu/en/classification/skill?uri=http%3A%2F%2Fdata.europa.eu%2Fesco%2Fskill%2Fabc',
  },
] as const;

export function sampleCredential(): Record<string, unknown> {
  return {
    '@context': [
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json',
    ],
    id: CREDENTIAL_ID,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: {
      id: 'did:web:badges.example.org',
      type: ['Profile'],
      name: 'Care Skills Academy',
      url: 'https://care-academy.example.eu',
    },
    validFrom: '2025-11-23T09:30:00Z',
    validUntil: '2028-11-23T09:30:00Z',
    awardedDate: '2025-11-23T09:30:00Z',
    name: 'Digital care records',
    credentialSubject: {
      type: ['AchievementSubject'],
      identifier: [
        { type: 'IdentityObject', hashed: true, identityHash: 'sha256$00', identityType: 'emailAddress', salt: 'ab' },
      ],
      name: 'Maria Rossi',
      achievement: {
        id: ACHIEVEMENT_ID,
        type: ['Achievement'],
        achievementType: 'MicroCredential',
        name: 'Digital care records',
        description: 'Keeps accurate, private digital records of the care given to older people at home.',
        criteria: {
          narrative:
            'The learner completed the 12-hour course and showed, in a supervised session, that they can:\n\n- record a care visit in the digital care plan\n- share an update with the family through the secure messenger\n- protect the personal data of the person cared for',
        },
        image: { id: `${ACHIEVEMENT_ID}/image.png`, type: 'Image' },
        alignment: ALIGNMENTS,
        resultDescription: [
          {
            id: `${ACHIEVEMENT_ID}#proficiency-level`,
            type: ['ResultDescription'],
            name: 'Proficiency level',
            resultType: 'PerformanceLevel',
            requiredLevel: `${ACHIEVEMENT_ID}#proficiency-level-achieved`,
            rubricCriterionLevel: [
              {
                id: `${ACHIEVEMENT_ID}#proficiency-level-achieved`,
                type: ['RubricCriterionLevel'],
                name: 'Intermediate',
                level: '4',
                description: 'DigComp 2.2 level 4',
              },
            ],
          },
        ],
        version: '1',
        inLanguage: 'en',
      },
      result: [
        {
          type: ['Result'],
          resultDescription: `${ACHIEVEMENT_ID}#proficiency-level`,
          achievedLevel: `${ACHIEVEMENT_ID}#proficiency-level-achieved`,
        },
      ],
      narrative: 'Assessed on 20 November 2025 by a registered nurse.',
    },
    evidence: [
      {
        id: 'https://care-academy.example.eu/portfolio/4711',
        type: ['Evidence'],
        name: 'Supervised practice session',
        description: 'Observation record signed by the assessor.',
        narrative: 'Recorded three visits without errors.',
      },
      { type: ['Evidence'], narrative: 'Final quiz: 18 of 20 correct.' },
    ],
    credentialSchema: [
      {
        id: 'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json',
        type: '1EdTechJsonSchemaValidator2019',
      },
    ],
  };
}

/** A message and a reason code per check and status, as the verifier reports them. */
const RESULTS: Record<CheckId, Partial<Record<CheckStatus, [ReasonCode, string]>>> = {
  format: { passed: ['vc_2_0', 'A Verifiable Credential (VCDM 2.0).'], failed: ['not_a_credential', '"type" must include "VerifiableCredential"'] },
  contexts: { passed: ['contexts_known', 'every @context is known'], failed: ['unknown_context', 'unknown @context'] },
  open_badge: { passed: ['ob_conformant', 'valid against the OB 3.0 JSON Schema'], failed: ['ob_schema_invalid', '"credentialSubject.achievement" is required'], skipped: ['not_an_open_badge', 'not an Open Badge'] },
  proof: { passed: ['signature_valid', 'eddsa-rdfc-2022 proof verified'], failed: ['signature_invalid', 'the Data Integrity proof does not verify'], unconfirmed: ['key_material_unavailable', 'the key could not be fetched'] },
  issuer_key: {
    passed: ['key_bound', 'the verification method is controlled by the issuer DID'],
    failed: ['key_not_bound', 'the key is not listed by the issuer'],
    unconfirmed: ['key_unreachable', 'the issuer DID document could not be fetched'],
  },
  validity_period: { passed: ['valid', 'valid until 2028-11-23T09:30:00Z'], failed: ['expired', 'validUntil 2026-01-01T00:00:00Z is in the past'] },
  status: {
    passed: ['not_revoked', 'BitstringStatusList: not revoked'],
    failed: ['revoked', 'BitstringStatusList: revoked'],
    unconfirmed: ['status_unreachable', 'the status list could not be fetched'],
    skipped: ['no_status', 'no credentialStatus'],
  },
  recipient: { passed: ['recipient_matched', 'the e-mail matches the hashed identity'], failed: ['recipient_not_matched', 'the e-mail does not match'], skipped: ['not_requested', 'no e-mail given'] },
  endorsements: { skipped: ['no_endorsements', 'no endorsements'], failed: ['endorsement_invalid', 'an endorsement does not verify'] },
};

const checks = (overrides: Partial<Record<CheckId, CheckStatus>> = {}, codes: Partial<Record<CheckId, ReasonCode>> = {}): Check[] => {
  const statuses: Record<CheckId, CheckStatus> = {
    format: 'passed',
    contexts: 'passed',
    open_badge: 'passed',
    proof: 'passed',
    issuer_key: 'passed',
    validity_period: 'passed',
    status: 'passed',
    recipient: 'skipped',
    endorsements: 'skipped',
    ...overrides,
  };
  return (Object.keys(statuses) as CheckId[]).map((id) => {
    const [code, message] = RESULTS[id][statuses[id]] ?? ['not_checked' as const, `${id}: ${statuses[id]}`];
    return { id, status: statuses[id], code: codes[id] ?? code, message };
  });
};

export function report(
  overrides: Partial<Record<CheckId, CheckStatus>> = {},
  credential = sampleCredential(),
  codes: Partial<Record<CheckId, ReasonCode>> = {},
): VerificationReport {
  const list = checks(overrides, codes);
  const verdict = verdictOf(list);
  return {
    verdict,
    verified: verdict === 'verified',
    kind: 'open_badge',
    checks: list,
    credential,
    format: 'json',
    validity: { validFrom: credential.validFrom as string, ...(typeof credential.validUntil === 'string' ? { validUntil: credential.validUntil } : {}) },
    ...(overrides.status === 'failed' ? { status: { revoked: true } } : { status: { revoked: false } }),
  };
}

export const URLS = {
  page: CREDENTIAL_ID,
  png: `${CREDENTIAL_ID}/badge.png`,
  svg: `${CREDENTIAL_ID}/badge.svg`,
  json: `${CREDENTIAL_ID}.json`,
  jwt: `${CREDENTIAL_ID}.jwt`,
  image: `${ACHIEVEMENT_ID}/image.png`,
  verify: `${PUBLIC_URL}/verify`,
  certificate: `${CREDENTIAL_ID}/certificate.pdf`,
};

export const LINKEDIN_URL =
  'https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name=Digital%20care%20records&certUrl=' +
  encodeURIComponent(CREDENTIAL_ID);

export function credentialModel(overrides: Partial<CredentialPageModel> = {}): CredentialPageModel {
  const credential = overrides.credential ?? sampleCredential();
  return { credential, report: report({}, credential), urls: URLS, linkedInUrl: LINKEDIN_URL, now: NOW, ...overrides };
}
