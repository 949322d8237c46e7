import type { Language } from '../badge-classes/schema.js';
import type { VerificationReport } from '../verify/report.js';
import { readCredential } from './credential-view.js';
import { html, type SafeHtml } from './html.js';
import { MESSAGES, formatDate, type Messages } from './i18n.js';
import { renderLayout, withLang } from './layout.js';
import { renderReport } from './report-view.js';

export interface VerifyPageModel {
  report?: VerificationReport;
  /** The input could not be read at all (a 4xx), as opposed to a credential that failed its checks. */
  error?: { code: string; message: string };
  /** What was pasted, shown again so the person can correct it. */
  pasted?: string;
  email?: string;
  /** Where the form posts to. */
  action: string;
  /** The moment of verification (tests freeze it); defaults to now. */
  now?: Date;
}

const ACCEPT = '.png,.svg,.json,.jwt,.jws,image/png,image/svg+xml,application/json';

/** The verifier for people: upload or paste any issuer's badge, read the result in plain language. */
export function renderVerifyPage(model: VerifyPageModel, lang: Language): string {
  const t = MESSAGES[lang];
  const now = model.now ?? new Date();
  const action = withLang(model.action, lang);

  const body = html`
<h1>${t.verifyTitle}</h1>
<p class="lead intro">${t.verifyIntro}</p>
${model.error ? renderError(model.error, t) : ''}
${model.report
  ? html`<section class="card" aria-labelledby="result-title">
  <h2 id="result-title">${t.resultHeading}</h2>
  ${renderReport(model.report, lang, { now, headingLevel: 3, afterVerdict: renderSummary(model.report, t, lang) })}
</section>`
  : ''}
<section class="card no-print" aria-label="${t.verifyTitle}">
  <form method="post" action="${action}" enctype="multipart/form-data">
    <div class="field">
      <label for="verify-file">${t.fileLabel}</label>
      <span class="hint" id="verify-file-hint">${t.fileHint}</span>
      <input id="verify-file" name="file" type="file" accept="${ACCEPT}" aria-describedby="verify-file-hint">
    </div>
    <div class="field">
      <label for="verify-credential">${t.pasteLabel}</label>
      <textarea id="verify-credential" name="credential" rows="8" spellcheck="false" autocapitalize="off" autocomplete="off">${model.pasted ?? ''}</textarea>
    </div>
    <div class="field">
      <label for="verify-email">${t.emailOptionalLabel}</label>
      <span class="hint" id="verify-email-hint">${t.emailHint}</span>
      <input id="verify-email" name="email" type="email" autocomplete="off" aria-describedby="verify-email-hint" value="${model.email ?? ''}">
    </div>
    <button type="submit">${t.verifyButton}</button>
  </form>
</section>`;

  return renderLayout({
    lang,
    title: `${t.verifyTitle} – ${t.siteName}`,
    description: t.verifyIntro,
    body,
    switcherPath: model.action,
  });
}

function renderError(error: { code: string; message: string }, t: Messages): SafeHtml {
  return html`<div class="notice notice--bad" role="alert">
  <p><span aria-hidden="true">✗ </span>${t.errorHeading}</p>
  <p class="check__detail" lang="en">${error.message} <code>${error.code}</code></p>
</div>`;
}

/** A few facts about the credential that was read, so the result can be matched to the badge in hand. */
function renderSummary(report: VerificationReport, t: Messages, lang: Language): SafeHtml {
  if (!report.credential) return html``;
  const view = readCredential(report.credential);
  const fact = (label: string, value: string | undefined) => (value ? html`<div><dt>${label}</dt><dd>${value}</dd></div>` : '');
  return html`<h4 class="visually-hidden">${t.summaryHeading}</h4>
  <dl class="facts facts--summary">
    ${fact(t.achievement, view.achievementName)}
    ${fact(t.issuer, view.issuer.name)}
    ${fact(t.recipient, view.recipientName)}
    ${fact(t.issuedOn, formatDate(report.validity?.validFrom, lang))}
  </dl>`;
}
