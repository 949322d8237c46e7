import type { Language, LanguageMap } from '../badge-classes/schema.js';
import { frameworkPath, type FoundCompetence } from '../frameworks/frameworks.js';
import type { Competence, Framework } from '../frameworks/schema.js';
import { html, safeUrl, type SafeHtml } from './html.js';
import { fill, MESSAGES } from './i18n.js';
import { renderLayout, withLang } from './layout.js';

/** A text in the reader's language, or in English marked as such when the framework lacks it. */
function text(map: LanguageMap, lang: Language): SafeHtml {
  const own = map[lang];
  return own ? html`${own}` : html`<span lang="en">${map.en}</span>`;
}
const plain = (map: LanguageMap, lang: Language): string => map[lang] ?? map.en;
const nameOf = (f: Framework, lang: Language) => f.shortName ?? plain(f.name, lang);

function competenceLink(found: FoundCompetence, lang: Language): SafeHtml {
  const { framework, competence } = found;
  return html`<a href="${withLang(frameworkPath(framework.slug, competence.code), lang)}"><span class="code">${competence.code}</span> ${text(competence.name, lang)}</a>`;
}

/** `/frameworks`: the frameworks the instance knows, and a search of their competences. */
export function renderFrameworksPage(lang: Language, siteName: string, frameworks: Framework[], search?: { query: string; results: FoundCompetence[] }): string {
  const t = MESSAGES[lang];
  const results = search
    ? html`<section aria-labelledby="results-heading">
  <h2 id="results-heading">${fill(t.frameworksResults, { query: search.query, count: search.results.length })}</h2>
  ${search.results.length
    ? html`<ul class="plain-list">${search.results.map((r) => html`<li>${competenceLink(r, lang)} <span class="muted">(${nameOf(r.framework, lang)})</span></li>`)}</ul>`
    : html`<p>${t.frameworksNoResults}</p>`}
</section>`
    : '';
  const body = html`<h1>${t.frameworksTitle}</h1>
<p class="lead">${t.frameworksIntro}</p>
<form method="get" action="/frameworks" role="search" class="card">
  <input type="hidden" name="lang" value="${lang}">
  <label for="q">${t.frameworksSearchLabel}</label>
  <input id="q" name="q" type="search" maxlength="100" value="${search?.query ?? ''}">
  <button type="submit" class="button">${t.frameworksSearchButton}</button>
</form>
${results}
<ul class="plain-list">
${frameworks.map(
  (f) => html`<li class="card">
  <h2><a href="${withLang(frameworkPath(f.slug), lang)}">${text(f.name, lang)}</a></h2>
  <p>${fill(t.frameworksSummary, { publisher: f.publisher, version: f.version, count: f.competences.length })}</p>
  ${f.description ? html`<p>${text(f.description, lang)}</p>` : ''}
</li>`,
)}
</ul>`;
  return renderLayout({ lang, title: `${t.frameworksTitle} – ${siteName}`, description: t.frameworksIntro, body, switcherPath: '/frameworks', siteName, siteUrl: '/', footerText: t.frameworksFooter });
}

function competenceItem(framework: Framework, c: Competence, lang: Language): SafeHtml {
  return html`<li id="${c.code}"><a href="${withLang(frameworkPath(framework.slug, c.code), lang)}"><span class="code">${c.code}</span> ${text(c.name, lang)}</a>${
    c.description ? html`<br><span class="muted">${text(c.description, lang)}</span>` : ''
  }</li>`;
}

/** `/frameworks/{slug}`: a framework's areas, competences and proficiency levels. */
export function renderFrameworkPage(lang: Language, siteName: string, framework: Framework): string {
  const t = MESSAGES[lang];
  const inArea = (code: string | undefined) => framework.competences.filter((c) => c.area === code);
  const ungrouped = inArea(undefined);
  const source = safeUrl(framework.source);
  const body = html`<p><a href="${withLang('/frameworks', lang)}">${t.frameworksBack}</a></p>
<h1>${text(framework.name, lang)}</h1>
${framework.description ? html`<p class="lead">${text(framework.description, lang)}</p>` : ''}
<dl class="facts">
  <div><dt>${t.frameworkPublisher}</dt><dd>${framework.publisher}</dd></div>
  <div><dt>${t.frameworkVersion}</dt><dd>${framework.version}</dd></div>
  ${source ? html`<div><dt>${t.frameworkSource}</dt><dd><a href="${source}">${source}</a></dd></div>` : ''}
</dl>
${framework.note ? html`<p>${text(framework.note, lang)}</p>` : ''}
<h2>${t.frameworkCompetences}</h2>
${framework.areas.map(
  (area) => html`<section aria-labelledby="area-${area.code}">
  <h3 id="area-${area.code}"><span class="code">${area.code}</span> ${text(area.name, lang)}</h3>
  <ul>${inArea(area.code).map((c) => competenceItem(framework, c, lang))}</ul>
</section>`,
)}
${ungrouped.length ? html`<ul>${ungrouped.map((c) => competenceItem(framework, c, lang))}</ul>` : ''}
${framework.levels.length
  ? html`<h2>${t.frameworkLevels}</h2>
<table>
  <thead><tr><th scope="col">${t.frameworkLevel}</th><th scope="col">${t.frameworkLevelDescriptor}</th></tr></thead>
  <tbody>${framework.levels.map((l) => html`<tr id="level-${l.code}"><th scope="row">${text(l.name, lang)}</th><td>${l.descriptor ? text(l.descriptor, lang) : ''}</td></tr>`)}</tbody>
</table>`
  : ''}`;
  return renderLayout({ lang, title: `${plain(framework.name, lang)} – ${siteName}`, body, switcherPath: frameworkPath(framework.slug), siteName, siteUrl: '/', footerText: t.frameworksFooter });
}

/** `/frameworks/{slug}/{code}`: one competence, the address alignments link to when it has no URI of its own. */
export function renderCompetencePage(lang: Language, siteName: string, found: FoundCompetence): string {
  const t = MESSAGES[lang];
  const { framework, competence, uri } = found;
  const area = framework.areas.find((a) => a.code === competence.area);
  const external = competence.uri ? safeUrl(competence.uri) : undefined;
  const body = html`<p><a href="${withLang(frameworkPath(framework.slug), lang)}">${fill(t.competenceBack, { framework: nameOf(framework, lang) })}</a></p>
<p class="kicker">${fill(t.competenceOf, { code: competence.code, framework: nameOf(framework, lang) })}</p>
<h1>${text(competence.name, lang)}</h1>
${competence.description ? html`<p class="lead">${text(competence.description, lang)}</p>` : ''}
<dl class="facts">
  ${area ? html`<div><dt>${t.competenceArea}</dt><dd>${text(area.name, lang)}</dd></div>` : ''}
  <div><dt>${t.competenceUri}</dt><dd><code>${uri}</code></dd></div>
</dl>
${external ? html`<p><a href="${external}">${t.competenceExternal}</a></p>` : ''}`;
  return renderLayout({ lang, title: `${plain(competence.name, lang)} – ${nameOf(framework, lang)}`, body, switcherPath: frameworkPath(framework.slug, competence.code), siteName, siteUrl: '/', footerText: t.frameworksFooter });
}
