import { randomUUID as nodeRandomUUID } from 'node:crypto';
import { pick } from '../badge-classes/achievement.js';
import type { Catalog } from '../badge-classes/catalog.js';
import type { Language } from '../badge-classes/schema.js';
import { awardRequestSchema, type AwardRequest } from '../credentials/award-request.js';
import { credentialUrl } from '../credentials/build.js';
import type { IssuanceService, IssuedAward } from '../credentials/issuance.js';
import type { AwardRow, PathwayCompletionRecord, Storage } from '../db/repositories.js';
import { AppError } from '../errors/errors.js';
import type { Logger } from '../logger.js';
import type { Caller } from '../organisations/api-keys.js';
import { requiredOf, type PathwayStep } from './schema.js';
import type { PathwayEntry, PathwayStore } from './store.js';

/** A badge of the learner's that counts: active (not revoked, suspended or expired). */
export interface EarnedBadge {
  id: string;
  badgeClass: string;
  issuedAt: string;
  validUntil: string | null;
}

export interface StepProgress {
  step: PathwayStep;
  required: number;
  /** One per badge class of the step the learner holds, earliest first. */
  earned: EarnedBadge[];
  done: boolean;
}

export interface PathwayProgress {
  entry: PathwayEntry;
  steps: StepProgress[];
  complete: boolean;
  completion: PathwayCompletionRecord | undefined;
}

/** The capstone's narrative: what the learner did, in the award's language. */
const COMPLETED: Record<Language, string> = {
  en: 'Completed the learning pathway “{title}”.',
  it: 'Ha completato il percorso di apprendimento «{title}».',
  lt: 'Baigė mokymosi kelią „{title}“.',
  ro: 'A parcurs integral traseul de învățare „{title}”.',
  fr: 'A terminé le parcours d’apprentissage « {title} ».',
  es: 'Ha completado el itinerario de aprendizaje «{title}».',
  de: 'Hat den Lernpfad „{title}“ abgeschlossen.',
};

/** How far a learner's badges take them through a pathway. */
export function progressThrough(entry: PathwayEntry, badges: EarnedBadge[], completion?: PathwayCompletionRecord): PathwayProgress {
  const earliest = [...badges].sort((a, b) => (a.issuedAt < b.issuedAt ? -1 : a.issuedAt > b.issuedAt ? 1 : 0));
  const steps = entry.pathway.steps.map((step): StepProgress => {
    const earned: EarnedBadge[] = [];
    for (const badge of earliest) if (step.badgeClasses.includes(badge.badgeClass) && !earned.some((e) => e.badgeClass === badge.badgeClass)) earned.push(badge);
    const required = requiredOf(step);
    return { step, required, earned, done: earned.length >= required };
  });
  return { entry, steps, complete: steps.every((s) => s.done), completion };
}

/** The credentials a completion names as the capstone's evidence: each step's first required badges. */
export const componentsOf = (progress: PathwayProgress): EarnedBadge[] => progress.steps.flatMap((s) => s.earned.slice(0, s.required));

export interface PathwayProgressDeps {
  storage: Storage;
  pathways: PathwayStore;
  catalog: Catalog;
  /** Issues the capstones (a getter: issuance tells this service of what it issued). */
  issuance: () => IssuanceService;
  publicUrl: string;
  logger: Logger;
  now?: () => Date;
  randomUUID?: () => string;
}

export interface PathwayProgressService {
  /** The organisation's pathways the learner has started (a badge of a step, or a completion), with their progress. */
  progressOf(orgId: string, learnerKey: string): Promise<PathwayProgress[]>;
  /** Issuance's `afterIssue`: a learner whose awards complete a pathway gets its capstone, or a completion awaiting approval. */
  afterIssue(awards: IssuedAward[]): Promise<void>;
  /** An organisation's completions, newest first. */
  completions(orgId: string, query: { state?: PathwayCompletionRecord['state']; pathway?: string; limit: number }): Promise<PathwayCompletionRecord[]>;
  /** Approves a pending completion: its capstone is issued (and e-mailed when the learner's badges are). */
  approve(orgId: string, id: string, actor: string): Promise<PathwayCompletionRecord>;
  /** Declines a pending completion: the learner's address it held is forgotten. */
  decline(orgId: string, id: string, actor: string): Promise<PathwayCompletionRecord>;
}

export function createPathwayProgress(deps: PathwayProgressDeps): PathwayProgressService {
  const { storage, pathways, catalog, publicUrl, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const randomUUID = deps.randomUUID ?? nodeRandomUUID;

  async function badgesOf(orgId: string, learnerKey: string): Promise<EarnedBadge[]> {
    const rows: AwardRow[] = await storage.credentials.search(orgId, { learnerKey, state: 'active', now: now().toISOString(), limit: 1000 });
    return rows.map((r) => ({ id: r.id, badgeClass: r.badgeClass, issuedAt: r.issuedAt, validUntil: r.validUntil }));
  }

  /** The capstone's award: to the learner, in their language when the capstone has it, with the components as evidence. */
  function capstoneAward(entry: PathwayEntry, award: IssuedAward, components: EarnedBadge[]): AwardRequest {
    const capstone = catalog.get(entry.pathway.capstone);
    const language: Language = capstone?.languages.includes(award.language) ? award.language : 'en';
    const name = (slug: string) => {
      const badge = catalog.get(slug)?.badgeClass;
      return badge ? pick(badge.name, language) : slug;
    };
    return {
      badgeClass: entry.pathway.capstone,
      recipient: { ...(award.recipient.email ? { email: award.recipient.email } : {}), ...(award.recipient.name ? { name: award.recipient.name } : {}) },
      language,
      narrative: COMPLETED[language].replace('{title}', pick(entry.pathway.title, language)),
      evidence: components.map((c) => ({ id: credentialUrl(publicUrl, c.id), name: name(c.badgeClass), genre: 'Open Badge' })),
      notify: award.notify,
    };
  }

  async function callerOf(orgId: string): Promise<Caller> {
    const org = await storage.organisations.byId(orgId);
    if (!org) throw new AppError('organisation_not_found', `no organisation "${orgId}"`);
    return { org: { id: org.id, name: org.name }, apiKeyId: 'pathway', badgeClasses: ['*'] };
  }

  /**
   * Issues the capstone of a completion being awarded: with the same Idempotency-Key each time, so an
   * attempt cut short (a crash, another instance at the same moment) is finished by the next without a
   * second capstone.
   */
  async function awardCapstone(completion: PathwayCompletionRecord, award: AwardRequest): Promise<PathwayCompletionRecord> {
    const result = await deps.issuance().issue(await callerOf(completion.orgId), [award], {
      kind: 'single',
      idempotencyKey: `pathway:${completion.pathway}:${completion.learnerKey}`,
      actor: `pathway:${completion.pathway}`,
    });
    const credentialId = result.issued[0]!.id;
    await storage.pathways.updateCompletion(completion.id, ['awarding'], { state: 'awarded', credentialId, award: null });
    return { ...completion, state: 'awarded', credentialId, award: null };
  }

  async function complete(entry: PathwayEntry, award: IssuedAward & { learnerKey: string }, progress: PathwayProgress, badges: EarnedBadge[]): Promise<void> {
    const { pathway } = entry;
    let completion = progress.completion;
    if (completion && completion.state !== 'awarding') return;
    // A learner who already holds the capstone (another pathway of the organisation ends in it) is not given a second.
    const held = badges.find((b) => b.badgeClass === pathway.capstone);
    if (!completion && held) {
      await storage.pathways.insertCompletion({
        id: randomUUID(), pathway: pathway.slug, orgId: entry.orgId, learnerKey: award.learnerKey, state: 'awarded', components: componentsOf(progress).map((c) => c.id),
        award: null, credentialId: held.id, createdAt: now().toISOString(), decidedAt: null, decidedBy: null,
      });
      return;
    }
    // One begun before is finished with its own award: the Idempotency-Key holds it to the same request.
    let request = completion?.award ? awardRequestSchema.parse(completion.award) : capstoneAward(entry, award, componentsOf(progress));
    if (!completion) {
      const approval = pathway.completion === 'approval';
      const at = now().toISOString();
      const record: PathwayCompletionRecord = {
        id: randomUUID(),
        pathway: pathway.slug,
        orgId: entry.orgId,
        learnerKey: award.learnerKey,
        state: approval ? 'pending' : 'awarding',
        components: componentsOf(progress).map((c) => c.id),
        // Kept until the capstone is issued (or the completion declined), as a spreadsheet row's award is.
        award: request as unknown as Record<string, unknown>,
        credentialId: null,
        createdAt: at,
        decidedAt: null,
        decidedBy: null,
      };
      if (await storage.pathways.insertCompletion(record)) {
        await storage.accounts.insertAudit({ id: randomUUID(), orgId: entry.orgId, actor: 'system', action: 'pathway.completed', subject: record.id, details: { pathway: pathway.slug, components: record.components, approval }, at });
        completion = record;
      } else {
        // Another award completed it at the same moment: whichever recorded it goes on.
        completion = await storage.pathways.completionOf(pathway.slug, award.learnerKey);
        if (completion?.award) request = awardRequestSchema.parse(completion.award);
      }
      if (completion?.state !== 'awarding') return;
    }
    await awardCapstone(completion, request);
  }

  const service: PathwayProgressService = {
    async progressOf(orgId, learnerKey) {
      const badges = await badgesOf(orgId, learnerKey);
      const out: PathwayProgress[] = [];
      for (const entry of pathways.ownedBy(orgId)) {
        if (entry.archived) continue;
        const completion = await storage.pathways.completionOf(entry.pathway.slug, learnerKey);
        const progress = progressThrough(entry, badges, completion);
        if (completion || progress.steps.some((s) => s.earned.length)) out.push(progress);
      }
      return out;
    },

    async afterIssue(awards) {
      for (const award of awards) {
        if (!award.learnerKey || !award.recipient.email) continue;
        const learner = { ...award, learnerKey: award.learnerKey };
        for (const entry of pathways.involving(award.orgId, award.badgeClass)) {
          if (!entry.pathway.steps.some((s) => s.badgeClasses.includes(award.badgeClass))) continue;
          try {
            const completion = await storage.pathways.completionOf(entry.pathway.slug, learner.learnerKey);
            if (completion && completion.state !== 'awarding') continue;
            const badges = await badgesOf(award.orgId, learner.learnerKey);
            const progress = progressThrough(entry, badges, completion);
            if (progress.complete) await complete(entry, learner, progress, badges);
          } catch (e) {
            // The component stands; the capstone is tried again with the learner's next award of the pathway.
            logger.warn({ pathway: entry.pathway.slug, credential: award.credentialId, error: e instanceof Error ? e.message : String(e) }, 'a completed pathway\'s capstone was not awarded');
          }
        }
      }
    },

    completions: (orgId, query) => storage.pathways.completions(orgId, query),

    async approve(orgId, id, actor) {
      const completion = await storage.pathways.completionById(orgId, id);
      if (!completion) throw new AppError('completion_not_found', `no completion "${id}"`);
      const at = now().toISOString();
      if (completion.state === 'pending' && !(await storage.pathways.updateCompletion(id, ['pending'], { state: 'awarding', decidedAt: at, decidedBy: actor }))) {
        throw new AppError('completion_decided', 'someone decided this completion meanwhile');
      }
      if (completion.state !== 'pending' && completion.state !== 'awarding') throw new AppError('completion_decided', `this completion is already ${completion.state}`);
      const award = awardRequestSchema.parse(completion.award);
      if (completion.state === 'pending') await storage.accounts.insertAudit({ id: randomUUID(), orgId, actor, action: 'pathway.completion_approved', subject: id, details: { pathway: completion.pathway }, at });
      return awardCapstone({ ...completion, state: 'awarding', decidedAt: completion.decidedAt ?? at, decidedBy: completion.decidedBy ?? actor }, award);
    },

    async decline(orgId, id, actor) {
      const completion = await storage.pathways.completionById(orgId, id);
      if (!completion) throw new AppError('completion_not_found', `no completion "${id}"`);
      const at = now().toISOString();
      if (!(await storage.pathways.updateCompletion(id, ['pending'], { state: 'declined', award: null, decidedAt: at, decidedBy: actor }))) {
        throw new AppError('completion_decided', `this completion is already ${completion.state === 'pending' ? 'decided' : completion.state}`);
      }
      await storage.accounts.insertAudit({ id: randomUUID(), orgId, actor, action: 'pathway.completion_declined', subject: id, details: { pathway: completion.pathway }, at });
      return { ...completion, state: 'declined', award: null, decidedAt: at, decidedBy: actor };
    },
  };
  return service;
}
