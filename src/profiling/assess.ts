import type { Catalog } from '../badge-classes/catalog.js';
import type { FrameworkCatalog, FoundCompetence } from '../frameworks/frameworks.js';
import { requiredOf } from '../pathways/schema.js';
import type { PathwayEntry } from '../pathways/store.js';
import { ABLE, SCALE, type Questionnaire } from './schema.js';

/**
 * What a learner's answers say: their profile per competence, and the pathway that would help them
 * most, where in it to start, which badges to aim for first, and which they may already have the
 * skills of (for the training provider to recognise: validation of prior learning).
 */
export type Answers = Array<Array<number | null>>;

export interface CompetenceScore {
  found: FoundCompetence;
  /** The mean of its answers (0–3), or null when none was answered. */
  score: number | null;
  /** The answer it comes nearest to (0–3): the level it means. */
  level: number | null;
}

export interface Recommendation {
  entry: PathwayEntry;
  /** How much of what the pathway develops the learner does not yet do on their own (0–1). */
  need: number;
  /** The step to start at (0-based); `steps.length` when the learner may already have every step's skills. */
  start: number;
  /** Badges of that step to aim for first, the learner's weakest first. */
  aimFor: string[];
  /** Badges whose competences the learner already rates as done on their own. */
  mayHave: string[];
}

export interface Assessment {
  scores: CompetenceScore[];
  recommendation: Recommendation | undefined;
  /** Every pathway of the questionnaire that could be assessed, most needed first. */
  ranked: Recommendation[];
}

const keyOf = (found: FoundCompetence) => `${found.framework.slug} ${found.competence.code}`;

/** Answers from a form or a stored result, kept to the questionnaire's shape and the scale. */
export function normaliseAnswers(questionnaire: Questionnaire, raw: (i: number, j: number) => unknown): Answers {
  return questionnaire.competences.map((c, i) =>
    c.questions.map((_, j) => {
      const value = Number(raw(i, j));
      return raw(i, j) !== undefined && raw(i, j) !== '' && (SCALE as readonly number[]).includes(value) ? value : null;
    }),
  );
}

export function assess(questionnaire: Questionnaire, answers: Answers, pathways: PathwayEntry[], catalog: Catalog, frameworks: FrameworkCatalog): Assessment {
  const scores: CompetenceScore[] = questionnaire.competences.flatMap((c, i) => {
    const found = frameworks.find(c);
    if (!found) return [];
    const given = (answers[i] ?? []).filter((a): a is number => a !== null);
    const score = given.length ? given.reduce((a, b) => a + b, 0) / given.length : null;
    return [{ found, score, level: score === null ? null : Math.round(score) }];
  });
  const byKey = new Map(scores.filter((s) => s.score !== null).map((s) => [keyOf(s.found), s.score!]));
  const max = SCALE.length - 1;

  /** A badge's assessed competences (through its alignments' URIs), with their scores. */
  const badgeScores = (slug: string): number[] =>
    (catalog.get(slug)?.badgeClass.alignments ?? []).flatMap((a) => {
      const found = frameworks.byUri(a.targetUrl);
      const score = found && byKey.get(keyOf(found));
      return score === undefined || score === null ? [] : [score];
    });
  const strong = (slug: string) => {
    const s = badgeScores(slug);
    return s.length > 0 && s.every((x) => x >= ABLE);
  };
  const weakness = (slug: string) => {
    const s = badgeScores(slug);
    return s.length ? s.reduce((a, b) => a + (max - b), 0) / s.length : max / 2;
  };

  const ranked: Recommendation[] = [];
  for (const entry of pathways) {
    const { pathway } = entry;
    const keys = new Set(pathway.competences.map((c) => `${c.framework} ${c.code}`));
    for (const slug of [...pathway.steps.flatMap((s) => s.badgeClasses), pathway.capstone]) {
      for (const a of catalog.get(slug)?.badgeClass.alignments ?? []) {
        const found = frameworks.byUri(a.targetUrl);
        if (found) keys.add(keyOf(found));
      }
    }
    const relevant = [...keys].map((k) => byKey.get(k)).filter((s): s is number => s !== undefined);
    if (!relevant.length) continue;
    const need = relevant.reduce((a, s) => a + (max - s), 0) / (relevant.length * max);
    const stepStrong = pathway.steps.map((step) => step.badgeClasses.filter(strong).length >= requiredOf(step));
    const first = stepStrong.indexOf(false);
    const start = first === -1 ? pathway.steps.length : first;
    const aimFor = start < pathway.steps.length ? pathway.steps[start]!.badgeClasses.filter((s) => !strong(s)).sort((a, b) => weakness(b) - weakness(a)) : [];
    const mayHave = pathway.steps.flatMap((s) => s.badgeClasses).filter(strong);
    ranked.push({ entry, need, start, aimFor, mayHave });
  }
  // The pathway the learner needs most; among equals, the questionnaire's order.
  const order = new Map(questionnaire.pathways.map((slug, i) => [slug, i]));
  ranked.sort((a, b) => b.need - a.need || (order.get(a.entry.pathway.slug) ?? 0) - (order.get(b.entry.pathway.slug) ?? 0));
  return { scores, recommendation: ranked[0], ranked };
}

/** The anonymous counts one assessment adds: one submission, its recommended pathway, each competence's level. */
export function countsOf(assessment: Assessment): Array<{ metric: string; count: number }> {
  return [
    { metric: 'submitted', count: 1 },
    ...(assessment.recommendation ? [{ metric: `pathway:${assessment.recommendation.entry.pathway.slug}`, count: 1 }] : []),
    ...assessment.scores.filter((s) => s.level !== null).map((s) => ({ metric: `level:${keyOf(s.found)}:${s.level}`, count: 1 })),
  ];
}
