import { createHash, randomBytes, randomUUID as nodeRandomUUID } from 'node:crypto';
import type { Catalog } from '../badge-classes/catalog.js';
import type { ProfileResultRecord, ProfilingRepository, DefinitionRepository } from '../db/repositories.js';
import { createDefinitionStore, type DefinitionStore, type DefinitionEntry } from '../definitions/store.js';
import { AppError, type ErrorDetail } from '../errors/errors.js';
import { formatPath, parseOrThrow } from '../errors/zod.js';
import { unknownCompetences, type FrameworkCatalog } from '../frameworks/frameworks.js';
import type { PathwayStore } from '../pathways/store.js';
import { assess, countsOf, type Answers, type Assessment } from './assess.js';
import { questionnaireSchema, type Questionnaire } from './schema.js';

/** A kept result holds at most this long; the learner may delete it before. */
export const RESULT_DAYS = 365;

export type QuestionnaireEntry = DefinitionEntry<Questionnaire>;

/**
 * The skills profiling tool: questionnaires (an organisation's, in the database), the assessment of
 * a learner's answers, the results a learner chooses to keep and share (answers only, deleted with
 * their key or after a year), and anonymous counts (numbers only) for the organisations.
 */
export interface ProfilingService {
  questionnaires: DefinitionStore<Questionnaire>;
  /** Checks a questionnaire: its pathways the organisation's own, its competences known. `validation_failed` with paths. */
  check(orgId: string, raw: unknown): Questionnaire;
  assess(entry: QuestionnaireEntry, answers: Answers): Assessment;
  /** Adds one assessment to the questionnaire's anonymous counts. */
  count(entry: QuestionnaireEntry, assessment: Assessment): Promise<void>;
  /** Keeps a result: its id (its address) and the key that deletes it, which only the learner is given. */
  keep(entry: QuestionnaireEntry, answers: Answers): Promise<{ id: string; key: string }>;
  result(id: string): Promise<ProfileResultRecord | undefined>;
  /** True when the key was the result's and it is now deleted. */
  forget(id: string, key: string): Promise<boolean>;
  counts(slug: string): Promise<Array<{ metric: string; count: number }>>;
  importFolder(dir: string, orgId: string): ReturnType<DefinitionStore<Questionnaire>['importFolder']>;
}

export interface ProfilingDeps {
  repo: DefinitionRepository;
  profiling: ProfilingRepository;
  pathways: PathwayStore;
  catalog: Catalog;
  frameworks: FrameworkCatalog;
  now?: () => Date;
  randomUUID?: () => string;
}

const hash = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

export function createProfiling(deps: ProfilingDeps): ProfilingService {
  const { profiling, pathways, catalog, frameworks } = deps;
  const now = deps.now ?? (() => new Date());
  const randomUUID = deps.randomUUID ?? nodeRandomUUID;
  const questionnaires = createDefinitionStore<Questionnaire>({
    repo: deps.repo,
    parse: (raw) => questionnaireSchema.safeParse(raw).data,
    what: 'questionnaire',
    codes: { exists: 'questionnaire_exists', changed: 'questionnaire_changed' },
    now,
  });

  const service: ProfilingService = {
    questionnaires,
    check(orgId, raw) {
      const questionnaire = parseOrThrow(questionnaireSchema, raw);
      const problems: ErrorDetail[] = [];
      questionnaire.pathways.forEach((slug, i) => {
        const entry = pathways.get(slug);
        if (!entry || entry.orgId !== orgId) problems.push({ path: formatPath(['pathways', i]), message: `your organisation has no pathway "${slug}"` });
      });
      problems.push(...unknownCompetences(frameworks, questionnaire.competences, 'competences'));
      if (problems.length) throw new AppError('validation_failed', problems[0]!.message, problems);
      return questionnaire;
    },
    assess(entry, answers) {
      const followed = entry.definition.pathways.map((slug) => pathways.get(slug)).filter((p) => p !== undefined && !p.archived) as NonNullable<ReturnType<PathwayStore['get']>>[];
      return assess(entry.definition, answers, followed, catalog, frameworks);
    },
    count: (entry, assessment) => profiling.addCounts(entry.definition.slug, countsOf(assessment)),
    async keep(entry, answers) {
      const at = now();
      // Expired results go as new ones come: nothing is kept past its time for long.
      await profiling.deleteExpired(at.toISOString());
      const id = randomUUID();
      const key = randomBytes(24).toString('base64url');
      await profiling.insertResult({ id, questionnaire: entry.definition.slug, answers, keyHash: hash(key), createdAt: at.toISOString(), expiresAt: new Date(at.getTime() + RESULT_DAYS * 86_400_000).toISOString() });
      return { id, key };
    },
    result: (id) => profiling.result(id, now().toISOString()),
    forget: (id, key) => profiling.deleteResult(id, hash(key)),
    counts: (slug) => profiling.countsOf(slug),
    importFolder: (dir, orgId) => questionnaires.importFolder(dir, orgId, (raw) => service.check(orgId, raw)),
  };
  return service;
}
