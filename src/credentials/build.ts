import { microCredentialContext } from '../badge-classes/micro-credential.js';
import { toAchievement, pick, proficiencyLevelIds, achievementUrl } from '../badge-classes/achievement.js';
import type { CatalogEntry } from '../badge-classes/catalog.js';
import type { Language } from '../badge-classes/schema.js';
import { CONTEXT } from '../jsonld/contexts.js';
import type { IssuerProfile } from '../organisations/profile.js';
import type { Credential } from '../proofs/proof-format.js';
import { hashedEmailIdentity } from '../recipients/identity.js';
import type { AwardRequest } from './award-request.js';
import type { OpenBadgeCredential } from './model.js';

/** OB 3.0 §B.3.2 / VCCS-10: the 1EdTech JSON Schema every credential names. */
export const OB_CREDENTIAL_SCHEMA = {
  id: 'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json',
  type: '1EdTechJsonSchemaValidator2019',
} as const;

export const credentialUrl = (publicUrl: string, id: string): string => `${publicUrl}/credentials/${id}`;

/** XML Schema dateTime in UTC to the second, as OB 3.0 examples write it. */
export const toDateTime = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Adds an ISO 8601 duration of years, months, weeks and days (already validated) to `from`; `sign` -1 takes it away. */
export function addDuration(from: Date, duration: string, sign: 1 | -1 = 1): Date {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(duration);
  if (!m) throw new Error(`unsupported duration ${duration}`);
  const [, y = '0', mo = '0', w = '0', d = '0'] = m;
  const out = new Date(from);
  out.setUTCFullYear(out.getUTCFullYear() + sign * Number(y), out.getUTCMonth() + sign * Number(mo));
  out.setUTCDate(out.getUTCDate() + sign * (Number(w) * 7 + Number(d)));
  return out;
}

export interface BuildInput {
  uuid: string;
  publicUrl: string;
  issuer: IssuerProfile;
  entry: CatalogEntry;
  award: AwardRequest;
  language: Language;
  issuedAt: Date;
  /** The credential's revocation entry (a BitstringStatusListEntry). */
  credentialStatus?: Record<string, unknown>;
  /** The organisation that owns the badge class, when another one awards it. */
  creator?: IssuerProfile;
  /**
   * A re-issue: the credential it corrects. Its award date stays the credential's `awardedDate` (OB 3.0
   * §B.1.1: the original award date, because re-issue changes `validFrom`) and starts the badge
   * class's default validity; its learner identity is kept when the correction names none.
   */
  original?: {
    awardedAt: Date;
    subject?: Pick<OpenBadgeCredential['credentialSubject'], 'id' | 'identifier'>;
    /**
     * A renewal of the credential at this URL, rather than a correction: its validity counts from the
     * renewal, and its evidence names the credential it renews.
     */
    renews?: string;
  };
}

/** OB 3.0 Evidence `genre` of the entry that links a renewal to the credential it renews. */
export const RENEWS_GENRE = 'Renewal of';

/** The unsigned OpenBadgeCredential (OB 3.0 §B.1.1, VCDM 2.0) for one award. */
export function buildCredential({ uuid, publicUrl, issuer, entry, award, language, issuedAt, credentialStatus, creator, original }: BuildInput): Credential {
  const { badgeClass } = entry;
  const validFrom = toDateTime(issuedAt);
  const awardedAt = original?.awardedAt ?? issuedAt;
  // A correction keeps the award's period; a renewal starts a new one.
  const periodFrom = original?.renews ? issuedAt : awardedAt;
  const validUntil =
    award.validUntil !== undefined
      ? toDateTime(new Date(award.validUntil))
      : badgeClass.validityPeriod
        ? toDateTime(addDuration(periodFrom, badgeClass.validityPeriod))
        : undefined;
  const evidence = [
    ...(award.evidence ?? []).map((e) => ({ type: ['Evidence'], ...e })),
    ...(original?.renews ? [{ type: ['Evidence'], id: original.renews, genre: RENEWS_GENRE }] : []),
  ];
  const levelIds = proficiencyLevelIds(achievementUrl(publicUrl, badgeClass.slug));
  const { recipient } = award;
  const kept = recipient.id === undefined && recipient.email === undefined ? original?.subject : undefined;

  const credentialSubject: OpenBadgeCredential['credentialSubject'] = {
    type: ['AchievementSubject'],
    ...(recipient.id ? { id: recipient.id } : {}),
    ...(recipient.email ? { identifier: [hashedEmailIdentity(recipient.email)] } : {}),
    ...(kept?.id !== undefined ? { id: kept.id } : {}),
    ...(kept?.identifier?.length ? { identifier: kept.identifier } : {}),
    ...(recipient.name ? { name: recipient.name } : {}),
    achievement: toAchievement(badgeClass, publicUrl, language, creator),
    // The badge certifies its proficiency level; results the provider sends follow it.
    result: [
      { type: ['Result'], resultDescription: levelIds.resultDescription, achievedLevel: levelIds.level },
      ...(award.results ?? []).map((r) => ({ type: ['Result'], ...r })),
    ],
    ...(award.narrative ? { narrative: award.narrative } : {}),
    ...(award.activityStartDate ? { activityStartDate: toDateTime(new Date(award.activityStartDate)) } : {}),
    ...(award.activityEndDate ? { activityEndDate: toDateTime(new Date(award.activityEndDate)) } : {}),
    ...(badgeClass.creditsAvailable !== undefined ? { creditsEarned: badgeClass.creditsAvailable } : {}),
  };

  const credential: OpenBadgeCredential = {
    '@context': [CONTEXT.credentialsV2, CONTEXT.openBadges, CONTEXT.openBadgesExtensions, ...(badgeClass.microCredential ? [microCredentialContext(publicUrl)] : [])],
    id: credentialUrl(publicUrl, uuid),
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer,
    validFrom,
    ...(validUntil ? { validUntil } : {}),
    awardedDate: toDateTime(awardedAt),
    name: pick(badgeClass.name, language),
    credentialSubject,
    ...(evidence.length ? { evidence } : {}),
    ...(credentialStatus ? { credentialStatus } : {}),
    credentialSchema: [OB_CREDENTIAL_SCHEMA],
  };
  return credential;
}
