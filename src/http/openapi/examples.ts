/**
 * Examples for the OpenAPI document, shaped like real answers of an instance at EXAMPLE_ORIGIN
 * (test/http/openapi.test.ts validates each against the schema it illustrates). Texts are shortened.
 */
export const EXAMPLE_ORIGIN = 'https://badges.example.org';
export const exampleUrl = (path: string): string => `${EXAMPLE_ORIGIN}${path}`;

export const CREDENTIAL_ID = '37856eb7-783f-4ce9-afd2-083de61faabf';
export const STATUS_LIST_ID = '3f8e54ef-835f-47a2-8b6e-9f683eebb63c';
export const BADGE_CLASS = 'carer-plus-digital-communication';
export const ORG_SLUG = 'casa-di-cura-roma';
export const KEY_THUMBPRINT = 'sgGxtTumTdr5ZGcWjfxMEPsV7RoefdRx6a9_5N8vHZg';
const ED25519_KEY = 'z6MkreG5r9Rh3EKijAaojt63tCZCg62JBCFbiKpT2RTog9LY';
const DID = 'did:web:badges.example.org';
const ACHIEVEMENT = exampleUrl(`/achievements/${BADGE_CLASS}`);

export const EXAMPLE_CREDENTIAL = {
  '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json', 'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json'],
  id: exampleUrl(`/credentials/${CREDENTIAL_ID}`),
  type: ['VerifiableCredential', 'OpenBadgeCredential'],
  issuer: { id: DID, type: ['Profile'], name: 'Care Skills Badges', url: EXAMPLE_ORIGIN },
  validFrom: '2026-12-06T05:16:08Z',
  validUntil: '2029-12-06T05:16:08Z',
  name: 'Digital Communication in Home Care',
  credentialSubject: {
    type: ['AchievementSubject'],
    identifier: [
      {
        type: 'IdentityObject',
        hashed: true,
        identityHash: 'sha256$c5b3c96dbca5d4d916862b53f42f0ff9fa28504ec97ab2062c024159ed7b1da8',
        identityType: 'emailAddress',
        salt: 'a9ae463753f464464feb42f8ea1f5f75',
      },
    ],
    name: 'Maria Rossi',
    achievement: {
      id: ACHIEVEMENT,
      type: ['Achievement'],
      achievementType: 'MicroCredential',
      name: 'Digital Communication in Home Care',
      description: 'Shows that a care worker or caregiver uses everyday digital tools to communicate with the older people they care for and with their families.',
      criteria: { narrative: 'To earn this badge the learner completed the CARER+ learning pathway on digital communication.' },
      image: { id: `${ACHIEVEMENT}/image.png`, type: 'Image' },
      inLanguage: 'en',
    },
  },
  evidence: [{ type: ['Evidence'], id: 'https://lms.example.org/portfolio/7', name: 'E-portfolio' }],
  credentialStatus: {
    id: exampleUrl(`/status/${STATUS_LIST_ID}#110037`),
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation',
    statusListIndex: '110037',
    statusListCredential: exampleUrl(`/status/${STATUS_LIST_ID}`),
  },
  credentialSchema: [{ id: 'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json', type: '1EdTechJsonSchemaValidator2019' }],
  proof: [
    {
      type: 'DataIntegrityProof',
      created: '2026-12-06T05:16:08Z',
      verificationMethod: `${DID}#${ED25519_KEY}`,
      cryptosuite: 'eddsa-rdfc-2022',
      proofPurpose: 'assertionMethod',
      proofValue: 'z3UzEafXi22iTQxY5GMakjLCdxEcJW8bhtGSjSiN5oLPwNtoW91TyEy12x5yWXLitKfeTHxNhvY23CjiLDNt45Cob',
    },
  ],
};

/** Header, payload and signature shortened: the shape of a compact JWS, not a verifiable one. */
export const EXAMPLE_JWT =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6Imh0dHBzOi8vYmFkZ2VzLmV4YW1wbGUub3JnL2tleXMvc2dHeHQiLCJ0eXAiOiJKV1QifQ.eyJpc3MiOiJkaWQ6d2ViOmJhZGdlcy5leGFtcGxlLm9yZyJ9.c2lnbmF0dXJl';

export const EXAMPLE_REPORT = {
  verdict: 'verified',
  verified: true,
  kind: 'open_badge',
  checks: [
    { id: 'format', status: 'passed', code: 'vc_2_0', message: 'A Verifiable Credential (VCDM 2.0).' },
    { id: 'contexts', status: 'passed', code: 'contexts_known', message: 'All JSON-LD contexts are known.' },
    { id: 'open_badge', status: 'passed', code: 'ob_conformant', message: 'It follows the 1EdTech Open Badges 3.0 JSON Schema.' },
    { id: 'proof', status: 'passed', code: 'signature_valid', message: 'The signature is intact: DataIntegrityProof (eddsa-rdfc-2022).' },
    { id: 'issuer_key', status: 'passed', code: 'key_bound', message: 'The signing key is the issuer’s.' },
    { id: 'validity_period', status: 'passed', code: 'valid', message: 'Valid until 2029-12-06.' },
    { id: 'status', status: 'passed', code: 'not_revoked', message: 'Not revoked.' },
    { id: 'recipient', status: 'skipped', code: 'not_requested', message: 'No e-mail address was given to compare with the recipient.' },
    { id: 'endorsements', status: 'skipped', code: 'no_endorsements', message: 'It carries no endorsements.' },
  ],
  format: 'json',
  status: { revoked: false },
  validity: { validFrom: '2026-12-06T05:16:08Z', validUntil: '2029-12-06T05:16:08Z' },
};

export const EXAMPLE_LIST = {
  items: [
    { id: CREDENTIAL_ID, url: exampleUrl(`/credentials/${CREDENTIAL_ID}`), badgeClass: BADGE_CLASS, language: 'it', issuedAt: '2026-12-06T05:16:08Z', validUntil: '2029-12-06T05:16:08Z' },
  ],
  limit: 1,
  nextCursor: 'WyIyMDI2LTEyLTA2VDA1OjE2OjA4WiIsIjM3ODU2ZWI3LTc4M2YtNGNlOS1hZmQyLTA4M2RlNjFmYWFiZiJd',
};

export const EXAMPLE_REVOCATION = { id: CREDENTIAL_ID, revoked: true, revokedAt: '2026-12-07T09:30:00Z', reason: 'Issued to the wrong learner', reasonPublic: true };
export const EXAMPLE_SUSPENSION = { id: CREDENTIAL_ID, suspended: true, suspendedAt: '2026-12-07T09:30:00Z', reason: 'Assessment under review' };
export const EXAMPLE_REINSTATEMENT = { id: CREDENTIAL_ID, suspended: false, reinstatedAt: '2026-12-14T16:00:00Z' };

export const EXAMPLE_BADGE_CLASSES = {
  items: [
    {
      slug: BADGE_CLASS,
      version: '1.0',
      achievementType: 'MicroCredential',
      name: { en: 'Digital Communication in Home Care', it: "Comunicazione digitale nell'assistenza domiciliare" },
      languages: ['en', 'it'],
      achievement: ACHIEVEMENT,
      proficiencyLevel: { framework: 'DigComp 2.2', code: '4', name: 'Intermediate' },
      validityPeriod: 'P3Y',
      alignments: [
        {
          targetFramework: 'DigComp 2.2',
          targetCode: '2.1',
          targetName: { en: 'Interacting through digital technologies', it: 'Interagire attraverso le tecnologie digitali' },
          targetUrl: 'https://publications.jrc.ec.europa.eu/repository/handle/JRC128415',
          targetType: 'ext:DigCompCompetence',
        },
      ],
    },
  ],
};

export const EXAMPLE_BADGE_CLASS_STATS = { badgeClass: BADGE_CLASS, awarded: 120, delivered: 118, claimed: 74, views: 342, downloads: 97, verifications: 15 };

export const EXAMPLE_PROFILE = {
  '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
  id: DID,
  type: ['Profile'],
  name: 'Care Skills Badges',
  url: EXAMPLE_ORIGIN,
  email: 'badges@example.org',
};

export const EXAMPLE_ACHIEVEMENT = {
  '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
  ...EXAMPLE_CREDENTIAL.credentialSubject.achievement,
};

const RSA_JWK = { kty: 'RSA', n: '2SMAjTdo1KgVDS3w9s_fARuk2GaKgFvY98cvE5Qhl3LkX9yjhkpTirb5YM6JKeQhiCWRroqe0FYU8ocgQDv0Pz25W4PVO8Rvx4e8O5I-88dp_dN7JXwfU5z_s9MM2hUiSFAOwsPEMpCtx68zgIQI9sXgEJ8vGnf5m4__6u-WHvWO9yoKzrYTqbYoiflXIuBBI2unjYciNSC3oPWmbEeeRk5S_98YZTCc5QkBCGuuVIu98YZqls8GTQKz5OlG4sW_xo6MhXXguRMFZYx3uU-JuC1kUEZZcQ2zjSbXg3bFkNgGXpltfqYPxG8onteWy5di6UqW-RRjt2acdAMceJgYWQ', e: 'AQAB' };

export const EXAMPLE_JWK = { ...RSA_JWK, kid: exampleUrl(`/keys/${KEY_THUMBPRINT}`), alg: 'RS256', use: 'sig' };

export const EXAMPLE_DID_DOCUMENT = {
  '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1', 'https://w3id.org/security/jwk/v1'],
  id: DID,
  verificationMethod: [
    { id: `${DID}#${ED25519_KEY}`, type: 'Multikey', controller: DID, publicKeyMultibase: ED25519_KEY },
    { id: `${DID}#${KEY_THUMBPRINT}`, type: 'JsonWebKey', controller: DID, publicKeyJwk: RSA_JWK },
  ],
  assertionMethod: [`${DID}#${ED25519_KEY}`, `${DID}#${KEY_THUMBPRINT}`],
  authentication: [`${DID}#${ED25519_KEY}`],
};

export const EXAMPLE_STATUS_LIST = {
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  id: exampleUrl(`/status/${STATUS_LIST_ID}`),
  type: ['VerifiableCredential', 'BitstringStatusListCredential'],
  issuer: DID,
  validFrom: '2026-12-06T05:16:08Z',
  credentialSubject: {
    id: exampleUrl(`/status/${STATUS_LIST_ID}#list`),
    type: 'BitstringStatusList',
    statusPurpose: 'revocation',
    encodedList: 'uH4sIAAAAAAAAA-3OQQkAAAgEsHvYP7MlDkTYEiwBAAAAAAAAAAAAAAAAoGuuAwAAPLSxStBlAEAAAA',
  },
  proof: [{ type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022', created: '2026-12-06T05:16:08Z', verificationMethod: `${DID}#${ED25519_KEY}`, proofPurpose: 'assertionMethod', proofValue: 'z3UzEafXi22iTQxY5GMakjLCdxEcJW8bhtGSjSiN5oLPwNtoW91TyEy12x5yWXLitKfeTHxNhvY23CjiLDNt45Cob' }],
};

/** The suspension list parallel to EXAMPLE_STATUS_LIST: the same indexes, its own signature. */
export const EXAMPLE_SUSPENSION_LIST = {
  ...EXAMPLE_STATUS_LIST,
  id: exampleUrl(`/status/${STATUS_LIST_ID}/suspension`),
  credentialSubject: { ...EXAMPLE_STATUS_LIST.credentialSubject, id: exampleUrl(`/status/${STATUS_LIST_ID}/suspension#list`), statusPurpose: 'suspension' },
};

/** A badge class as `POST /api/v1/badge-classes` takes it: English required, other languages as they come. */
export const EXAMPLE_BADGE_CLASS_INPUT = {
  slug: 'first-aid-at-home',
  achievementType: 'MicroCredential',
  name: { en: 'First aid at home', it: 'Primo soccorso a domicilio' },
  description: { en: 'Knows what to do in the first minutes of an emergency at home.', it: 'Sa cosa fare nei primi minuti di un’emergenza in casa.' },
  criteria: { narrative: { en: '- completed the 8-hour course\n- passed the practical test', it: '- ha completato il corso di 8 ore\n- ha superato la prova pratica' } },
  alignments: [
    {
      targetFramework: 'ESCO',
      targetCode: 'S1.5.1',
      targetName: { en: 'provide first aid', it: 'prestare il primo soccorso' },
      targetUrl: 'http://data.europa.eu/esco/skill/1d21f6ad-340f-45da-a0a3-4e83867f47a6',
    },
  ],
  proficiencyLevel: { framework: 'EQF', code: '3', name: { en: 'Foundation', it: 'Base' } },
  validityPeriod: 'P3Y',
  design: { label: 'CARER+', colour: '#1f4e79' },
};

export const EXAMPLE_ORGANISATION = {
  slug: ORG_SLUG,
  did: `did:web:badges.example.org:orgs:${ORG_SLUG}`,
  didDocument: exampleUrl(`/orgs/${ORG_SLUG}/did.json`),
  profileUrl: exampleUrl(`/orgs/${ORG_SLUG}`),
  name: 'Casa di Cura Roma',
  profile: {
    name: { en: 'Rome Care Home', it: 'Casa di Cura Roma' },
    url: 'https://casa-roma.example.org',
    email: 'badge@casa-roma.example.org',
    address: { addressLocality: 'Roma', addressCountryCode: 'IT' },
    otherIdentifier: [{ identifier: 'IT-LAZIO-00042', identifierType: 'ext:VetRegister' }],
  },
};

/** A learning pathway as `POST /api/v1/pathways` takes it. */
export const EXAMPLE_PATHWAY = {
  slug: 'home-care-digital-basics',
  title: { en: 'Digital basics for home care', it: 'Competenze digitali di base per l’assistenza domiciliare' },
  description: { en: 'For care workers new to digital tools: from talking with families online to keeping care recipients safe online.' },
  type: 'non-formal',
  mode: 'blended',
  hours: 40,
  entryLevel: { en: 'No qualification needed; you can read short texts on a phone.' },
  activities: [{ en: 'Short online modules' }, { en: 'Practice with a mentor at work' }],
  competences: [{ framework: 'digcomp-2.2', code: '2.1' }, { framework: 'digcomp-2.2', code: '4.2' }],
  steps: [
    { title: { en: 'Start here' }, badgeClasses: ['carer-plus-digital-communication'] },
    { title: { en: 'Choose two' }, badgeClasses: ['carer-plus-assistive-technology', 'carer-plus-online-safety', 'carer-plus-digital-care-coordination'], required: 2 },
  ],
  capstone: 'carer-plus-digital-carer',
  completion: 'automatic',
};
