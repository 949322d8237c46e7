import { pick } from '../../badge-classes/achievement.js';
import { SUPPORTED_LANGUAGES, type Language } from '../../badge-classes/schema.js';
import type { DefinitionEntry } from '../../definitions/store.js';
import type { Questionnaire } from '../../profiling/schema.js';
import { MAX_COMPETENCES, MAX_QUESTIONS } from '../../profiling/schema.js';
import { html, type SafeHtml } from '../html.js';
import { fill, LANGUAGE_NAMES, MESSAGES } from '../i18n.js';
import { leaves, nestFields, type FormValues } from './badge-class-form.js';
import { formFields, languageFilled, rowsToShow } from './form-fields.js';
import { CONSOLE_MESSAGES, type ConsoleMessages } from './i18n.js';
import { csrfField, notice, renderConsole, type ConsoleFrame } from './layout.js';

/** The console's self-assessment pages: the list, the form, the anonymous counts. */

/** Submitted fields → the questionnaire the schema checks: competences chosen from a list, pathways ticked. */
export function questionnaireFromForm(fields: FormValues): Record<string, unknown> {
  const pathways = Object.entries(fields).filter(([k, v]) => /^pathway\.\d{1,2}$/.test(k) && v.trim() !== '').map(([, v]) => v.trim());
  const root = nestFields(Object.fromEntries(Object.entries(fields).filter(([k]) => !k.startsWith('pathway.'))), ['expectedVersion', 'action']);
  const compact = (list: unknown) => (Array.isArray(list) ? list.filter((x) => x !== undefined && x !== null) : list);
  if (Array.isArray(root.competences)) {
    root.competences = (compact(root.competences) as Array<Record<string, unknown>>)
      .filter((c) => typeof c.ref === 'string')
      .map(({ ref, questions }) => {
        const [framework, code] = String(ref).split(' ');
        return { framework, code, questions: compact(questions) ?? [] };
      });
  }
  if (Array.isArray(root.levels)) {
    const levels = compact(root.levels) as unknown[];
    // All four, or none (the built-in names).
    if (levels.length === 0) delete root.levels;
  }
  if (pathways.length) root.pathways = pathways;
  return root;
}

export function formFromQuestionnaire(q: Questionnaire, pathwaySlugs: string[]): FormValues {
  const { $schema: _s, competences, pathways, ...rest } = q;
  const values = leaves(rest);
  competences.forEach((c, i) => {
    values[`competences.${i}.ref`] = `${c.framework} ${c.code}`;
    Object.assign(values, leaves(c.questions, `competences.${i}.questions.`));
  });
  pathwaySlugs.forEach((slug, i) => {
    if (pathways.includes(slug)) values[`pathway.${i}`] = slug;
  });
  return values;
}

export interface QuestionnaireFormState {
  values: FormValues;
  errors: Record<string, string>;
  pathways: Array<{ slug: string; title: string }>;
  /** The competences to choose from, by framework. */
  competences: Array<{ framework: string; options: Array<{ value: string; label: string }> }>;
  editing?: { slug: string; version: number };
  name?: string;
}

function renderFields(t: ConsoleMessages, lang: Language, state: QuestionnaireFormState): SafeHtml {
  const { v, idOf, errorLine, attrs, input: field, textarea: area } = formFields(state.values, state.errors);
  const input = (name: string, label: string, hint?: string) => field(name, label, { hint });
  const textarea = (name: string, label: string) => area(name, label, 3);
  const rows = rowsToShow(state.values, 'competences.', 3, MAX_COMPETENCES);
  const statements = (i: number) => rowsToShow(state.values, `competences.${i}.questions.`, 2, MAX_QUESTIONS);
  const scale = MESSAGES[lang];
  const answers = [scale.profileScale0, scale.profileScale1, scale.profileScale2, scale.profileScale3];

  return html`<fieldset class="card">
  <legend>${t.qEssentials}</legend>
  ${state.editing
    ? html`<p><strong>${t.pwSlug}:</strong> <code>${state.editing.slug}</code></p><input type="hidden" name="slug" value="${state.editing.slug}"><input type="hidden" name="expectedVersion" value="${state.editing.version}">`
    : input('slug', t.pwSlug, t.qSlugHint)}
  <fieldset class="subfieldset"><legend>${t.qPathways}</legend>
    <p class="hint">${t.qPathwaysHint}</p>${errorLine('pathways')}
    ${state.pathways.length
      ? html`<ul class="plain-list">${state.pathways.map((p, i) => html`<li><label><input type="checkbox" name="pathway.${i}" value="${p.slug}"${v(`pathway.${i}`) === p.slug ? html` checked` : ''}> ${p.title}</label></li>`)}</ul>`
      : html`<p>${t.qNoPathways}</p>`}
  </fieldset>
</fieldset>
<fieldset class="card">
  <legend>${t.qCompetences}</legend>
  <p class="hint">${t.qCompetencesHint}</p>${errorLine('competences')}
  ${rows.map(
    (i) => html`<div class="field"><label for="${idOf(`competences.${i}.ref`)}">${fill(t.qCompetence, { number: i + 1 })}</label>${errorLine(`competences.${i}`)}
  <select${attrs(`competences.${i}.ref`)}><option value="">${t.qNoCompetence}</option>${state.competences.map(
    (g) => html`<optgroup label="${g.framework}">${g.options.map((o) => html`<option value="${o.value}"${v(`competences.${i}.ref`) === o.value ? html` selected` : ''}>${o.label}</option>`)}</optgroup>`,
  )}</select></div>`,
  )}
</fieldset>
${SUPPORTED_LANGUAGES.map(
  (l) => html`<details class="card"${l === 'en' || languageFilled(state.values, state.errors, l) ? html` open` : ''}>
  <summary lang="${l}">${LANGUAGE_NAMES[l]}${l === 'en' ? html` <span class="muted">(${t.bcRequired})</span>` : ''}</summary>
  ${input(`title.${l}`, t.qTitle)}
  ${textarea(`intro.${l}`, t.qIntro)}
  ${rows.flatMap((i) => statements(i).map((j) => input(`competences.${i}.questions.${j}.${l}`, fill(t.qStatement, { number: i + 1, statement: j + 1 }))))}
  <fieldset class="subfieldset"><legend>${t.qLevels}</legend><p class="hint">${t.qLevelsHint}</p>
  ${answers.map((answer, k) => input(`levels.${k}.${l}`, fill(t.qLevelFor, { answer })))}
  </fieldset>
</details>`,
)}`;
}

export function renderQuestionnaireForm(frame: ConsoleFrame, state: QuestionnaireFormState): string {
  const t = CONSOLE_MESSAGES[frame.lang];
  const action = state.editing ? `/console/questionnaires/${state.editing.slug}/edit` : '/console/questionnaires/new';
  const body = html`${Object.keys(state.errors).length ? notice('bad', t.fixErrors) : ''}
<form method="post" action="${action}" class="stack-form" novalidate>
  ${csrfField(frame)}
  ${renderFields(t, frame.lang, state)}
  <p class="actions"><button type="submit">${t.qSave}</button></p>
</form>`;
  const title = state.editing ? fill(t.editQuestionnaire, { name: state.name ?? state.editing.slug }) : t.newQuestionnaire;
  return renderConsole({ ...frame, section: 'questionnaires' }, { title, body, path: action });
}

export function renderQuestionnaireList(frame: ConsoleFrame, data: { entries: Array<DefinitionEntry<Questionnaire>>; canEdit: boolean; done?: string }): string {
  const t = CONSOLE_MESSAGES[frame.lang];
  const title = (q: Questionnaire) => pick(q.title, frame.lang);
  const body = html`<p>${fill(t.questionnairesIntro, { organisation: frame.user?.orgName ?? '' })}</p>
${data.done ? notice('ok', data.done) : ''}
${data.canEdit ? html`<p><a class="button button--primary" href="/console/questionnaires/new">${t.newQuestionnaire}</a></p>` : ''}
<section class="card">
${data.entries.length
  ? html`<table class="stack-table">
  <thead><tr><th scope="col">${t.qQuestionnaire}</th><th scope="col">${t.qQuestions}</th><th scope="col">${t.actions}</th></tr></thead>
  <tbody>${data.entries.map(
    (e) => html`<tr>
    <td>${title(e.definition)}${e.archived ? html` <span class="muted">(${t.archived})</span>` : ''}<br><code class="muted">${e.definition.slug}</code></td>
    <td data-label="${t.qQuestions}">${e.definition.competences.reduce((n, c) => n + c.questions.length, 0)}</td>
    <td data-label="${t.actions}"><a href="/console/questionnaires/${e.definition.slug}/counts">${t.qResults}<span class="visually-hidden">: ${title(e.definition)}</span></a>
    ${e.archived ? '' : html`<a href="/profile/${e.definition.slug}?lang=${frame.lang}">${t.pwPublicPage}<span class="visually-hidden">: ${title(e.definition)}</span></a>`}
    ${data.canEdit
      ? html`<a href="/console/questionnaires/${e.definition.slug}/edit">${t.edit}<span class="visually-hidden">: ${title(e.definition)}</span></a>
      <form method="post" action="/console/questionnaires/${e.definition.slug}/${e.archived ? 'unarchive' : 'archive'}" class="inline-form">${csrfField(frame)}<button type="submit" class="button">${e.archived ? t.unarchive : t.archive}<span class="visually-hidden">: ${title(e.definition)}</span></button></form>`
      : ''}</td>
  </tr>`,
  )}</tbody>
</table>`
  : html`<p>${t.qNone}</p>`}
</section>`;
  return renderConsole({ ...frame, section: 'questionnaires' }, { title: t.questionnairesTitle, body, path: '/console/questionnaires' });
}

/** The anonymous counts: how many were counted, which pathway was recommended, the levels per competence. */
export function renderQuestionnaireCounts(
  frame: ConsoleFrame,
  data: { questionnaire: Questionnaire; submitted: number; pathways: Array<{ title: string; count: number }>; competences: Array<{ name: string; counts: number[] }> },
): string {
  const t = CONSOLE_MESSAGES[frame.lang];
  const m = MESSAGES[frame.lang];
  const levels = data.questionnaire.levels ? data.questionnaire.levels.map((l) => pick(l, frame.lang)) : [m.profileLevel0, m.profileLevel1, m.profileLevel2, m.profileLevel3];
  const body = html`<p>${t.qCountsIntro}</p>
<p><strong>${fill(t.qSubmitted, { count: data.submitted })}</strong></p>
<section class="card"><h2>${t.qRecommendedCounts}</h2>
<table class="stack-table"><thead><tr><th scope="col">${t.pwPathway}</th><th scope="col">${t.qTimes}</th></tr></thead>
<tbody>${data.pathways.map((p) => html`<tr><td>${p.title}</td><td data-label="${t.qTimes}">${p.count}</td></tr>`)}</tbody></table>
</section>
<section class="card"><h2>${t.qLevelCounts}</h2>
<table class="stack-table"><thead><tr><th scope="col">${m.profileCompetence}</th>${levels.map((l) => html`<th scope="col">${l}</th>`)}</tr></thead>
<tbody>${data.competences.map((c) => html`<tr><th scope="row">${c.name}</th>${c.counts.map((n, k) => html`<td data-label="${levels[k]!}">${n}</td>`)}</tr>`)}</tbody></table>
</section>`;
  return renderConsole({ ...frame, section: 'questionnaires' }, { title: fill(t.qCountsTitle, { name: pick(data.questionnaire.title, frame.lang) }), body, path: `/console/questionnaires/${data.questionnaire.slug}/counts` });
}
