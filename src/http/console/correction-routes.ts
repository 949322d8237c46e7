import express, { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../app-context.js';
import { pick } from '../../badge-classes/achievement.js';
import { reissueRequestSchema, renewalRequestSchema, type ReissueRequest, type RenewalRequest } from '../../credentials/award-request.js';
import { refuseIfSettled } from '../../credentials/issuance.js';
import { AppError } from '../../errors/errors.js';
import { renderAwardForm } from '../../pages/console/award-pages.js';
import { renderEraseConfirm } from '../../pages/console/awards-page.js';
import { CONSOLE_MESSAGES } from '../../pages/console/i18n.js';
import type { ConsoleFrame } from '../../pages/console/layout.js';
import { sendConsolePage as sendPage } from '../pages.js';
import { awardFromForm, consoleCaller, fieldErrors } from './award-routes.js';
import { consoleUserOf, requireConsole, type ConsoleSessions } from './session.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const day = (v: unknown): string | undefined => str(v)?.slice(0, 10);

/** The award form's fields, from a stored credential: what a correction starts from (never an address, which is not kept). */
export function formValuesOf(document: Json, language: string): Record<string, string> {
  const subject = obj(document.credentialSubject);
  const results = Array.isArray(subject.result) ? subject.result.map(obj) : [];
  const evidence = obj(Array.isArray(document.evidence) ? document.evidence[0] : undefined);
  const values: Record<string, string | undefined> = {
    language,
    name: str(subject.name),
    // The first result is the badge's proficiency level; the provider's own follow it.
    result: results.map((r) => str(r.value)).find((v) => v !== undefined),
    narrative: str(subject.narrative),
    evidenceUrl: str(evidence.id),
    evidenceName: str(evidence.name),
    activityStartDate: day(subject.activityStartDate),
    activityEndDate: day(subject.activityEndDate),
    validUntil: day(document.validUntil),
  };
  return Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => e[1] !== undefined));
}

/** Correcting awards in the console: re-issue one with corrections, and the confirmation before erasing one. */
export function createConsoleCorrectionRouter(ctx: AppContext, sessions: ConsoleSessions, frameOf: (req: Request, res: Response) => ConsoleFrame): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 30 });
  const classesFor = (res: Response) => ctx.catalog.awardableBy(consoleUserOf(res).current.orgId);
  const badgeName = (slug: string, frame: ConsoleFrame) => {
    const entry = ctx.catalog.get(slug);
    return entry ? pick(entry.badgeClass.name, frame.lang) : slug;
  };

  /** One of the organisation's awards, with its stored document; another organisation's is not found. */
  async function ownAward(res: Response, id: string) {
    const state = await ctx.storage.credentials.stateOf(id);
    if (!state || state.orgId !== consoleUserOf(res).current.orgId) throw new AppError('credential_not_found', `no credential "${id}" in this organisation`);
    const stored = state.erasedAt ? undefined : await ctx.issuance.get(id);
    return { state, document: stored?.document ? (JSON.parse(stored.document) as Json) : {} };
  }
  const languageOf = (document: Json): string => str(obj(obj(document.credentialSubject).achievement).inLanguage) ?? 'en';

  /** The form of a correction or a renewal of one of the organisation's awards. */
  const correctionOf = (id: string, slug: string, frame: ConsoleFrame, kind: 'reissue' | 'renew') => ({
    id,
    badgeName: badgeName(slug, frame),
    ...(kind === 'renew' ? { renewal: { method: ctx.catalog.get(slug)?.badgeClass.renewal?.method } } : {}),
  });

  router.get('/awards/:id/reissue', requireConsole(sessions, 'award'), async (req, res) => {
    const frame = frameOf(req, res);
    const id = String(req.params.id);
    const { state, document } = await ownAward(res, id);
    refuseIfSettled(state);
    sendPage(res, renderAwardForm(frame, classesFor(res), { values: formValuesOf(document, languageOf(document)), errors: {}, reissue: correctionOf(id, state.badgeClass, frame, 'reissue') }), frame.lang);
  });

  // A renewal starts from the learner and the language; its evidence and dates are new.
  router.get('/awards/:id/renew', requireConsole(sessions, 'award'), async (req, res) => {
    const frame = frameOf(req, res);
    const id = String(req.params.id);
    const { state, document } = await ownAward(res, id);
    refuseIfSettled(state);
    const { language, name } = formValuesOf(document, languageOf(document));
    const values = { ...(language ? { language } : {}), ...(name ? { name } : {}) };
    sendPage(res, renderAwardForm(frame, classesFor(res), { values, errors: {}, reissue: correctionOf(id, state.badgeClass, frame, 'renew') }), frame.lang);
  });

  for (const kind of ['reissue', 'renew'] as const) {
    router.post(`/awards/:id/${kind}`, form, requireConsole(sessions, 'award'), async (req, res) => {
      const frame = frameOf(req, res);
      const id = String(req.params.id);
      const { state } = await ownAward(res, id);
      const values = req.body as Record<string, string>;
      const errors: Record<string, string> = {};
      const reissue = correctionOf(id, state.badgeClass, frame, kind);
      const again = (status: number) => sendPage(res.status(status), renderAwardForm(frame, classesFor(res), { values, errors, reissue }), frame.lang);
      const { badgeClass: _fixed, ...fields } = awardFromForm(values);
      const parsed = (kind === 'reissue' ? reissueRequestSchema : renewalRequestSchema).safeParse(fields);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
        // The renewal's evidence is the form's link or name, or its result.
        fieldErrors(errors, problems.map((p) => (p.path === 'evidence' && kind === 'renew' ? { path: 'evidence.0.id', message: CONSOLE_MESSAGES[frame.lang].renewEvidenceRequired } : p)));
        return again(422);
      }
      const request = parsed.data as ReissueRequest & RenewalRequest;
      let issued;
      try {
        const actor = `user:${consoleUserOf(res).user.id}`;
        issued = (kind === 'reissue' ? await ctx.issuance.reissue(consoleCaller(res), id, request, actor) : await ctx.issuance.renew(consoleCaller(res), id, request, actor)).issued;
      } catch (e) {
        if (!(e instanceof AppError) || e.status >= 500) throw e;
        fieldErrors(errors, e.details ?? [{ path: 'badgeClass', message: e.message }]);
        return again(e.status);
      }
      const awarded = {
        url: issued.url,
        certificate: `${issued.url}/certificate.pdf`,
        name: request.recipient?.name ?? reissue.badgeName,
        ...(request.recipient?.email && request.notify !== false ? { email: request.recipient.email } : {}),
      };
      sendPage(res.status(201), renderAwardForm(frame, classesFor(res), { values: {}, errors: {}, awarded, reissue }), frame.lang);
    });
  }

  router.get('/awards/:id/erase', requireConsole(sessions, 'erase'), async (req, res) => {
    const frame = frameOf(req, res);
    const id = String(req.params.id);
    const { state, document } = await ownAward(res, id);
    sendPage(res, renderEraseConfirm(frame, { id, name: str(obj(document.credentialSubject).name), badge: badgeName(state.badgeClass, frame) }), frame.lang);
  });

  return router;
}
