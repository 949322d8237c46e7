import { pick } from '../badge-classes/achievement.js';
import type { CatalogEntry } from '../badge-classes/catalog.js';
import type { Language, LanguageMap } from '../badge-classes/schema.js';
import { frameworkPath, type FrameworkCatalog } from '../frameworks/frameworks.js';
import type { PathwayProgress } from '../pathways/progress.js';
import type { Pathway, PathwayStep } from '../pathways/schema.js';
import { requiredOf } from '../pathways/schema.js';
import { html, type SafeHtml } from './html.js';
import { fill, formatDate, MESSAGES, type Messages } from './i18n.js';
import { renderLayout, withLang } from './layout.js';

/** What the pathway pages need besides the pathways: badge classes, frameworks and organisations' names. */
export interface PathwayPageContext {
  siteName: string;
  badge(slug: string): CatalogEntry | undefined;
  frameworks: FrameworkCatalog;
}

/** A text in the reader's language, or in English marked as such. */
function text(map: LanguageMap, lang: Language): SafeHtml {
  const own = map[lang];
  return own ? html`${own}` : html`<span lang="en">${map.en}</span>`;
}

export const pathwayPath = (slug: string): string => `/pathways/${encodeURIComponent(slug)}`;

const typeOf = (t: Messages, p: Pathway) => (p.type === 'formal-vet' ? t.pathwayTypeFormal : t.pathwayTypeNonFormal);
const modeOf = (t: Messages, p: Pathway) => (p.mode === 'online' ? t.pathwayModeOnline : p.mode === 'blended' ? t.pathwayModeBlended : t.pathwayModeFaceToFace);

function badgeName(ctx: PathwayPageContext, slug: string, lang: Language): SafeHtml {
  const entry = ctx.badge(slug);
  return entry ? text(entry.badgeClass.name, lang) : html`${slug}`;
}

function badgeItem(ctx: PathwayPageContext, slug: string, lang: Language, extra: SafeHtml | string = ''): SafeHtml {
  return html`<li class="badge-item"><img src="/achievements/${encodeURIComponent(slug)}/image.svg?lang=${lang}" alt="" width="48" height="48" loading="lazy"> <span>${badgeName(ctx, slug, lang)}${extra}</span></li>`;
}

function stepRule(t: Messages, step: PathwayStep): string {
  const count = step.badgeClasses.length;
  const required = requiredOf(step);
  if (count === 1) return t.pathwayStepOne;
  return required === count ? fill(t.pathwayStepAll, { count }) : fill(t.pathwayStepAny, { required, count });
}

const STYLE = html`<style>
.badge-item{display:flex;align-items:center;gap:.6rem;margin:.35rem 0}
.badge-item img{flex:none;border-radius:50%}
.steps{padding-left:1.2rem}
.steps>li{margin:0 0 1rem}
.state-done{color:#1b5e20;font-weight:600}
.state-todo{color:#5f6368}
</style>`;

/** `/pathways`: the published pathways of every organisation. */
export function renderPathwaysPage(lang: Language, ctx: PathwayPageContext, pathways: Array<{ pathway: Pathway; organisation: string }>): string {
  const t = MESSAGES[lang];
  const body = html`<h1>${t.pathwaysTitle}</h1>
<p class="lead">${t.pathwaysIntro}</p>
${pathways.length
  ? html`<ul class="plain-list">${pathways.map(
      ({ pathway, organisation }) => html`<li class="card">
  <h2><a href="${withLang(pathwayPath(pathway.slug), lang)}">${text(pathway.title, lang)}</a></h2>
  <p class="muted">${organisation} · ${typeOf(t, pathway)} · ${modeOf(t, pathway)} · ${fill(t.pathwayHours, { hours: pathway.hours })}</p>
  <p>${text(pathway.description, lang)}</p>
</li>`,
    )}</ul>`
  : html`<p>${t.pathwaysNone}</p>`}`;
  return renderLayout({ lang, title: `${t.pathwaysTitle} – ${ctx.siteName}`, description: t.pathwaysIntro, body, switcherPath: '/pathways', siteName: ctx.siteName, siteUrl: '/', footerText: t.pathwaysFooter });
}

/** `/pathways/{slug}`: one pathway, with its steps and capstone. */
export function renderPathwayPage(lang: Language, ctx: PathwayPageContext, pathway: Pathway, organisation: string): string {
  const t = MESSAGES[lang];
  const competences = pathway.competences.flatMap((reference) => {
    const found = ctx.frameworks.find(reference);
    return found ? [found] : [];
  });
  const body = html`${STYLE}<p><a href="${withLang('/pathways', lang)}">${t.pathwayBack}</a></p>
<h1>${text(pathway.title, lang)}</h1>
<p class="lead">${text(pathway.description, lang)}</p>
<dl class="facts">
  <div><dt>${t.pathwayOfferedBy}</dt><dd>${organisation}</dd></div>
  <div><dt>${t.pathwayType}</dt><dd>${typeOf(t, pathway)}</dd></div>
  <div><dt>${t.pathwayMode}</dt><dd>${modeOf(t, pathway)}</dd></div>
  <div><dt>${t.pathwayLength}</dt><dd>${fill(t.pathwayHours, { hours: pathway.hours })}</dd></div>
</dl>
<h2>${t.pathwayEntryLevel}</h2>
<p>${text(pathway.entryLevel, lang)}</p>
${pathway.activities.length ? html`<h2>${t.pathwayActivities}</h2><ul>${pathway.activities.map((a) => html`<li>${text(a, lang)}</li>`)}</ul>` : ''}
<h2>${t.pathwaySteps}</h2>
<ol class="steps">${pathway.steps.map(
  (step, i) => html`<li><h3>${fill(t.pathwayStep, { number: i + 1 })}${step.title ? html`: ${text(step.title, lang)}` : ''}</h3>
  <p>${stepRule(t, step)}</p>
  <ul class="plain-list">${step.badgeClasses.map((slug) => badgeItem(ctx, slug, lang))}</ul>
</li>`,
)}</ol>
<section class="card" aria-labelledby="capstone-heading">
  <h2 id="capstone-heading">${t.pathwayCapstone}</h2>
  <p>${t.pathwayCapstoneIntro}</p>
  <ul class="plain-list">${badgeItem(ctx, pathway.capstone, lang)}</ul>
  <p>${pathway.completion === 'approval' ? t.pathwayApproval : t.pathwayAutomatic}</p>
</section>
${competences.length
  ? html`<h2>${t.pathwayCompetences}</h2><ul>${competences.map(
      (c) => html`<li><a href="${withLang(frameworkPath(c.framework.slug, c.competence.code), lang)}">${text(c.competence.name, lang)}</a> <span class="muted">(${c.framework.shortName ?? pick(c.framework.name, lang)} ${c.competence.code})</span></li>`,
    )}</ul>`
  : ''}`;
  const title = pick(pathway.title, lang);
  return renderLayout({ lang, title: `${title} – ${ctx.siteName}`, description: pick(pathway.description, lang), body, switcherPath: pathwayPath(pathway.slug), siteName: ctx.siteName, siteUrl: '/', footerText: t.pathwaysFooter });
}

/** `/progress/{token}`: a learner's progress through an organisation's pathways (private). */
export function renderProgressPage(lang: Language, ctx: PathwayPageContext, organisation: string, progress: PathwayProgress[], path: string): string {
  const t = MESSAGES[lang];
  const capstoneLine = (p: PathwayProgress): SafeHtml => {
    const badge = pick(ctx.badge(p.entry.pathway.capstone)?.badgeClass.name ?? { en: p.entry.pathway.capstone }, lang);
    const c = p.completion;
    if (c?.state === 'awarded' && c.credentialId) return html`<p class="state-done">${fill(t.progressAwarded, { badge })} <a href="${withLang(`/credentials/${c.credentialId}`, lang)}">${t.progressOpenBadge}</a></p>`;
    if (c?.state === 'pending') return html`<p>${fill(t.progressPending, { badge })}</p>`;
    if (c?.state === 'awarding') return html`<p>${fill(t.progressAwarding, { badge })}</p>`;
    if (c?.state === 'declined') return html`<p>${fill(t.progressDeclined, { badge, organisation })}</p>`;
    return html`<p>${fill(t.progressNext, { badge })}</p>`;
  };
  const body = html`${STYLE}<h1>${t.progressTitle}</h1>
<p class="lead">${fill(t.progressIntro, { organisation })}</p>
<p class="muted">${t.progressPrivate}</p>
${progress.length
  ? progress.map((p) => {
      const done = p.steps.filter((s) => s.done).length;
      return html`<section class="card" aria-labelledby="pw-${p.entry.pathway.slug}">
  <h2 id="pw-${p.entry.pathway.slug}">${text(p.entry.pathway.title, lang)}</h2>
  <p><progress max="${p.steps.length}" value="${done}" aria-hidden="true"></progress> ${fill(t.progressSteps, { done, total: p.steps.length })}</p>
  <ol class="steps">${p.steps.map(
    (s, i) => html`<li><h3>${fill(t.pathwayStep, { number: i + 1 })}${s.step.title ? html`: ${text(s.step.title, lang)}` : ''} – <span class="${s.done ? 'state-done' : 'state-todo'}">${s.done ? t.progressDone : t.progressNotYet}</span></h3>
    <p>${stepRule(t, s.step)}</p>
    <ul class="plain-list">${s.step.badgeClasses.map((slug) => {
      const earned = s.earned.find((e) => e.badgeClass === slug);
      return earned
        ? badgeItem(ctx, slug, lang, html` – <a href="${withLang(`/credentials/${earned.id}`, lang)}">${fill(t.progressEarnedOn, { date: formatDate(earned.issuedAt, lang) ?? earned.issuedAt.slice(0, 10) })}</a>`)
        : badgeItem(ctx, slug, lang, html` – <span class="state-todo">${t.progressNotYet}</span>`);
    })}</ul>
  </li>`,
  )}</ol>
  ${capstoneLine(p)}
  <p><a href="${withLang(pathwayPath(p.entry.pathway.slug), lang)}">${t.progressAbout}</a></p>
</section>`;
    })
  : html`<p>${fill(t.progressNone, { organisation })}</p>`}`;
  return renderLayout({ lang, title: `${t.progressTitle} – ${ctx.siteName}`, body, switcherPath: path, siteName: ctx.siteName, siteUrl: '/' });
}
