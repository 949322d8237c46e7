import { SUPPORTED_LANGUAGES, type Language } from '../../badge-classes/schema.js';
import { html, type SafeHtml } from '../html.js';
import { fill, LANGUAGE_NAMES } from '../i18n.js';
import { leaves, nestFields, withoutEmptyItems, type FormValues } from './badge-class-form.js';
import { formFields, languageFilled, rowsToShow } from './form-fields.js';
import type { ConsoleMessages } from './i18n.js';

/**
 * The pathway form: as the badge class form, its fields are named by the pathway's own paths
 * (`title.it`, `steps.0.badgeClasses.1`), so a submitted form becomes the pathway by splitting the
 * names, and each problem lands on the field it names. A step offers a few badge slots; the
 * competences are offered as ticks, from the badges the organisation may award.
 */
export const MAX_STEP_ROWS = 8;
export const BADGES_PER_STEP = 4;
export const MAX_ACTIVITY_ROWS = 10;

/** A competence the form offers (`framework code`), with its name in the page's language. */
export interface OfferedCompetence {
  value: string;
  label: string;
  lang: Language;
}

/** Submitted fields → the pathway object the schema checks. Empty steps, badge slots and activities are left out. */
export function pathwayFromForm(fields: FormValues): Record<string, unknown> {
  const competences = Object.entries(fields)
    .filter(([name, value]) => /^competence\.\d{1,3}$/.test(name) && / /.test(value))
    .map(([, value]) => {
      const [framework, code] = value.trim().split(' ');
      return { framework, code };
    });
  const root = nestFields(Object.fromEntries(Object.entries(fields).filter(([name]) => !name.startsWith('competence.'))), ['expectedVersion', 'action']);
  if (Array.isArray(root.steps)) {
    root.steps = (withoutEmptyItems(root.steps) as Array<Record<string, unknown>>)
      .map((step) => {
        const badgeClasses = withoutEmptyItems(step.badgeClasses);
        const required = step.required === undefined ? undefined : Number(step.required);
        return { ...step, ...(badgeClasses !== undefined ? { badgeClasses } : {}), ...(required !== undefined ? { required } : {}) } as Record<string, unknown>;
      })
      .filter((step) => step.title !== undefined || (Array.isArray(step.badgeClasses) && step.badgeClasses.length > 0));
  }
  if (root.activities !== undefined) root.activities = withoutEmptyItems(root.activities);
  if (typeof root.hours === 'string') root.hours = Number(root.hours.replace(',', '.'));
  if (competences.length) root.competences = competences;
  return root;
}

/** The form's values from a pathway (to change it). */
export function formFromPathway(pathway: Record<string, unknown>, offered: OfferedCompetence[]): FormValues {
  const { $schema: _schema, competences, ...rest } = pathway;
  const values = leaves(rest);
  const chosen = new Set((Array.isArray(competences) ? competences : []).map((c: { framework: string; code: string }) => `${c.framework} ${c.code}`));
  offered.forEach((c, i) => {
    if (chosen.has(c.value)) values[`competence.${i}`] = c.value;
  });
  return values;
}

export interface PathwayFormState {
  values: FormValues;
  errors: Record<string, string>;
  /** The badge classes the organisation may award: a step's and the capstone's choices. */
  badges: Array<{ slug: string; name: string }>;
  competences: OfferedCompetence[];
  editing?: { slug: string; version: number };
}

export function renderPathwayFields(t: ConsoleMessages, state: PathwayFormState): SafeHtml {
  const { v, errorLine, input, textarea, select } = formFields(state.values, state.errors);

  const steps = rowsToShow(state.values, 'steps.', 3, MAX_STEP_ROWS);
  const activities = rowsToShow(state.values, 'activities.', 3, MAX_ACTIVITY_ROWS);
  const badgeOptions: Array<[string, string]> = [['', t.pwNoBadge], ...state.badges.map((b): [string, string] => [b.slug, b.name])];

  return html`<fieldset class="card">
  <legend>${t.pwEssentials}</legend>
  ${state.editing
    ? html`<p><strong>${t.pwSlug}:</strong> <code>${state.editing.slug}</code></p>
  <input type="hidden" name="slug" value="${state.editing.slug}"><input type="hidden" name="expectedVersion" value="${state.editing.version}">`
    : input('slug', t.pwSlug, { hint: t.pwSlugHint, required: true })}
  ${select('type', t.pwType, [['non-formal', t.pwTypeNonFormal], ['formal-vet', t.pwTypeFormal]])}
  ${select('mode', t.pwMode, [['blended', t.pwModeBlended], ['online', t.pwModeOnline], ['face-to-face', t.pwModeFaceToFace]])}
  ${input('hours', t.pwHours, { hint: t.pwHoursHint, type: 'number', extra: html` min="1" max="10000" inputmode="numeric"` })}
  ${select('completion', t.pwCompletion, [['automatic', t.pwCompletionAutomatic], ['approval', t.pwCompletionApproval]])}
</fieldset>
${SUPPORTED_LANGUAGES.map(
  (lang) => html`<details class="card"${lang === 'en' || languageFilled(state.values, state.errors, lang) ? html` open` : ''}>
  <summary lang="${lang}">${LANGUAGE_NAMES[lang]}${lang === 'en' ? html` <span class="muted">(${t.bcRequired})</span>` : ''}</summary>
  ${input(`title.${lang}`, t.pwTitle)}
  ${textarea(`description.${lang}`, t.pwDescription)}
  ${input(`entryLevel.${lang}`, t.pwEntryLevel)}
  ${activities.map((i) => input(`activities.${i}.${lang}`, fill(t.pwActivity, { number: i + 1 })))}
  ${steps.map((i) => input(`steps.${i}.title.${lang}`, fill(t.pwStepTitle, { number: i + 1 })))}
</details>`,
)}
<fieldset class="card">
  <legend>${t.pwSteps}</legend>
  <p class="hint">${t.pwStepsHint}</p>
  ${errorLine('steps')}
  ${steps.map(
    (i) => html`<fieldset class="subfieldset"><legend>${fill(t.pwStep, { number: i + 1 })}</legend>
    ${errorLine(`steps.${i}`)}${errorLine(`steps.${i}.badgeClasses`)}
    ${Array.from({ length: BADGES_PER_STEP }, (_, j) => select(`steps.${i}.badgeClasses.${j}`, fill(t.pwStepBadge, { number: j + 1 }), badgeOptions))}
    ${select(`steps.${i}.required`, t.pwStepRequired, [['', t.pwStepAll], ...Array.from({ length: BADGES_PER_STEP - 1 }, (_, k): [string, string] => [String(k + 1), String(k + 1)])])}
  </fieldset>`,
  )}
  ${select('capstone', t.pwCapstone, badgeOptions)}
</fieldset>
<fieldset class="card">
  <legend>${t.pwCompetences}</legend>
  <p class="hint">${t.pwCompetencesHint}</p>
  ${errorLine('competences')}
  <ul class="plain-list">${state.competences.map(
    (c, i) => html`<li><label><input type="checkbox" name="competence.${i}" value="${c.value}"${v(`competence.${i}`) === c.value ? html` checked` : ''}> <span lang="${c.lang}">${c.label}</span></label></li>`,
  )}</ul>
</fieldset>`;
}
