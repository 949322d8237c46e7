import express, { Router, type Request } from 'express';
import type { AppContext } from '../../app-context.js';
import type { Language } from '../../badge-classes/schema.js';
import { AppError } from '../../errors/errors.js';
import { negotiateLanguage } from '../../pages/i18n.js';
import { renderKeptResult, renderProfileIndex, renderProfileResult, renderQuestionnaire, renderResultDeleted, type ProfilePageContext } from '../../pages/profile-page.js';
import { normaliseAnswers } from '../../profiling/assess.js';
import type { QuestionnaireEntry } from '../../profiling/profiling.js';
import { sendPage } from '../pages.js';

/**
 * `/profile`: the skills profiling tool. A learner answers a questionnaire without an account; the
 * result is shown and nothing is kept, unless they choose to add their answers to the anonymous
 * counts, or to keep the result for a link they can share (and delete).
 */
export function createProfileRouter(ctx: AppContext): Router {
  const router = Router();
  const pages: ProfilePageContext = { siteName: ctx.instance.name, badge: (slug) => ctx.catalog.get(slug) };
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 200 });
  const orgName = async (orgId: string, lang: Language) => (await ctx.organisations.get(orgId))?.issuer(lang).name ?? '';
  const langOf = (req: Request) => negotiateLanguage(req.query, req.get('accept-language'));
  const published = (slug: string): QuestionnaireEntry => {
    const entry = ctx.profiling.questionnaires.get(slug);
    if (!entry || entry.archived) throw new AppError('questionnaire_not_found', `no self-assessment "${slug}"`);
    return entry;
  };
  const nameOf = (entry: QuestionnaireEntry) => (i: number) => {
    const c = entry.definition.competences[i]!;
    return ctx.frameworks.find(c)?.competence.name ?? { en: `${c.framework} ${c.code}` };
  };
  const answersOf = (entry: QuestionnaireEntry, body: Record<string, unknown>) => normaliseAnswers(entry.definition, (i, j) => body[`c${i}q${j}`]);

  router.get('/profile', async (req, res) => {
    const lang = langOf(req);
    const listed = ctx.profiling.questionnaires.list().filter((e) => !e.archived);
    const questionnaires = await Promise.all(listed.map(async (e) => ({ questionnaire: e.definition, organisation: await orgName(e.orgId, lang) })));
    sendPage(res, renderProfileIndex(lang, pages, questionnaires), lang);
  });

  router.get('/profile/:slug', async (req, res) => {
    const lang = langOf(req);
    const entry = published(String(req.params.slug));
    sendPage(res, renderQuestionnaire(lang, pages, entry.definition, await orgName(entry.orgId, lang), nameOf(entry)), lang);
  });

  // The result of the answers sent: shown, not kept; counted only when the learner ticked the box.
  router.post('/profile/:slug', form, async (req, res) => {
    const lang = langOf(req);
    const entry = published(String(req.params.slug));
    const body = req.body as Record<string, unknown>;
    const answers = answersOf(entry, body);
    const assessment = ctx.profiling.assess(entry, answers);
    if (body.count === '1') await ctx.profiling.count(entry, assessment);
    sendPage(res, renderProfileResult(lang, pages, entry.definition, await orgName(entry.orgId, lang), answers, assessment), lang, { cacheControl: 'private, no-store' });
  });

  router.post('/profile/:slug/keep', form, async (req, res) => {
    const lang = langOf(req);
    const entry = published(String(req.params.slug));
    const { id, key } = await ctx.profiling.keep(entry, answersOf(entry, req.body as Record<string, unknown>));
    res.redirect(303, `/profile/results/${id}?key=${key}&lang=${lang}`);
  });

  router.get('/profile/results/:id', async (req, res) => {
    const lang = langOf(req);
    const kept = await ctx.profiling.result(String(req.params.id));
    const entry = kept && ctx.profiling.questionnaires.get(kept.questionnaire);
    if (!kept || !entry) throw new AppError('profile_result_not_found', 'this result was deleted, or has expired');
    const key = typeof req.query.key === 'string' && req.query.key.length <= 64 ? req.query.key : undefined;
    const assessment = ctx.profiling.assess(entry, kept.answers);
    const shareUrl = `${ctx.config.publicUrl}/profile/results/${kept.id}`;
    res.set('X-Robots-Tag', 'noindex, nofollow');
    sendPage(res, renderKeptResult(lang, pages, entry.definition, await orgName(entry.orgId, lang), assessment, { id: kept.id, createdAt: kept.createdAt, shareUrl, key }), lang, { cacheControl: 'private, no-store' });
  });

  router.post('/profile/results/:id/delete', form, async (req, res) => {
    const lang = langOf(req);
    const key = (req.body as Record<string, unknown>).key;
    if (typeof key !== 'string' || !(await ctx.profiling.forget(String(req.params.id), key))) throw new AppError('profile_result_not_found', 'no result with this link and key: it may already be deleted');
    sendPage(res, renderResultDeleted(lang, pages), lang);
  });

  return router;
}
