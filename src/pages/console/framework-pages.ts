import { pick } from '../../badge-classes/achievement.js';
import { SUPPORTED_LANGUAGES } from '../../badge-classes/schema.js';
import type { DefinitionEntry } from '../../definitions/store.js';
import type { Framework } from '../../frameworks/schema.js';
import { html } from '../html.js';
import { fill, LANGUAGE_NAMES } from '../i18n.js';
import { leaves, nestFields, type FormValues } from './badge-class-form.js';
import { formFields, languageFilled, rowsToShow } from './form-fields.js';
import { CONSOLE_MESSAGES } from './i18n.js';
import { csrfField, notice, renderConsole, type ConsoleFrame } from './layout.js';

/**
 * An organisation's own competence frameworks in the console: the list, and the form. As the badge
 * class form, its fields are named by the framework's own paths (`name.it`, `competences.0.code`), and
 * what the form does not show (areas, levels, a competence's URI or description) travels in hidden
 * fields, so that saving keeps it.
 */
export const MAX_COMPETENCE_ROWS = 40;

/**
 * The submitted fields with the competence rows left empty taken out and the others numbered again
 * from 0, so that a problem's path (`competences[1].code`) names the row the form shows it on.
 */
export function withoutEmptyRows(fields: FormValues, prefix = 'competences.'): FormValues {
  const filled = [...new Set(Object.entries(fields).filter(([k, v]) => k.startsWith(prefix) && v.trim() !== '').map(([k]) => Number(k.slice(prefix.length).split('.')[0])))].sort((a, b) => a - b);
  const renumbered = new Map(filled.map((row, i) => [row, i]));
  const out: FormValues = {};
  for (const [k, v] of Object.entries(fields)) {
    if (!k.startsWith(prefix)) out[k] = v;
    else {
      const [row, ...rest] = k.slice(prefix.length).split('.');
      const to = renumbered.get(Number(row));
      if (to !== undefined) out[`${prefix}${to}.${rest.join('.')}`] = v;
    }
  }
  return out;
}

/** Submitted fields (rows already numbered by `withoutEmptyRows`) → the framework object the schema checks. */
export const frameworkFromForm = (fields: FormValues): Record<string, unknown> => nestFields(fields, ['expectedVersion', 'action']);

/** The form's values from a framework (to change it). */
export const formFromFramework = (framework: Framework): FormValues => leaves(framework);

export interface FrameworkFormState {
  values: FormValues;
  errors: Record<string, string>;
  editing?: { slug: string; version: number };
}

export function renderFrameworkList(frame: ConsoleFrame, data: { entries: Array<DefinitionEntry<Framework>>; canEdit: boolean; done?: string }): string {
  const t = CONSOLE_MESSAGES[frame.lang];
  const name = (e: DefinitionEntry<Framework>) => pick(e.definition.name, frame.lang);
  const body = html`<p>${fill(t.fwIntro, { organisation: frame.user?.orgName ?? '' })}</p>
${data.done ? notice('ok', data.done) : ''}
${data.canEdit ? html`<p><a class="button button--primary" href="/console/frameworks/new">${t.fwNew}</a></p>` : ''}
<section class="card" aria-labelledby="frameworks-heading">
  <h2 id="frameworks-heading">${t.fwTitle}</h2>
  ${data.entries.length
    ? html`<table class="stack-table">
    <thead><tr><th scope="col">${t.fwName}</th><th scope="col">${t.fwCompetences}</th><th scope="col">${t.actions}</th></tr></thead>
    <tbody>${data.entries.map(
      (e) => html`<tr>
      <td>${name(e)}${e.archived ? html` <span class="muted">(${t.archived})</span>` : ''}<br><code class="muted">${e.definition.slug}</code></td>
      <td data-label="${t.fwCompetences}">${e.definition.competences.length}</td>
      <td data-label="${t.actions}">${e.archived ? '' : html`<a href="/frameworks/${e.definition.slug}?lang=${frame.lang}">${t.fwPublicPage}<span class="visually-hidden">: ${name(e)}</span></a>`}
      ${data.canEdit
        ? html`<a href="/console/frameworks/${e.definition.slug}/edit">${t.edit}<span class="visually-hidden">: ${name(e)}</span></a>
        <form method="post" action="/console/frameworks/${e.definition.slug}/${e.archived ? 'unarchive' : 'archive'}" class="inline-form">${csrfField(frame)}<button type="submit" class="button">${e.archived ? t.unarchive : t.archive}<span class="visually-hidden">: ${name(e)}</span></button></form>`
        : ''}</td>
    </tr>`,
    )}</tbody>
  </table>`
    : html`<p>${t.fwNone}</p>`}
</section>`;
  return renderConsole({ ...frame, section: 'frameworks' }, { title: t.fwTitle, body, path: '/console/frameworks' });
}

export function renderFrameworkForm(frame: ConsoleFrame, state: FrameworkFormState & { name?: string }): string {
  const t = CONSOLE_MESSAGES[frame.lang];
  const { values, errors, editing } = state;
  const f = formFields(values, errors);
  const shown = new Set<string>(['expectedVersion', 'action', 'slug']);
  const input: typeof f.input = (name, label, options) => {
    shown.add(name);
    return f.input(name, label, options);
  };
  const rows = rowsToShow(values, 'competences.', 3, MAX_COMPETENCE_ROWS);
  const fields = html`<fieldset class="card">
  <legend>${t.bcEssentials}</legend>
  ${editing
    ? html`<p><strong>${t.bcSlug}:</strong> <code>${editing.slug}</code> · ${t.bcVersion} ${editing.version}</p>
  <input type="hidden" name="slug" value="${editing.slug}"><input type="hidden" name="expectedVersion" value="${editing.version}">`
    : input('slug', t.bcSlug, { hint: t.fwSlugHint, required: true })}
  ${input('shortName', t.fwShortName, { hint: t.fwShortNameHint })}
  ${input('publisher', t.fwPublisher, { required: true })}
  ${input('version', t.fwVersion, { required: true })}
  ${input('source', t.fwSource, { type: 'url', hint: t.fwSourceHint })}
</fieldset>
${SUPPORTED_LANGUAGES.map(
  (lang) => html`<details class="card"${lang === 'en' || languageFilled(values, errors, lang) ? html` open` : ''}>
  <summary lang="${lang}">${LANGUAGE_NAMES[lang]}${lang === 'en' ? html` <span class="muted">(${t.bcRequired})</span>` : ''}</summary>
  ${input(`name.${lang}`, t.fwName)}
  ${input(`description.${lang}`, t.bcDescription)}
  ${rows.map((i) => input(`competences.${i}.name.${lang}`, fill(t.fwCompetenceName, { n: i + 1 })))}
</details>`,
)}
<fieldset class="card">
  <legend>${t.fwCompetences}</legend>
  <p class="hint">${t.fwCompetencesHint}</p>
  ${rows.map((i) => input(`competences.${i}.code`, fill(t.fwCompetenceCode, { n: i + 1 })))}
</fieldset>`;
  // What the form does not show travels in hidden fields, so that saving keeps it.
  const hidden = Object.entries(values)
    .filter(([name]) => !shown.has(name) && !name.startsWith('_'))
    .map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);
  const action = editing ? `/console/frameworks/${editing.slug}/edit` : '/console/frameworks/new';
  const body = html`${Object.keys(errors).length ? notice('bad', t.fixErrors) : ''}
<form method="post" action="${action}" class="stack-form" novalidate>
  ${csrfField(frame)}
  ${fields}
  ${hidden}
  <p class="actions"><button type="submit">${t.fwSave}</button></p>
</form>`;
  const title = editing ? fill(t.fwEdit, { name: state.name ?? editing.slug }) : t.fwNew;
  return renderConsole({ ...frame, section: 'frameworks' }, { title, body, path: action });
}
