import { pick } from '../../badge-classes/achievement.js';
import type { PathwayCompletionRecord } from '../../db/repositories.js';
import type { PathwayEntry } from '../../pathways/store.js';
import { html } from '../html.js';
import { fill, formatDate } from '../i18n.js';
import { CONSOLE_MESSAGES } from './i18n.js';
import { csrfField, notice, renderConsole, type ConsoleFrame } from './layout.js';
import { renderPathwayFields, type PathwayFormState } from './pathway-form.js';

/** The console's pathway pages: the list with the completions awaiting approval, and the form. */

export function renderPathwayList(
  frame: ConsoleFrame,
  data: {
    entries: PathwayEntry[];
    pending: Array<PathwayCompletionRecord & { learner: string }>;
    badgeName: (slug: string) => string;
    canEdit: boolean;
    canApprove: boolean;
    done?: string;
  },
): string {
  const t = CONSOLE_MESSAGES[frame.lang];
  const title = (e: PathwayEntry) => pick(e.pathway.title, frame.lang);
  const byPathway = new Map(data.entries.map((e) => [e.pathway.slug, e]));
  const body = html`<p>${fill(t.pathwaysIntro, { organisation: frame.user?.orgName ?? '' })}</p>
${data.done ? notice('ok', data.done) : ''}
${data.canEdit ? html`<p><a class="button button--primary" href="/console/pathways/new">${t.newPathway}</a></p>` : ''}
<section class="card" aria-labelledby="pending-heading">
  <h2 id="pending-heading">${t.pwPendingHeading}</h2>
  ${data.pending.length
    ? html`<table class="stack-table">
    <thead><tr><th scope="col">${t.pwLearner}</th><th scope="col">${t.pwPathway}</th><th scope="col">${t.pwCompletedOn}</th>${data.canApprove ? html`<th scope="col">${t.actions}</th>` : ''}</tr></thead>
    <tbody>${data.pending.map((c) => {
      const entry = byPathway.get(c.pathway);
      return html`<tr>
      <td>${c.learner}</td>
      <td data-label="${t.pwPathway}">${entry ? title(entry) : c.pathway}</td>
      <td data-label="${t.pwCompletedOn}">${formatDate(c.createdAt, frame.lang) ?? c.createdAt.slice(0, 10)}</td>
      ${data.canApprove
        ? html`<td data-label="${t.actions}">
        <form method="post" action="/console/pathways/completions/${c.id}/approve" class="inline-form">${csrfField(frame)}<button type="submit" class="button button--primary">${t.pwApprove}<span class="visually-hidden">: ${c.learner}</span></button></form>
        <form method="post" action="/console/pathways/completions/${c.id}/decline" class="inline-form">${csrfField(frame)}<button type="submit" class="button">${t.pwDecline}<span class="visually-hidden">: ${c.learner}</span></button></form>
      </td>`
        : ''}
    </tr>`;
    })}</tbody>
  </table>`
    : html`<p>${t.pwPendingNone}</p>`}
</section>
<section class="card" aria-labelledby="pathways-heading">
  <h2 id="pathways-heading">${t.pathwaysTitle}</h2>
  ${data.entries.length
    ? html`<table class="stack-table">
    <thead><tr><th scope="col">${t.pwPathway}</th><th scope="col">${t.pwSteps}</th><th scope="col">${t.pwCapstone}</th><th scope="col">${t.actions}</th></tr></thead>
    <tbody>${data.entries.map(
      (e) => html`<tr>
      <td>${title(e)}${e.archived ? html` <span class="muted">(${t.archived})</span>` : ''}<br><code class="muted">${e.pathway.slug}</code></td>
      <td data-label="${t.pwSteps}">${e.pathway.steps.length}</td>
      <td data-label="${t.pwCapstone}">${data.badgeName(e.pathway.capstone)}</td>
      <td data-label="${t.actions}">${e.archived ? '' : html`<a href="/pathways/${e.pathway.slug}?lang=${frame.lang}">${t.pwPublicPage}<span class="visually-hidden">: ${title(e)}</span></a>`}
      ${data.canEdit
        ? html`<a href="/console/pathways/${e.pathway.slug}/edit">${t.edit}<span class="visually-hidden">: ${title(e)}</span></a>
        <form method="post" action="/console/pathways/${e.pathway.slug}/${e.archived ? 'unarchive' : 'archive'}" class="inline-form">${csrfField(frame)}<button type="submit" class="button">${e.archived ? t.unarchive : t.archive}<span class="visually-hidden">: ${title(e)}</span></button></form>`
        : ''}</td>
    </tr>`,
    )}</tbody>
  </table>`
    : html`<p>${t.pwNone}</p>`}
</section>`;
  return renderConsole({ ...frame, section: 'pathways' }, { title: t.pathwaysTitle, body, path: '/console/pathways' });
}

export function renderPathwayForm(frame: ConsoleFrame, state: PathwayFormState & { name?: string }): string {
  const t = CONSOLE_MESSAGES[frame.lang];
  const editing = state.editing;
  const action = editing ? `/console/pathways/${editing.slug}/edit` : '/console/pathways/new';
  const body = html`${Object.keys(state.errors).length ? notice('bad', t.fixErrors) : ''}
<form method="post" action="${action}" class="stack-form" novalidate>
  ${csrfField(frame)}
  ${renderPathwayFields(t, state)}
  <p class="actions"><button type="submit">${t.pwSave}</button></p>
</form>`;
  const title = editing ? fill(t.editPathway, { name: state.name ?? editing.slug }) : t.newPathway;
  return renderConsole({ ...frame, section: 'pathways' }, { title, body, path: action });
}
