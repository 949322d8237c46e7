import { pick } from '../badge-classes/achievement.js';
import type { CatalogEntry } from '../badge-classes/catalog.js';
import type { Language, LanguageMap } from '../badge-classes/schema.js';
import { frameworkPath } from '../frameworks/frameworks.js';
import type { Assessment, Answers } from '../profiling/assess.js';
import { SCALE, type Questionnaire } from '../profiling/schema.js';
import { html, type SafeHtml } from './html.js';
import { fill, formatDate, MESSAGES, type Messages } from './i18n.js';
import { renderLayout, withLang } from './layout.js';
import { pathwayPath } from './pathways-page.js';

/** The profiling tool's pages: the questionnaires, one to answer, its result, a kept result. */
export interface ProfilePageContext {
  siteName: string;
  badge(slug: string): CatalogEntry | undefined;
}

function text(map: LanguageMap, lang: Language): SafeHtml {
  const own = map[lang];
  return own ? html`${own}` : html`<span lang="en">${map.en}</span>`;
}
const scaleOf = (t: Messages) => [t.profileScale0, t.profileScale1, t.profileScale2, t.profileScale3];
const levelName = (t: Messages, q: Questionnaire, level: number, lang: Language): string => (q.levels ? pick(q.levels[level]!, lang) : [t.profileLevel0, t.profileLevel1, t.profileLevel2, t.profileLevel3][level]!);

const STYLE = html`<style>
.question{border:0;padding:0;margin:0 0 1.2rem}
.question legend{font-weight:600;padding:0;margin-bottom:.4rem}
.answers{list-style:none;padding:0;margin:0;display:grid;gap:.35rem}
.answers label{display:flex;gap:.6rem;align-items:flex-start;padding:.55rem .7rem;border:1px solid var(--line);border-radius:8px;background:#fff;min-height:2.75rem}
.answers input{margin-top:.3rem;flex:none;width:1.15rem;height:1.15rem}
.profile-bar{display:block;width:100%;max-width:12rem;height:1rem}
.profile-table td,.profile-table th{vertical-align:middle}
.badge-item{display:flex;align-items:center;gap:.6rem;margin:.35rem 0}
.badge-item img{flex:none;border-radius:50%}
.share-link{word-break:break-all;font-family:ui-monospace,monospace;background:#fff;border:1px solid var(--line);padding:.5rem;border-radius:6px}
</style>`;

/** `/profile`: the self-assessments to choose from. */
export function renderProfileIndex(lang: Language, ctx: ProfilePageContext, questionnaires: Array<{ questionnaire: Questionnaire; organisation: string }>): string {
  const t = MESSAGES[lang];
  const body = html`<h1>${t.profileTitle}</h1>
<p class="lead">${t.profileIntro}</p>
<h2>${t.profileChoose}</h2>
${questionnaires.length
  ? html`<ul class="plain-list">${questionnaires.map(
      ({ questionnaire: q, organisation }) => html`<li class="card">
  <h3><a href="${withLang(`/profile/${q.slug}`, lang)}">${text(q.title, lang)}</a></h3>
  <p class="muted">${fill(t.profileBy, { organisation })} · ${fill(t.profileQuestionsCount, { count: q.competences.reduce((n, c) => n + c.questions.length, 0) })}</p>
</li>`,
    )}</ul>`
  : html`<p>${t.profileNone}</p>`}`;
  return renderLayout({ lang, title: `${t.profileTitle} – ${ctx.siteName}`, description: t.profileIntro, body, switcherPath: '/profile', siteName: ctx.siteName, siteUrl: '/' });
}

/** `/profile/{slug}`: the questionnaire, answered with radio buttons (a form that needs no script). */
export function renderQuestionnaire(lang: Language, ctx: ProfilePageContext, q: Questionnaire, organisation: string, competenceName: (i: number) => LanguageMap): string {
  const t = MESSAGES[lang];
  const scale = scaleOf(t);
  const body = html`${STYLE}<p><a href="${withLang('/profile', lang)}">${t.profileChoose}</a></p>
<h1>${text(q.title, lang)}</h1>
<p class="lead">${text(q.intro, lang)}</p>
<p id="hint">${t.profileQuestionHint}</p>
<form method="post" action="/profile/${q.slug}?lang=${lang}" class="stack-form">
${q.competences.map(
  (c, i) => html`<section class="card" aria-labelledby="c${i}">
  <h2 id="c${i}">${text(competenceName(i), lang)}</h2>
  ${c.questions.map(
    (question, j) => html`<fieldset class="question">
    <legend>${text(question, lang)}</legend>
    <ul class="answers">${SCALE.map((value) => html`<li><label><input type="radio" name="c${i}q${j}" value="${value}"> <span>${scale[value]}</span></label></li>`)}</ul>
  </fieldset>`,
  )}
</section>`,
)}
  <p><label><input type="checkbox" name="count" value="1"> ${fill(t.profileCount, { organisation })}</label></p>
  <p><button type="submit" class="button button--primary">${t.profileSubmit}</button></p>
</form>`;
  return renderLayout({ lang, title: `${pick(q.title, lang)} – ${ctx.siteName}`, description: pick(q.intro, lang), body, switcherPath: `/profile/${q.slug}`, siteName: ctx.siteName, siteUrl: '/' });
}

function badgeItem(ctx: ProfilePageContext, slug: string, lang: Language): SafeHtml {
  const entry = ctx.badge(slug);
  return html`<li class="badge-item"><img src="/achievements/${encodeURIComponent(slug)}/image.svg?lang=${lang}" alt="" width="48" height="48" loading="lazy"> <span>${entry ? text(entry.badgeClass.name, lang) : slug}</span></li>`;
}

/** The result: the profile per competence (a table, each level drawn as a bar), and what to aim for. */
function renderAssessment(lang: Language, ctx: ProfilePageContext, q: Questionnaire, organisation: string, a: Assessment): SafeHtml {
  const t = MESSAGES[lang];
  const max = SCALE.length - 1;
  const rec = a.recommendation;
  const step = rec && rec.start < rec.entry.pathway.steps.length ? rec.entry.pathway.steps[rec.start]! : undefined;
  return html`<section class="card" aria-labelledby="profile-heading">
  <h2 id="profile-heading">${t.profileResultTitle}</h2>
  <p>${t.profileResultIntro}</p>
  <table class="profile-table stack-table">
    <thead><tr><th scope="col">${t.profileCompetence}</th><th scope="col">${t.profileYourLevel}</th><th scope="col"><span class="visually-hidden">${t.profileYourLevel}</span></th></tr></thead>
    <tbody>${a.scores.map(
      (s) => html`<tr>
      <th scope="row"><a href="${withLang(frameworkPath(s.found.framework.slug, s.found.competence.code), lang)}">${text(s.found.competence.name, lang)}</a></th>
      <td data-label="${t.profileYourLevel}">${s.level === null ? t.profileNotAnswered : levelName(t, q, s.level, lang)}</td>
      <td><svg class="profile-bar" viewBox="0 0 120 10" aria-hidden="true" focusable="false"><rect width="120" height="10" rx="5" fill="#e3e8ef"/>${s.score === null ? '' : html`<rect width="${Math.max(6, Math.round((120 * s.score) / max))}" height="10" rx="5" fill="#1d4f91"/>`}</svg></td>
    </tr>`,
    )}</tbody>
  </table>
</section>
<section class="card" aria-labelledby="pathway-heading">
  <h2 id="pathway-heading">${t.profileRecommended}</h2>
  ${rec
    ? html`<h3><a href="${withLang(pathwayPath(rec.entry.pathway.slug), lang)}">${text(rec.entry.pathway.title, lang)}</a></h3>
  <p>${text(rec.entry.pathway.description, lang)}</p>
  <p>${t.profileRecommendedIntro}</p>
  ${step
    ? html`<p><strong>${step.title ? fill(t.profileStartAt, { number: rec.start + 1, step: pick(step.title, lang) }) : fill(t.profileStartAtNumber, { number: rec.start + 1 })}</strong></p>
  <h3>${t.profileAimFor}</h3>
  <ul class="plain-list">${rec.aimFor.map((slug) => badgeItem(ctx, slug, lang))}</ul>`
    : html`<p>${fill(t.profileAllSteps, { organisation })}</p>`}
  ${rec.mayHave.length ? html`<p>${fill(t.profileMayHave, { organisation })}</p><ul class="plain-list">${rec.mayHave.map((slug) => badgeItem(ctx, slug, lang))}</ul>` : ''}
  <p><a class="button" href="${withLang(pathwayPath(rec.entry.pathway.slug), lang)}">${t.profileSeePathway}</a></p>
  ${a.ranked.length > 1
    ? html`<h3>${t.profileOtherPathways}</h3><ul>${a.ranked.slice(1).map((r) => html`<li><a href="${withLang(pathwayPath(r.entry.pathway.slug), lang)}">${text(r.entry.pathway.title, lang)}</a></li>`)}</ul>`
    : ''}`
    : html`<p>${t.profileNoRecommendation}</p>`}
</section>`;
}

/** The answers as hidden fields, for "save and get a link". */
const hiddenAnswers = (answers: Answers): SafeHtml[] =>
  answers.flatMap((row, i) => row.flatMap((value, j) => (value === null ? [] : [html`<input type="hidden" name="c${i}q${j}" value="${value}">`])));

/** After answering: the result (nothing kept), with the form to keep it and get a link. */
export function renderProfileResult(lang: Language, ctx: ProfilePageContext, q: Questionnaire, organisation: string, answers: Answers, a: Assessment): string {
  const t = MESSAGES[lang];
  const body = html`${STYLE}<h1>${text(q.title, lang)}</h1>
${renderAssessment(lang, ctx, q, organisation, a)}
<p class="muted no-print">${t.profilePrint}</p>
<section class="card no-print" aria-labelledby="keep-heading">
  <h2 id="keep-heading">${t.profileKeepHeading}</h2>
  <p>${t.profileKeepIntro}</p>
  <form method="post" action="/profile/${q.slug}/keep?lang=${lang}">${hiddenAnswers(answers)}<button type="submit" class="button">${t.profileKeep}</button></form>
</section>
<p class="no-print"><a href="${withLang(`/profile/${q.slug}`, lang)}">${t.profileStartAgain}</a></p>`;
  return renderLayout({ lang, title: `${t.profileResultTitle} – ${ctx.siteName}`, body, switcherPath: `/profile/${q.slug}`, siteName: ctx.siteName, siteUrl: '/' });
}

/** A kept result: for the learner (with its key: the link to share, and delete), or for whom they shared it with. */
export function renderKeptResult(
  lang: Language,
  ctx: ProfilePageContext,
  q: Questionnaire,
  organisation: string,
  a: Assessment,
  kept: { id: string; createdAt: string; shareUrl: string; key?: string | undefined },
): string {
  const t = MESSAGES[lang];
  const owner = kept.key !== undefined;
  const body = html`${STYLE}<h1>${owner ? t.profileKeptTitle : t.profileSharedTitle}</h1>
${owner
  ? html`<div class="notice notice--ok" role="status"><p>${t.profileKept}</p><p class="share-link">${kept.shareUrl}</p></div>
<p>${t.profileKeepSafe}</p>`
  : html`<p class="lead">${t.profileSharedIntro}</p>`}
<p class="muted">${text(q.title, lang)} · ${fill(t.profileSavedOn, { date: formatDate(kept.createdAt, lang) ?? kept.createdAt.slice(0, 10) })}</p>
${renderAssessment(lang, ctx, q, organisation, a)}
${owner
  ? html`<form method="post" action="/profile/results/${kept.id}/delete?lang=${lang}" class="no-print"><input type="hidden" name="key" value="${kept.key}"><button type="submit" class="button">${t.profileDelete}</button></form>`
  : ''}`;
  return renderLayout({ lang, title: `${owner ? t.profileKeptTitle : t.profileSharedTitle} – ${ctx.siteName}`, body, switcherPath: `/profile/results/${kept.id}${owner ? `?key=${kept.key}` : ""}`, siteName: ctx.siteName, siteUrl: '/' });
}

/** After deleting a kept result. */
export function renderResultDeleted(lang: Language, ctx: ProfilePageContext): string {
  const t = MESSAGES[lang];
  const body = html`<h1>${t.profileDeleted}</h1><p><a href="${withLang('/profile', lang)}">${t.profileTitle}</a></p>`;
  return renderLayout({ lang, title: `${t.profileDeleted} – ${ctx.siteName}`, body, switcherPath: '/profile', siteName: ctx.siteName, siteUrl: '/' });
}
