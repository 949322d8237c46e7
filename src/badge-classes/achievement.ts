import { toMicroCredential } from './micro-credential.js';
import type { Achievement } from '../credentials/model.js';
import type { BadgeClass, Language, LanguageMap } from './schema.js';

/** Text in `lang`, or English when that language is missing. */
export const pick = (map: LanguageMap, lang: Language): string => map[lang] ?? map.en;

const PROFICIENCY_LEVEL: LanguageMap = {
  en: 'Proficiency level',
  it: 'Livello di competenza',
  lt: 'Kompetencijos lygis',
  ro: 'Nivel de competență',
  fr: 'Niveau de maîtrise',
  es: 'Nivel de competencia',
  de: 'Kompetenzniveau',
};

export const achievementUrl = (publicUrl: string, slug: string): string => `${publicUrl}/achievements/${slug}`;
export const proficiencyLevelIds = (achievementId: string) => ({
  resultDescription: `${achievementId}#proficiency-level`,
  level: `${achievementId}#proficiency-level-achieved`,
});

/**
 * The OB 3.0 `Achievement` (§B.1.2) for a badge class, in one language (`inLanguage`).
 * The proficiency level becomes a `ResultDescription` of type `PerformanceLevel` whose single
 * rubric level is the one the badge certifies; alignments keep framework, code and URL.
 */
export function toAchievement(badgeClass: BadgeClass, publicUrl: string, lang: Language, owner?: { id: string; type: string[]; name: string }): Achievement {
  const id = achievementUrl(publicUrl, badgeClass.slug);
  const ids = proficiencyLevelIds(id);
  const level = badgeClass.proficiencyLevel;
  return {
    id,
    type: ['Achievement'],
    achievementType: badgeClass.achievementType,
    name: pick(badgeClass.name, lang),
    description: pick(badgeClass.description, lang),
    criteria: {
      ...(badgeClass.criteria.url ? { id: badgeClass.criteria.url } : {}),
      narrative: pick(badgeClass.criteria.narrative, lang),
    },
    image: {
      // The built-in design is drawn in each language; an uploaded image answers the same to any `lang`.
      id: `${id}/image.png${lang === 'en' ? '' : `?lang=${lang}`}`,
      type: 'Image',
      ...(badgeClass.imageCaption ? { caption: pick(badgeClass.imageCaption, lang) } : {}),
    },
    alignment: badgeClass.alignments.map((a) => ({
      type: ['Alignment'],
      targetName: pick(a.targetName, lang),
      targetUrl: a.targetUrl,
      targetFramework: a.targetFramework,
      ...(a.targetCode ? { targetCode: a.targetCode } : {}),
      ...(a.targetDescription ? { targetDescription: pick(a.targetDescription, lang) } : {}),
      ...(a.targetType ? { targetType: a.targetType } : {}),
    })),
    resultDescription: [
      {
        id: ids.resultDescription,
        type: ['ResultDescription'],
        name: pick(PROFICIENCY_LEVEL, lang),
        resultType: 'PerformanceLevel',
        requiredLevel: ids.level,
        rubricCriterionLevel: [
          {
            id: ids.level,
            type: ['RubricCriterionLevel'],
            name: pick(level.name, lang),
            ...(level.code ? { level: level.code } : {}),
            ...(level.framework ? { description: `${level.framework}${level.code ? ` level ${level.code}` : ''}` } : {}),
          },
        ],
      },
    ],
    ...(badgeClass.tags.length ? { tag: badgeClass.tags } : {}),
    ...(badgeClass.creditsAvailable !== undefined ? { creditsAvailable: badgeClass.creditsAvailable } : badgeClass.microCredential?.workload.ects !== undefined ? { creditsAvailable: badgeClass.microCredential.workload.ects } : {}),
    ...(badgeClass.fieldOfStudy ? { fieldOfStudy: badgeClass.fieldOfStudy } : {}),
    ...(badgeClass.humanCode ? { humanCode: badgeClass.humanCode } : {}),
    // The EU micro-credential elements, under the extension context the credential embeds.
    ...(badgeClass.microCredential ? { microCredential: toMicroCredential(badgeClass.microCredential, lang) } : {}),
    // Its creator: the programme the class names, else the organisation that owns the badge when
    // another one awards it.
    ...(badgeClass.creator
      ? {
          creator: {
            id: badgeClass.creator.url ?? `${id}#creator`,
            type: ['Profile'],
            name: badgeClass.creator.name,
            ...(badgeClass.creator.url ? { url: badgeClass.creator.url } : {}),
          },
        }
      : owner
        ? { creator: owner }
        : {}),
    version: badgeClass.version,
    inLanguage: lang,
  };
}
