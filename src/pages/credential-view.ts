/**
 * What the pages show of an OB 3.0 credential (§B.1.1 AchievementCredential), read defensively:
 * on the verify page the credential is whatever someone uploaded, so every field may be missing or
 * of the wrong type, and nothing here throws. URLs are kept only when they are http(s).
 */
import { safeUrl } from './html.js';

export interface AlignmentView {
  targetFramework?: string;
  targetCode?: string;
  targetName?: string;
  targetUrl?: string;
}

export interface EvidenceView {
  name?: string;
  description?: string;
  narrative?: string;
  url?: string;
}

export interface CredentialView {
  id?: string;
  /** The language the achievement texts are written in (`inLanguage`), when it is a plain language tag. */
  language?: string;
  achievementName?: string;
  description?: string;
  criteriaNarrative?: string;
  achievementType?: string;
  alignments: AlignmentView[];
  proficiencyLevel?: string;
  recipientName?: string;
  /** True when the subject carries an e-mail identity that a recipient check can test. */
  hasEmailIdentity: boolean;
  narrative?: string;
  issuer: { name?: string; url?: string };
  /** Who defined the badge, when it is not the issuer (a partner awarding another organisation's badge, a programme). */
  creator?: { name?: string; url?: string };
  validFrom?: string;
  validUntil?: string;
  evidence: EvidenceView[];
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const compact = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export function readCredential(credential: Record<string, unknown> | undefined): CredentialView {
  const c = credential ?? {};
  const subject = obj(arr(c.credentialSubject)[0]) ?? {};
  const achievement = obj(subject.achievement) ?? {};
  // OB 3.0 §B.2.6: `issuer` is a Profile, or (VCDM) just its id.
  const issuer = obj(c.issuer) ?? {};
  const level = obj(arr(obj(arr(achievement.resultDescription)[0])?.rubricCriterionLevel)[0]);

  return compact({
    id: text(c.id),
    language: [text(achievement.inLanguage)].find((l) => l !== undefined && /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$/.test(l)),
    achievementName: text(achievement.name) ?? text(c.name),
    description: text(achievement.description) ?? text(c.description),
    criteriaNarrative: text(obj(achievement.criteria)?.narrative),
    achievementType: text(achievement.achievementType),
    alignments: arr(achievement.alignment)
      .map(obj)
      .filter((a): a is Obj => a !== undefined)
      .map((a) =>
        compact({
          targetFramework: text(a.targetFramework),
          targetCode: text(a.targetCode),
          targetName: text(a.targetName),
          targetUrl: safeUrl(a.targetUrl),
        }),
      )
      .filter((a) => a.targetName !== undefined || a.targetCode !== undefined),
    proficiencyLevel: text(level?.name),
    recipientName: text(subject.name),
    hasEmailIdentity: arr(subject.identifier).some((i) => obj(i)?.identityType === 'emailAddress'),
    narrative: text(subject.narrative),
    issuer: compact({ name: text(issuer.name), url: safeUrl(issuer.url) }),
    creator: ((creator) => (creator && text(creator.name) && creator.id !== issuer.id ? compact({ name: text(creator.name), url: safeUrl(creator.url) }) : undefined))(obj(achievement.creator)),
    validFrom: text(c.validFrom) ?? text(c.issuanceDate),
    validUntil: text(c.validUntil) ?? text(c.expirationDate),
    evidence: arr(c.evidence)
      .map(obj)
      .filter((e): e is Obj => e !== undefined)
      .map((e) =>
        compact({ name: text(e.name), description: text(e.description), narrative: text(e.narrative), url: safeUrl(e.id) }),
      )
      .filter((e) => Object.keys(e).length > 0),
  });
}
