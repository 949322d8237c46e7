import { pick } from '../../badge-classes/achievement.js';
import type { CatalogEntry } from '../../badge-classes/catalog.js';
import { SUPPORTED_LANGUAGES } from '../../badge-classes/schema.js';
import type { IssuanceJobRowRecord, IssuanceJobState, RowProblemRecord } from '../../db/repositories.js';
import type { JobView } from '../../issuance-jobs/jobs.js';
import { XLSX_TYPE } from '../../issuance-jobs/xlsx.js';
import { html, type SafeHtml } from '../html.js';
import { fill, LANGUAGE_NAMES } from '../i18n.js';
import { CONSOLE_MESSAGES, type ConsoleMessages } from './i18n.js';
import { csrfField, notice, renderConsole, type ConsoleFrame } from './layout.js';

/**
 * Awarding from a spreadsheet in the console: the upload form, the list of uploads, and one upload's
 * page: its preview (every row's problems in plain words, before anything is awarded), then its
 * progress, then its outcome. Without JavaScript the progress page refreshes itself; with it, a
 * small script follows the server-sent events and moves the bar as each row is awarded.
 */
export const JOB_SCRIPT_PATH = '/console/assets/job-progress.js';

const COLUMN_LABEL: Record<string, keyof ConsoleMessages> = {
  email: 'colEmail',
  name: 'colName',
  language: 'colLanguage',
  evidenceUrl: 'colEvidenceUrl',
  evidenceName: 'colEvidenceName',
  narrative: 'colNarrative',
  result: 'colResult',
  activityStartDate: 'colStart',
  activityEndDate: 'colEnd',
  validUntil: 'colValidUntil',
  row: 'colRow',
};
const PROBLEM_TEXT: Record<string, keyof ConsoleMessages> = {
  required: 'probRequired',
  invalid_email: 'probInvalidEmail',
  invalid_url: 'probInvalidUrl',
  invalid_date: 'probInvalidDate',
  too_long: 'probTooLong',
  unknown_language: 'probUnknownLanguage',
  language_unavailable: 'probLanguageUnavailable',
  end_before_start: 'probEndBeforeStart',
  date_in_past: 'probDateInPast',
  duplicate_row: 'probDuplicateRow',
  already_issued: 'probAlreadyIssued',
};

/** A row's problem in the reader's language; an error of issuance keeps the API's English words. */
export function problemText(t: ConsoleMessages, p: RowProblemRecord): string {
  const key = PROBLEM_TEXT[p.code];
  const params = Object.fromEntries(Object.entries(p.params ?? {}).map(([k, v]) => [k, String(v)]));
  // Languages by their own names ("Deutsch", not "de"), as the language menus write them.
  const named = (code: string) => LANGUAGE_NAMES[code as keyof typeof LANGUAGE_NAMES] ?? code;
  if (p.code === 'language_unavailable') {
    params.language = named(params.language ?? '');
    params.available = (params.available ?? '').split(', ').map(named).join(', ');
  }
  if (key) return fill(t[key], params);
  if (typeof p.params?.message === 'string') return fill(t.probFailed, { message: p.params.message });
  return t.probInvalid;
}
export const columnLabel = (t: ConsoleMessages, column: string): string => t[COLUMN_LABEL[column] ?? 'colRow'];

export function stateLabel(t: ConsoleMessages, state: IssuanceJobState): string {
  return { preview: t.jobStatePreview, queued: t.jobStateQueued, running: t.jobStateRunning, done: t.jobStateDone, cancelled: t.jobStateCancelled }[state];
}

export interface SheetFormState {
  values: Record<string, string>;
  errors: Record<string, string>;
}

export function renderSheetForm(frame: ConsoleFrame, classes: CatalogEntry[], state: SheetFormState): string {
  const t = CONSOLE_MESSAGES[frame.lang];
  const v = (name: string) => state.values[name] ?? '';
  const err = (name: string) => (state.errors[name] ? html`<p class="field-error" id="s-${name}-error">${state.errors[name]}</p>` : '');
  const invalid = (name: string, hint?: string) =>
    html`${state.errors[name] ? html` aria-invalid="true"` : ''}${state.errors[name] || hint ? html` aria-describedby="${[state.errors[name] ? `s-${name}-error` : '', hint ?? ''].filter(Boolean).join(' ')}"` : ''}`;
  const body = html`${Object.keys(state.errors).length ? notice('bad', t.fixErrors) : ''}
<p>${t.sheetIntro}</p>
${classes.length === 0
  ? html`<p>${t.awardNoBadges} <a href="/console/badge-classes/new">${t.newBadgeClass}</a></p>`
  : html`<form method="post" action="/console/jobs/new" enctype="multipart/form-data" class="stack-form">
  ${csrfField(frame)}
  <fieldset class="card"><legend>${t.sheetTitle}</legend>
  <div class="field"><label for="s-badgeClass">${t.badgeClass}</label>${err('badgeClass')}
    <select id="s-badgeClass" name="badgeClass"${invalid('badgeClass')}>${classes.map(
      (c) => html`<option value="${c.badgeClass.slug}"${v('badgeClass') === c.badgeClass.slug ? html` selected` : ''}>${pick(c.badgeClass.name, frame.lang)} (${c.languages.map((l) => l.toUpperCase()).join(' ')})</option>`,
    )}</select></div>
  <div class="field"><label for="s-language">${t.sheetLanguage}</label>
    <select id="s-language" name="language">${SUPPORTED_LANGUAGES.map((l) => html`<option value="${l}" lang="${l}"${(v('language') || frame.lang) === l ? html` selected` : ''}>${LANGUAGE_NAMES[l]}</option>`)}</select></div>
  <div class="field"><label for="s-file">${t.sheetFile}</label>
    <p class="hint" id="s-file-hint">${t.sheetFileHint}</p>${err('file')}
    <input type="file" id="s-file" name="file" accept=".csv,.xlsx,text/csv,${XLSX_TYPE}"${invalid('file', 's-file-hint')}></div>
  <p class="hint">${t.sheetColumns} <a href="/console/jobs/template.csv" download>${t.sheetTemplate}</a></p>
  <div class="field"><label><input type="checkbox" name="notify" value="1"${v('notify') !== '0' ? html` checked` : ''}> ${t.awardNotify}</label></div>
  </fieldset>
  <p><button type="submit">${t.sheetUpload}</button></p>
</form>`}`;
  return renderConsole({ ...frame, section: 'jobs' }, { title: t.sheetTitle, body, path: '/console/jobs/new' });
}

export function renderJobs(frame: ConsoleFrame, page: { jobs: JobView[]; className: (slug: string) => string; canAward: boolean }): string {
  const t = CONSOLE_MESSAGES[frame.lang];
  const date = (iso: string) => new Date(iso).toLocaleString(frame.lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
  const body = html`${page.canAward ? html`<p><a class="button" href="/console/jobs/new">${t.sheetTitle}</a></p>` : ''}
<section class="card">
${page.jobs.length === 0
  ? html`<p>${t.jobsNone}</p>`
  : html`<table class="stack-table">
  <thead><tr><th scope="col">${t.jobFile}</th><th scope="col">${t.badgeClass}</th><th scope="col">${t.jobRows}</th><th scope="col">${t.jobState}</th><th scope="col">${t.jobUploaded}</th></tr></thead>
  <tbody>${page.jobs.map(
    (job) => html`<tr>
    <td><a href="/console/jobs/${job.id}">${job.fileName}</a></td>
    <td data-label="${t.badgeClass}">${page.className(job.badgeClass)}</td>
    <td data-label="${t.jobRows}">${job.state === 'preview' ? job.total : fill(t.jobProgressText, { done: String(job.issued), count: String(job.valid) })}</td>
    <td data-label="${t.jobState}">${stateLabel(t, job.state)}</td>
    <td data-label="${t.jobUploaded}">${date(job.createdAt)}</td>
  </tr>`,
  )}</tbody>
</table>`}
</section>`;
  return renderConsole({ ...frame, section: 'jobs' }, { title: t.navJobs, body, path: '/console/jobs' });
}

export interface JobPage {
  job: JobView;
  badgeName: string;
  /** Rows with problems (the first ones), and how many more there are. */
  problems: IssuanceJobRowRecord[];
  moreProblems: number;
  failed: IssuanceJobRowRecord[];
  canAward: boolean;
}

function problemTable(t: ConsoleMessages, rows: IssuanceJobRowRecord[], caption: string): SafeHtml {
  return html`<table class="stack-table">
  <caption class="visually-hidden">${caption}</caption>
  <thead><tr><th scope="col">${t.jobRow}</th><th scope="col">${t.jobColumn}</th><th scope="col">${t.jobProblem}</th></tr></thead>
  <tbody>${rows.flatMap((row) =>
    (row.errors ?? []).map(
      (p) => html`<tr><th scope="row">${t.jobRow} ${row.rowNumber}</th><td data-label="${t.jobColumn}">${columnLabel(t, p.column)}</td><td data-label="${t.jobProblem}">${problemText(t, p)}</td></tr>`,
    ),
  )}</tbody>
</table>`;
}

export function renderJob(frame: ConsoleFrame, page: JobPage): { html: string; live: boolean } {
  const t = CONSOLE_MESSAGES[frame.lang];
  const { job } = page;
  const invalid = job.total - job.valid;
  const toIssue = job.valid - job.alreadyIssued;
  const live = job.state === 'queued' || job.state === 'running';
  const done = job.issued + job.failed;
  const problems = page.problems.length
    ? html`<section class="card" aria-labelledby="problems-heading">
  <h2 id="problems-heading">${t.jobProblemsTitle}</h2>
  <p>${t.jobProblemsHint}</p>
  ${problemTable(t, page.problems, t.jobProblemsTitle)}
  ${page.moreProblems > 0 ? html`<p>${fill(t.jobMore, { count: String(page.moreProblems) })}</p>` : ''}
</section>`
    : '';
  const uploadAgain = page.canAward ? html`<p><a class="button" href="/console/jobs/new?badgeClass=${encodeURIComponent(job.badgeClass)}">${t.jobUploadAgain}</a></p>` : '';
  const cancelForm = page.canAward
    ? html`<form method="post" action="/console/jobs/${job.id}/cancel" class="inline-form">${csrfField(frame)}<button type="submit" class="button">${t.jobCancel}</button></form>`
    : '';

  let main: SafeHtml;
  if (job.state === 'preview') {
    main = html`<section class="card" aria-labelledby="summary-heading">
  <h2 id="summary-heading">${page.badgeName}</h2>
  <p>${fill(t.jobSummary, { total: String(job.total), valid: String(job.valid), invalid: String(invalid) })}</p>
  ${job.alreadyIssued ? html`<p>${fill(t.jobAlready, { count: String(job.alreadyIssued) })}</p>` : ''}
  ${toIssue > 0 && page.canAward
    ? html`<p>${job.sendEmail ? t.jobConfirmMail : t.jobConfirmNoMail}</p>
  <form method="post" action="/console/jobs/${job.id}/confirm" class="inline-form">${csrfField(frame)}<button type="submit">${fill(t.jobConfirm, { count: String(toIssue) })}</button></form>
  ${cancelForm}`
    : toIssue <= 0 && job.valid === 0
      ? notice('bad', t.jobNothingToIssue)
      : cancelForm}
</section>
${problems}
${uploadAgain}`;
  } else {
    const finished = job.state === 'done'
      ? notice('ok', html`${fill(t.jobDone, { issued: String(job.issued) })} <a href="/console/awards?badgeClass=${encodeURIComponent(job.badgeClass)}">${t.jobSeeAwards}</a>`)
      : job.state === 'cancelled'
        ? notice('bad', t.jobCancelled)
        : '';
    main = html`${finished}
<section class="card" aria-labelledby="progress-heading">
  <h2 id="progress-heading">${page.badgeName}</h2>
  <label for="job-progress">${t.jobProgress}</label>
  <progress id="job-progress" max="${job.valid}" value="${done}" data-events="/console/jobs/${job.id}/events">${fill(t.jobProgressText, { done: String(job.issued), count: String(job.valid) })}</progress>
  <p id="job-progress-text" aria-live="polite">${fill(t.jobProgressText, { done: String(job.issued), count: String(job.valid) })}${job.failed ? html`. ${fill(t.jobFailedText, { count: String(job.failed) })}` : ''}</p>
  ${live ? html`<p class="hint">${t.jobRefreshHint} <a href="/console/jobs/${job.id}">${t.jobRefresh}</a></p>${cancelForm}` : ''}
</section>
${page.failed.length ? html`<section class="card" aria-labelledby="failed-heading"><h2 id="failed-heading">${t.jobFailedTitle}</h2>${problemTable(t, page.failed, t.jobFailedTitle)}</section>` : ''}
${problems}`;
  }
  // While it runs: the script follows the events; without it, the page refreshes itself.
  const head = live
    ? html`<noscript><meta http-equiv="refresh" content="3"></noscript>
<script src="${JOB_SCRIPT_PATH}" defer></script>`
    : undefined;
  return {
    html: renderConsole(
      { ...frame, section: 'jobs' },
      { title: fill(t.jobTitle, { file: job.fileName }), body: main, path: `/console/jobs/${job.id}`, ...(head ? { head } : {}) },
    ),
    live,
  };
}

/** What the console's progress stream sends: the counts, and the progress line in the reader's language. */
export function progressEvent(t: ConsoleMessages, job: JobView) {
  const line = fill(t.jobProgressText, { done: String(job.issued), count: String(job.valid) });
  return { state: job.state, valid: job.valid, issued: job.issued, failed: job.failed, text: job.failed ? `${line}. ${fill(t.jobFailedText, { count: String(job.failed) })}` : line };
}

/**
 * The progress page's script: follows `data-events` (server-sent events), moves the bar and the
 * text (announced politely), and reloads the page once the job is done to show its outcome.
 */
export const JOB_SCRIPT = `'use strict';
(function () {
  var bar = document.getElementById('job-progress');
  var text = document.getElementById('job-progress-text');
  if (!bar || !window.EventSource) return;
  var source = new EventSource(bar.getAttribute('data-events'));
  source.addEventListener('progress', function (event) {
    var job = JSON.parse(event.data);
    bar.max = job.valid;
    bar.value = job.issued + job.failed;
    bar.textContent = job.issued + ' / ' + job.valid;
    if (text && job.text) text.textContent = job.text;
  });
  source.addEventListener('done', function () {
    source.close();
    window.location.reload();
  });
})();
`;
