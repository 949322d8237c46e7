import { ASSESSMENT_TYPES, IDENTITY_VERIFICATIONS, PARTICIPATION_FORMS, RENEWAL_METHODS, SUPPORTED_LANGUAGES, type Language } from '../../badge-classes/schema.js';
import { fill, LANGUAGE_NAMES } from '../i18n.js';
import { html, type SafeHtml } from '../html.js';
import type { ConsoleMessages } from './i18n.js';

/**
 * The badge class form: its fields are named by the badge class's own paths (`name.it`,
 * `alignments.0.targetCode`), so a submitted form becomes the badge class object by splitting the
 * names, and each schema problem lands on the field it names.
 */
export type FormValues = Record<string, string>;

const isIndex = (s: string) => /^\d{1,2}$/.test(s);

/** Submitted fields → the nested object their names spell (`a.0.b` → `{ a: [{ b }] }`). Empty fields, and those named in `skip` or starting with `_`, are left out. */
export function nestFields(fields: FormValues, skip: readonly string[] = []): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(fields)) {
    if (name.startsWith('_') || skip.includes(name)) continue;
    const value = raw.trim();
    if (value === '') continue;
    const path = name.split('.');
    if (path.length > 5 || path.some((p) => p === '' || p === '__proto__' || p === 'constructor' || p === 'prototype')) continue;
    let node: Record<string, unknown> = root;
    path.forEach((key, i) => {
      if (i === path.length - 1) {
        node[key] = value;
        return;
      }
      const next = node[key] ?? (isIndex(path[i + 1]!) ? [] : {});
      node[key] = next;
      node = next as Record<string, unknown>;
    });
  }
  return root;
}

/** Submitted fields → the nested object the schema checks. Empty fields are left out; so are empty alignment rows. */
export function badgeClassFromForm(fields: FormValues): Record<string, unknown> {
  const root = nestFields(fields, ['removeImage', 'expectedVersion', 'action']);
  if (Array.isArray(root.alignments)) root.alignments = (root.alignments as unknown[]).filter((a) => a && typeof a === 'object' && Object.keys(a).length > 0);
  if (typeof root.tags === 'string') root.tags = root.tags.split(',').map((t) => t.trim()).filter(Boolean);
  if (typeof root.creditsAvailable === 'string') root.creditsAvailable = Number(String(root.creditsAvailable).replace(',', '.'));
  if (root.microCredential && typeof root.microCredential === 'object') microCredentialFromForm(root.microCredential as Record<string, unknown>);
  return root;
}

const asNumber = (v: unknown) => (typeof v === 'string' ? Number(v.replace(',', '.')) : v);
/** A list from `nestFields` without the rows left empty (its holes, and objects with nothing in them); anything else as it is. */
export const withoutEmptyItems = (v: unknown): unknown => (Array.isArray(v) ? v.filter((x) => x !== undefined && x !== null && (typeof x !== 'object' || Object.keys(x).length > 0)) : v);

/** The micro-credential fields as the schema types them: numbers, a yes/no, lists without the rows left empty. */
function microCredentialFromForm(mc: Record<string, unknown>): void {
  const workload = mc.workload as Record<string, unknown> | undefined;
  if (workload) for (const key of ['hours', 'ects']) if (workload[key] !== undefined) workload[key] = asNumber(workload[key]);
  if (mc.eqfLevel !== undefined) mc.eqfLevel = asNumber(mc.eqfLevel);
  if (mc.learningOutcomes !== undefined) mc.learningOutcomes = withoutEmptyItems(mc.learningOutcomes);
  const assessment = mc.assessment as Record<string, unknown> | undefined;
  if (assessment?.types !== undefined) assessment.types = withoutEmptyItems(assessment.types);
  const stackability = mc.stackability as Record<string, unknown> | undefined;
  if (stackability && typeof stackability.stackable === 'string') stackability.stackable = stackability.stackable === 'true';
}

/** The form's values from a badge class (to edit it): its leaves by path, the tags as one list. */
export function formFromBadgeClass(badgeClass: Record<string, unknown>): FormValues {
  const { tags, image: _fileName, $schema: _schema, version: _version, ...rest } = badgeClass;
  return { ...leaves(rest), ...(Array.isArray(tags) && tags.length ? { tags: tags.join(', ') } : {}) };
}

export function leaves(value: unknown, prefix = ''): FormValues {
  const out: FormValues = {};
  if (Array.isArray(value)) value.forEach((v, i) => Object.assign(out, leaves(v, `${prefix}${i}.`)));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) Object.assign(out, leaves(v, `${prefix}${k}.`));
  else if (value !== undefined && value !== null) out[prefix.slice(0, -1)] = String(value);
  return out;
}

/**
 * Inside the badge class form (no form of its own, so what was typed is kept): words and a framework,
 * a "Find" button, and each competence found with an "Add" button. Both submit the whole form.
 */
function renderCompetenceFinder(t: ConsoleMessages, search: CompetenceSearch | undefined): SafeHtml {
  const s = search ?? { query: '', framework: '', frameworks: [], results: [] };
  const results = search && search.query
    ? html`<p id="competence-results" aria-live="polite">${s.results.length ? fill(t.bcFindResults, { query: s.query, count: s.results.length }) : t.bcFindNone}</p>
  ${s.results.length
    ? html`<ul class="plain-list">${s.results.map(
        (r) => html`<li><button type="submit" name="action" value="add-competence:${r.framework}:${r.code}" class="button" aria-label="${fill(t.bcAddThe, { name: `${r.code} ${r.name}` })}">${t.bcAdd}</button> <span class="code">${r.code}</span> <span lang="${r.lang}">${r.name}</span> <span class="muted">(${r.frameworkName})</span></li>`,
      )}</ul>`
    : ''}`
    : '';
  return html`<div class="subfieldset competence-finder">
  <h3>${t.bcFindCompetence}</h3>
  <p class="hint" id="f-competence-hint">${t.bcFindHint}</p>
  ${s.notice ? html`<p class="notice notice--${s.notice.kind}" role="status">${s.notice.text}</p>` : ''}
  <div class="field"><label for="f-competence-query">${t.bcFindWords}</label>
  <input type="search" id="f-competence-query" name="_competenceQuery" value="${s.query}" maxlength="100" aria-describedby="f-competence-hint"></div>
  ${s.frameworks.length
    ? html`<div class="field"><label for="f-competence-framework">${t.bcFindFramework}</label>
  <select id="f-competence-framework" name="_competenceFramework"><option value="">${t.bcFindAll}</option>${s.frameworks.map((f) => html`<option value="${f.slug}"${s.framework === f.slug ? html` selected` : ''}>${f.name}</option>`)}</select></div>`
    : ''}
  <p><button type="submit" name="action" value="find-competence" class="button">${t.bcFindButton}</button></p>
  ${results}
</div>`;
}

const MAX_OUTCOME_ROWS = 8;
const ASSESSMENT_LABELS = {
  practical: 'bcMcTypePractical',
  written: 'bcMcTypeWritten',
  oral: 'bcMcTypeOral',
  observation: 'bcMcTypeObservation',
  portfolio: 'bcMcTypePortfolio',
  project: 'bcMcTypeProject',
  'self-assessment': 'bcMcTypeSelfAssessment',
} as const satisfies Record<(typeof ASSESSMENT_TYPES)[number], keyof ConsoleMessages>;
const PARTICIPATION_LABELS = { online: 'bcMcOnline', onsite: 'bcMcOnsite', blended: 'bcMcBlended' } as const satisfies Record<(typeof PARTICIPATION_FORMS)[number], keyof ConsoleMessages>;
const IDENTITY_LABELS = {
  unsupervised: 'bcMcUnsupervised',
  supervised: 'bcMcSupervised',
  'supervised-online-with-identity-check': 'bcMcSupervisedOnline',
  'supervised-onsite-with-identity-check': 'bcMcSupervisedOnsite',
} as const satisfies Record<(typeof IDENTITY_VERIFICATIONS)[number], keyof ConsoleMessages>;
const ACHIEVEMENT_TYPES = ['MicroCredential', 'Badge', 'Competency', 'Certificate', 'CertificateOfCompletion', 'Course', 'Assessment', 'LearningProgram', 'Award'];
const VALIDITY = ['', 'P1Y', 'P2Y', 'P3Y', 'P5Y'];

/** The competence finder's last search, with what it found, to show inside the form. */
export interface CompetenceSearch {
  query: string;
  framework: string;
  frameworks: Array<{ slug: string; name: string }>;
  results: Array<{ framework: string; frameworkName: string; code: string; name: string; lang: Language }>;
  /** What the last step did: added a competence, or why it could not. */
  notice?: { kind: 'ok' | 'bad'; text: string };
}

/** The form shows at most this many competence rows. */
export const MAX_ALIGNMENT_ROWS = 12;

/** The first alignment row of the form with nothing in it (rows are numbered from 0). */
export function freeAlignmentRow(values: FormValues): number {
  const used = new Set(Object.entries(values).filter(([k, v]) => k.startsWith('alignments.') && v.trim() !== '').map(([k]) => Number(k.split('.')[1])));
  let i = 0;
  while (used.has(i)) i++;
  return i;
}

export interface BadgeClassFormState {
  values: FormValues;
  errors: Record<string, string>;
  competenceSearch?: CompetenceSearch;
  /** Editing an existing class: its slug is fixed. */
  editing?: { slug: string; version: number; hasImage: boolean };
}

/** Every field of the form, grouped: the essentials, each language, the competences, the look. */
export function renderBadgeClassFields(t: ConsoleMessages, state: BadgeClassFormState): SafeHtml {
  const shown = new Set<string>(['slug', 'expectedVersion', 'removeImage', 'action', 'version']);
  const v = (name: string) => {
    shown.add(name);
    return state.values[name] ?? '';
  };
  const err = (name: string) => state.errors[name];
  const idOf = (name: string) => `f-${name.replace(/[^a-zA-Z0-9]/g, '-')}`;
  const errorLine = (name: string, also?: string) => {
    const message = err(name) ?? (also ? err(also) : undefined);
    return message ? html`<p class="field-error" id="${idOf(name)}-error">${message}</p>` : '';
  };
  const attrs = (name: string, hint?: string, also?: string) => {
    const failed = err(name) ?? (also ? err(also) : undefined);
    const described = [failed ? `${idOf(name)}-error` : '', hint ? `${idOf(name)}-hint` : ''].filter(Boolean).join(' ');
    return html` id="${idOf(name)}" name="${name}"${failed ? html` aria-invalid="true"` : ''}${described ? html` aria-describedby="${described}"` : ''}`;
  };
  /** `also`: a path whose problem (a list or an object as a whole) this field shows. */
  const input = (name: string, label: string, options: { hint?: string; type?: string; required?: boolean; also?: string } = {}) => html`<div class="field">
  <label for="${idOf(name)}">${label}</label>
  ${options.hint ? html`<p class="hint" id="${idOf(name)}-hint">${options.hint}</p>` : ''}${errorLine(name, options.also)}
  <input type="${options.type ?? 'text'}" value="${v(name)}"${attrs(name, options.hint, options.also)}${options.required ? html` required` : ''}>
</div>`;
  const textarea = (name: string, label: string, hint?: string) => html`<div class="field">
  <label for="${idOf(name)}">${label}</label>
  ${hint ? html`<p class="hint" id="${idOf(name)}-hint">${hint}</p>` : ''}${errorLine(name)}
  <textarea rows="5"${attrs(name, hint)}>${v(name)}</textarea>
</div>`;
  const select = (name: string, label: string, options: Array<[string, string]>, also?: string) => html`<div class="field">
  <label for="${idOf(name)}">${label}</label>${errorLine(name, also)}
  <select${attrs(name, undefined, also)}>${options.map(([value, text]) => html`<option value="${value}"${v(name) === value ? html` selected` : ''}>${text}</option>`)}</select>
</div>`;

  const outcomeCount = Math.max(1, ...Object.keys(state.values).filter((k) => k.startsWith('microCredential.learningOutcomes.')).map((k) => Number(k.split('.')[2]) + 1)) + 1;
  const outcomes = Array.from({ length: Math.min(outcomeCount, MAX_OUTCOME_ROWS) }, (_, i) => i);
  const notStated: [string, string] = ['', t.bcMcNotStated];
  /** The language-independent micro-credential elements; their texts are in each language's section. */
  const renderMicroCredentialFields = () => {
    // Checked by value, whatever position the stored list gave it; sent back by its place in ASSESSMENT_TYPES.
    const typeKeys = Object.keys(state.values).filter((k) => /^microCredential\.assessment\.types\.\d+$/.test(k));
    typeKeys.forEach((k) => shown.add(k));
    const chosen = new Set(typeKeys.map((k) => state.values[k]));
    const typesError = err('microCredential.assessment.types') ?? err('microCredential.assessment');
    return html`<fieldset class="card">
  <legend>${t.bcMicro}</legend>
  <p class="hint">${t.bcMicroHint}</p>
  ${input('microCredential.workload.hours', t.bcMcHours, { type: 'text', also: 'microCredential.workload' })}
  ${input('microCredential.workload.ects', t.bcMcEcts)}
  ${select('microCredential.eqfLevel', t.bcMcEqf, [notStated, ...[1, 2, 3, 4, 5, 6, 7, 8].map((n): [string, string] => [String(n), String(n)])])}
  ${input('microCredential.nqf.country', t.bcMcNqfCountry, { also: 'microCredential.nqf' })}
  ${input('microCredential.nqf.level', t.bcMcNqfLevel)}
  <fieldset class="subfieldset"${typesError ? html` aria-describedby="f-mc-types-error"` : ''}><legend>${t.bcMcAssessment}</legend>
    ${typesError ? html`<p class="field-error" id="f-mc-types-error">${typesError}</p>` : ''}
    ${ASSESSMENT_TYPES.map((type, i) => html`<div class="field"><label><input type="checkbox" name="microCredential.assessment.types.${i}" value="${type}"${chosen.has(type) ? html` checked` : ''}> ${t[ASSESSMENT_LABELS[type]]}</label></div>`)}
  </fieldset>
  ${select('microCredential.participation', t.bcMcParticipation, [notStated, ...PARTICIPATION_FORMS.map((f): [string, string] => [f, t[PARTICIPATION_LABELS[f]]])])}
  ${select('microCredential.identityVerification', t.bcMcIdentity, [notStated, ...IDENTITY_VERIFICATIONS.map((f): [string, string] => [f, t[IDENTITY_LABELS[f]]])])}
  ${select('microCredential.stackability.stackable', t.bcMcStackable, [notStated, ['true', t.bcMcStackableYes], ['false', t.bcMcStackableNo]], 'microCredential.stackability')}
</fieldset>`;
  };

  const alignmentCount = Math.max(1, ...Object.keys(state.values).filter((k) => k.startsWith('alignments.')).map((k) => Number(k.split('.')[1]) + 1)) + 1;
  const alignments = Array.from({ length: Math.min(alignmentCount, MAX_ALIGNMENT_ROWS) }, (_, i) => i);
  const languageFilled = (lang: Language) => Object.entries(state.values).some(([k, value]) => k.endsWith(`.${lang}`) && value.trim() !== '') || Object.keys(state.errors).some((k) => k.endsWith(`.${lang}`));

  const body = html`<fieldset class="card">
  <legend>${t.bcEssentials}</legend>
  ${state.editing
    ? html`<p><strong>${t.bcSlug}:</strong> <code>${state.editing.slug}</code> · ${t.bcVersion} ${state.editing.version}</p>
  <input type="hidden" name="slug" value="${state.editing.slug}"><input type="hidden" name="expectedVersion" value="${state.editing.version}">`
    : input('slug', t.bcSlug, { hint: t.bcSlugHint, required: true })}
  ${select('achievementType', t.bcType, ACHIEVEMENT_TYPES.map((a) => [a, a]))}
  ${input('proficiencyLevel.framework', t.bcLevelFramework, { hint: t.bcLevelFrameworkHint })}
  ${input('proficiencyLevel.code', t.bcLevelCode)}
  ${select('validityPeriod', t.bcValidity, VALIDITY.map((p) => [p, p === '' ? t.bcValidityNone : (({ P1Y: t.bcYears1, P2Y: t.bcYears2, P3Y: t.bcYears3, P5Y: t.bcYears5 }) as Record<string, string>)[p]!]))}
  ${select('renewal.method', t.bcRenewal, [['', t.bcRenewalNone], ...RENEWAL_METHODS.map((m): [string, string] => [m, m === 'reassessment' ? t.bcRenewalReassessment : t.bcRenewalDevelopment])])}
</fieldset>
${renderMicroCredentialFields()}
${SUPPORTED_LANGUAGES.map(
  (lang) => html`<details class="card"${lang === 'en' || languageFilled(lang) ? html` open` : ''}>
  <summary lang="${lang}">${LANGUAGE_NAMES[lang]}${lang === 'en' ? html` <span class="muted">(${t.bcRequired})</span>` : ''}</summary>
  ${input(`name.${lang}`, t.bcName)}
  ${textarea(`description.${lang}`, t.bcDescription)}
  ${textarea(`criteria.narrative.${lang}`, t.bcCriteria, t.bcCriteriaHint)}
  ${input(`proficiencyLevel.name.${lang}`, t.bcLevelName, { hint: t.bcLevelNameHint })}
  ${alignments.map((i) => input(`alignments.${i}.targetName.${lang}`, `${t.bcCompetence} ${i + 1}: ${t.bcCompetenceName}`))}
  ${outcomes.map((i) => input(`microCredential.learningOutcomes.${i}.${lang}`, fill(t.bcMcOutcome, { n: i + 1 }), { ...(i === 0 && lang === 'en' ? { also: 'microCredential.learningOutcomes' } : {}) }))}
  ${textarea(`microCredential.assessment.description.${lang}`, t.bcMcAssessmentDescription)}
  ${input(`microCredential.qualityAssurance.${lang}`, t.bcMcQuality, lang === 'en' ? { also: 'microCredential.qualityAssurance' } : {})}
  ${input(`microCredential.prerequisites.${lang}`, t.bcMcPrerequisites)}
  ${input(`microCredential.stackability.towards.${lang}`, t.bcMcTowards)}
</details>`,
)}
<fieldset class="card">
  <legend>${t.bcCompetences}</legend>
  <p class="hint">${t.bcCompetencesHint}</p>
  ${renderCompetenceFinder(t, state.competenceSearch)}
  ${alignments.map(
    (i) => html`<fieldset class="subfieldset"><legend>${t.bcCompetence} ${i + 1}</legend>
    ${input(`alignments.${i}.targetFramework`, t.bcFramework)}
    ${input(`alignments.${i}.targetCode`, t.bcCode)}
    ${input(`alignments.${i}.targetUrl`, t.bcUrl, { type: 'url' })}
  </fieldset>`,
  )}
</fieldset>
<fieldset class="card">
  <legend>${t.bcLook}</legend>
  <div class="field"><label for="f-image">${t.bcImage}</label><p class="hint" id="f-image-hint">${t.bcImageHint}</p>${errorLine('image')}
  <input type="file" id="f-image" name="image" accept="image/png,image/svg+xml" aria-describedby="f-image-hint"${err('image') ? html` aria-invalid="true"` : ''}></div>
  ${state.editing?.hasImage ? html`<div class="field"><label><input type="checkbox" name="removeImage" value="1"> ${t.bcRemoveImage}</label></div>` : ''}
  ${input('design.label', t.bcLabel, { hint: t.bcLabelHint })}
  ${input('design.colour', t.bcColour, { hint: t.bcColourHint })}
  ${input('humanCode', t.bcHumanCode)}
  ${input('tags', t.bcTags, { hint: t.bcTagsHint })}
  ${input('creditsAvailable', t.bcCredits)}
</fieldset>`;
  // What the form does not show (a criteria URL, an alignment's description or type, the creator…)
  // travels in hidden fields, so that saving a new version keeps it.
  const hidden = Object.entries(state.values)
    .filter(([name]) => !shown.has(name) && !name.startsWith('_') && !name.startsWith('$'))
    .map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);
  return html`${body}${hidden}`;
}
