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
  /** The EU micro-credential elements (badge-classes/micro-credential.ts), when the credential's context defines them as ours. */
  microCredential?: MicroCredentialView;
}

export interface MicroCredentialView {
  learningOutcomes: string[];
  workloadHours?: number;
  ectsCredits?: number;
  eqfLevel?: number;
  nqf?: { country: string; level: string };
  assessmentTypes: string[];
  assessmentDescription?: string;
  participationForm?: string;
  qualityAssurance?: string;
  prerequisites?: string;
  identityVerification?: string;
  stackable?: boolean;
  stackableTowards?: string;
}

/**
 * The `microCredential` of an Achievement, read only when the credential's own `@context` maps the
 * term to the micro-credential vocabulary: another issuer's property of that name means something else.
 */
function readMicroCredential(c: Obj, achievement: Obj): MicroCredentialView | undefined {
  const defined = arr(c['@context']).some((ctx) => {
    const term = obj(ctx)?.microCredential;
    return typeof term === 'string' && term.endsWith('/vocab/micro-credential#microCredential');
  });
  const mc = defined ? obj(achievement.microCredential) : undefined;
  if (!mc) return undefined;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const eqf = /^http:\/\/data\.europa\.eu\/snb\/eqf\/([1-8])$/.exec(text(mc.eqfLevel) ?? '');
  return compact({
    learningOutcomes: arr(mc.learningOutcome).map(text).filter((o): o is string => o !== undefined),
    workloadHours: num(mc.workloadHours),
    ectsCredits: num(mc.ectsCredits),
    eqfLevel: eqf ? Number(eqf[1]) : undefined,
    nqf: text(mc.nqfCountry) && text(mc.nqfLevel) ? { country: text(mc.nqfCountry)!, level: text(mc.nqfLevel)! } : undefined,
    assessmentTypes: arr(mc.assessmentType).map(text).filter((o): o is string => o !== undefined),
    assessmentDescription: text(mc.assessmentDescription),
    participationForm: text(mc.participationForm),
    qualityAssurance: text(mc.qualityAssurance),
    prerequisites: text(mc.prerequisites),
    identityVerification: text(mc.identityVerification),
    stackable: typeof mc.stackable === 'boolean' ? mc.stackable : undefined,
    stackableTowards: text(mc.stackableTowards),
  });
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
    microCredential: readMicroCredential(c, achievement),
  });
}
