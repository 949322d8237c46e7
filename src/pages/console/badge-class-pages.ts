import type { CatalogEntry } from '../../badge-classes/catalog.js';
import { pick } from '../../badge-classes/achievement.js';
import type { BadgeClass } from '../../badge-classes/schema.js';
import { html, renderMarkdown, type SafeHtml } from '../html.js';
import { fill, LANGUAGE_NAMES } from '../i18n.js';
import { renderBadgeClassFields, type BadgeClassFormState } from './badge-class-form.js';
import { CONSOLE_MESSAGES } from './i18n.js';
import { csrfField, notice, renderConsole, type ConsoleFrame } from './layout.js';

/** The console's badge pages: the list, the form (new and change) with its preview. */

export function renderBadgeClassList(
  frame: ConsoleFrame,
  data: { entries: Array<CatalogEntry & { ownerName: string }>; orgId: string; canEdit: boolean; done?: string },
): string {
  const t = CONSOLE_MESSAGES[frame.lang];
  const body = html`<p>${fill(t.badgeClassesIntro, { organisation: frame.user?.orgName ?? '' })}</p>
${data.done ? notice('ok', data.done) : ''}
${data.canEdit ? html`<p><a class="button button--primary" href="/console/badge-classes/new">${t.newBadgeClass}</a></p>` : ''}
<section class="card">
  <table class="stack-table">
    <thead><tr><th scope="col">${t.badgeClass}</th><th scope="col">${t.owner}</th><th scope="col">${t.languages}</th><th scope="col">${t.version}</th><th scope="col">${t.actions}</th></tr></thead>
    <tbody>${data.entries.map((e) => {
      const mine = e.orgId === data.orgId;
      return html`<tr>
      <td><a href="/console/badge-classes/${e.badgeClass.slug}">${pick(e.badgeClass.name, frame.lang)}</a>${e.archived ? html` <span class="muted">(${t.archived})</span>` : ''}<br><code class="muted">${e.badgeClass.slug}</code></td>
      <td data-label="${t.owner}">${mine ? t.ours : e.ownerName}</td>
      <td data-label="${t.languages}">${e.languages.map((l) => l.toUpperCase()).join(' ')}</td>
      <td data-label="${t.version}">${e.version}</td>
      <td data-label="${t.actions}">${mine && data.canEdit
        ? html`<a href="/console/badge-classes/${e.badgeClass.slug}/edit">${t.edit}<span class="visually-hidden">: ${pick(e.badgeClass.name, frame.lang)}</span></a>
        <form method="post" action="/console/badge-classes/${e.badgeClass.slug}/${e.archived ? 'unarchive' : 'archive'}" class="inline-form">${csrfField(frame)}<button type="submit" class="button">${e.archived ? t.unarchive : t.archive}<span class="visually-hidden">: ${pick(e.badgeClass.name, frame.lang)}</span></button></form>`
        : ''}</td>
    </tr>`;
    })}</tbody>
  </table>
</section>`;
  return renderConsole({ ...frame, section: 'badge-classes' }, { title: t.badgeClassesTitle, body, path: '/console/badge-classes' });
}

/** A preview of the badge as a learner and an employer will see it, in the page's language. */
export function renderBadgePreview(frame: ConsoleFrame, badgeClass: BadgeClass, imageDataUrl: string): SafeHtml {
  const t = CONSOLE_MESSAGES[frame.lang];
  const lang = badgeClass.name[frame.lang] ? frame.lang : 'en';
  return html`<section class="card" aria-labelledby="preview-heading">
  <h2 id="preview-heading">${t.previewHeading} (${LANGUAGE_NAMES[lang]})</h2>
  <div class="hero">
    <img class="hero__image" src="${imageDataUrl}" alt="${pick(badgeClass.name, lang)}" width="160" height="160">
    <div>
      <h3>${pick(badgeClass.name, lang)}</h3>
      <p>${pick(badgeClass.description, lang)}</p>
      <p class="muted">${pick(badgeClass.proficiencyLevel.name, lang)}</p>
    </div>
  </div>
  <h3>${t.bcCriteria}</h3>
  ${renderMarkdown(pick(badgeClass.criteria.narrative, lang))}
  <h3>${t.bcCompetences}</h3>
  <ul>${badgeClass.alignments.map((a) => html`<li>${pick(a.targetName, lang)} <span class="muted">(${a.targetFramework}${a.targetCode ? ` ${a.targetCode}` : ''})</span></li>`)}</ul>
</section>`;
}

export function renderBadgeClassForm(
  frame: ConsoleFrame,
  state: BadgeClassFormState & { preview?: SafeHtml; awarders?: string; name?: string; saved?: string },
): string {
  const t = CONSOLE_MESSAGES[frame.lang];
  const editing = state.editing;
  const action = editing ? `/console/badge-classes/${editing.slug}/edit` : '/console/badge-classes/new';
  const body = html`${state.saved ? notice('ok', state.saved) : ''}
${Object.keys(state.errors).length ? notice('bad', t.fixErrors) : ''}
${state.preview ?? ''}
<form method="post" action="${action}" enctype="multipart/form-data" class="stack-form" novalidate>
  ${csrfField(frame)}
  ${renderBadgeClassFields(t, state)}
  <p class="actions"><button type="submit" name="action" value="preview" class="button">${t.preview}</button> <button type="submit" name="action" value="save">${t.saveBadgeClass}</button></p>
</form>
${editing
  ? html`<section class="card">
  <h2>${t.awardersHeading}</h2>
  <form method="post" action="/console/badge-classes/${editing.slug}/awarders" class="stack-form">
    ${csrfField(frame)}
    <div class="field"><label for="awarders">${t.awardersHeading}</label><p class="hint" id="awarders-hint">${t.awardersHint}</p>
    <input type="text" id="awarders" name="awarders" value="${state.awarders ?? ''}" aria-describedby="awarders-hint"></div>
    <button type="submit">${t.save}</button>
  </form>
</section>`
  : ''}`;
  const title = editing ? fill(t.editBadgeClass, { name: state.name ?? editing.slug }) : t.newBadgeClass;
  return renderConsole({ ...frame, section: 'badge-classes' }, { title, body, path: action });
}
