import { LRUCache } from 'lru-cache';
import type { BadgeClassRepository, BadgeClassVersionRecord } from '../db/repositories.js';
import { achievementUrl, pick } from './achievement.js';
import { badgeClassProblem, languagesOf } from './catalog.js';
import { SUPPORTED_LANGUAGES, type BadgeClass, type Language } from './schema.js';

/**
 * A credential's badge texts in another language than the one it was awarded (and signed) in, taken
 * from the badge class version it was awarded with, so that a later edit of the class does not change
 * what an old badge appears to say. Only for reading: the signed credential is never changed.
 */
export interface AchievementTranslation {
  language: Language;
  name: string;
  description: string;
  criteria: string;
  /** The proficiency level's name, when the version has it in this language. */
  level?: string;
  /** Competence names in this language, by the alignment's URL and code. */
  competences: Array<{ targetUrl: string; targetCode?: string; name: string }>;
}

export interface AwardedTranslations {
  /** The texts in `lang`, or undefined: same language as signed, the version lacks `lang`, or it cannot be told which version it was. */
  translate(credential: Record<string, unknown>, lang: Language): Promise<AchievementTranslation | undefined>;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const first = (v: unknown): unknown => (Array.isArray(v) ? v[0] : v);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** What the signed achievement says, as issuance wrote it from its version (credentials/build.ts). */
function signedTexts(credential: Obj, publicUrl: string) {
  const achievement = obj(obj(first(credential.credentialSubject)).achievement);
  const id = text(achievement.id);
  const prefix = achievementUrl(publicUrl, '');
  const slug = id?.startsWith(prefix) ? id.slice(prefix.length) : undefined;
  const language = SUPPORTED_LANGUAGES.find((l) => l === achievement.inLanguage);
  const awardedAt = Date.parse(text(credential.awardedDate) ?? text(credential.validFrom) ?? '');
  if (!slug || !/^[a-z0-9-]+$/.test(slug) || !language || Number.isNaN(awardedAt)) return undefined;
  return {
    slug,
    language,
    awardedAt,
    version: text(achievement.version),
    name: text(achievement.name),
    description: text(achievement.description),
    criteria: text(obj(achievement.criteria).narrative),
  };
}

/** Versions made up to a second after the award may be its own: `awardedDate` is written to the second. */
const SECOND = 1_000;

export function createAwardedTranslations({ repo, publicUrl, now = () => new Date() }: { repo: BadgeClassRepository; publicUrl: string; now?: () => Date }): AwardedTranslations {
  // A version never changes once made: kept. The list of versions grows: it is read again when a
  // credential is newer than the list (then a version it was awarded with may be missing from it).
  const definitions = new LRUCache<string, { badgeClass: BadgeClass } | { problem: string }>({ max: 500 });
  const lists = new LRUCache<string, { readAt: number; versions: Array<{ version: number; createdAt: number }> }>({ max: 500 });
  const skew = 5 * SECOND;

  async function versionsOf(slug: string, awardedAt: number) {
    const held = lists.get(slug);
    if (held && held.readAt > awardedAt + skew) return held.versions;
    const versions = (await repo.versions(slug)).map((v) => ({ version: v.version, createdAt: Date.parse(v.createdAt) })).sort((a, b) => b.version - a.version);
    lists.set(slug, { readAt: now().getTime(), versions });
    return versions;
  }
  async function definition(slug: string, version: number) {
    const key = `${slug}#${version}`;
    let held = definitions.get(key);
    if (!held) {
      const record: BadgeClassVersionRecord | undefined = await repo.getVersion(slug, version);
      held = record ? badgeClassProblem(record.definition) : { problem: 'missing' };
      definitions.set(key, held);
    }
    return 'badgeClass' in held ? held.badgeClass : undefined;
  }

  return {
    async translate(credential, lang) {
      const signed = signedTexts(credential, publicUrl);
      if (!signed || signed.language === lang) return undefined;
      // The newest version made by the time of the award whose texts in the awarded language are the
      // signed ones: that is the one it was awarded with (an older one may match when a clock was off).
      for (const { version, createdAt } of await versionsOf(signed.slug, signed.awardedAt)) {
        if (createdAt > signed.awardedAt + SECOND) continue;
        const badgeClass = await definition(signed.slug, version);
        if (!badgeClass || badgeClass.version !== signed.version) continue;
        const a = signed.language;
        if (pick(badgeClass.name, a) !== signed.name || pick(badgeClass.description, a) !== signed.description || pick(badgeClass.criteria.narrative, a) !== signed.criteria) continue;
        if (!languagesOf(badgeClass).includes(lang)) return undefined;
        return {
          language: lang,
          name: badgeClass.name[lang]!,
          description: badgeClass.description[lang]!,
          criteria: badgeClass.criteria.narrative[lang]!,
          ...(badgeClass.proficiencyLevel.name[lang] ? { level: badgeClass.proficiencyLevel.name[lang] } : {}),
          competences: badgeClass.alignments.flatMap((al) => {
            const name = al.targetName[lang];
            return name ? [{ targetUrl: al.targetUrl, ...(al.targetCode ? { targetCode: al.targetCode } : {}), name }] : [];
          }),
        };
      }
      return undefined;
    },
  };
}
