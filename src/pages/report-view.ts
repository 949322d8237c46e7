import type { Language } from '../badge-classes/schema.js';
import type { Check, CheckId, CheckStatus, VerificationReport } from '../verify/report.js';
import { html, type SafeHtml } from './html.js';
import { MESSAGES, checkText, fill, formatDate, type Messages } from './i18n.js';

/** What the status panel says, decided once from the verdict and the checks' reason codes; the pages only render it. */
export type Verdict =
  | { kind: 'verified'; notes: Check[] }
  | { kind: 'unconfirmed'; reasons: Check[] }
  | { kind: 'revoked'; revokedAt?: string; reason?: string }
  | { kind: 'suspended'; suspendedAt?: string }
  | { kind: 'expired'; date?: string }
  | { kind: 'not_yet_valid'; date?: string }
  | { kind: 'failed'; problems: Check[]; genuineSignature: boolean };

export interface ReportViewOptions {
  /** Revocation details from our own records (the credential page); else the report's `status`. */
  revocation?: { revokedAt: string; reason?: string };
  /** Suspension details from our own records (the credential page); else the report's `status`. */
  suspension?: { suspendedAt: string };
  now: Date;
  /** Level of the verdict heading; the check list heading is one below. */
  headingLevel: 2 | 3;
  /** Shown right under the verdict (the verify page's summary of what the credential claims). */
  afterVerdict?: SafeHtml;
}

/** The checks the summary shows an employer, in reading order. */
export const SUMMARY_CHECKS: readonly CheckId[] = ['proof', 'issuer_key', 'status', 'validity_period'];

/**
 * A broken badge is "could not be verified" whatever else is true of it: a revocation or an expiry
 * date read from data that fails its signature tells nothing. Revocation then outranks expiry.
 */
const INTEGRITY_CHECKS: readonly CheckId[] = ['format', 'contexts', 'open_badge', 'proof', 'issuer_key', 'endorsements', 'recipient'];

export function verdictOf(report: VerificationReport, options: Pick<ReportViewOptions, 'revocation' | 'suspension' | 'now'>): Verdict {
  const failed = report.checks.filter((c) => c.status === 'failed');
  if (report.verdict === 'verified') return { kind: 'verified', notes: report.checks.filter((c) => c.status === 'warning') };
  if (report.verdict === 'unconfirmed') return { kind: 'unconfirmed', reasons: report.checks.filter((c) => c.status === 'unconfirmed') };
  const codes = new Set(failed.map((c) => c.code));
  if (!failed.some((c) => INTEGRITY_CHECKS.includes(c.id))) {
    if (codes.has('revoked')) {
      const revokedAt = options.revocation?.revokedAt ?? report.status?.revokedAt;
      const reason = options.revocation ? options.revocation.reason : report.status?.reason;
      return { kind: 'revoked', ...(revokedAt ? { revokedAt } : {}), ...(reason ? { reason } : {}) };
    }
    if (codes.has('suspended')) {
      const suspendedAt = options.suspension?.suspendedAt ?? report.status?.suspendedAt;
      return { kind: 'suspended', ...(suspendedAt ? { suspendedAt } : {}) };
    }
    if (codes.has('not_yet_valid')) return { kind: 'not_yet_valid', ...(report.validity?.validFrom ? { date: report.validity.validFrom } : {}) };
    if (codes.has('expired')) return { kind: 'expired', ...(report.validity?.validUntil ? { date: report.validity.validUntil } : {}) };
  }
  const passed = (id: CheckId) => report.checks.some((c) => c.id === id && c.status === 'passed');
  return { kind: 'failed', problems: failed, genuineSignature: passed('proof') && passed('issuer_key') };
}

export const STATUS_MARK: Record<CheckStatus, string> = { passed: '✓', failed: '✗', unconfirmed: '?', warning: '!', skipped: '–' };

export const statusWord = (t: Messages, status: CheckStatus): string =>
  ({ passed: t.statusPassed, failed: t.statusFailed, unconfirmed: t.statusUnconfirmed, warning: t.statusWarning, skipped: t.statusSkipped })[status];

const heading = (level: number, id: string, content: SafeHtml | string): SafeHtml =>
  level === 2 ? html`<h2 id="${id}">${content}</h2>` : level === 3 ? html`<h3 id="${id}">${content}</h3>` : html`<h4 id="${id}">${content}</h4>`;

function renderVerdict(verdict: Verdict, lang: Language, options: ReportViewOptions): SafeHtml {
  const t = MESSAGES[lang];
  const date = (value: string | undefined) => formatDate(value, lang);
  let tone: 'ok' | 'bad' | 'warn';
  let mark: string;
  let title: string;
  let body: SafeHtml;
  switch (verdict.kind) {
    case 'verified':
      [tone, mark, title] = ['ok', '✓', t.verdictVerified];
      body = html`<p>${t.verdictVerifiedDetail}${verdict.notes.length ? ` ${t.verdictWithNotes}` : ''}</p>`;
      break;
    case 'revoked': {
      const on = date(verdict.revokedAt);
      [tone, mark, title] = ['bad', '✗', on ? fill(t.verdictRevoked, { date: on }) : t.verdictRevokedUndated];
      body = html`<p>${t.verdictRevokedDetail}</p>${verdict.reason ? html`<p class="verdict__reason">${fill(t.revocationReason, { reason: verdict.reason })}</p>` : ''}`;
      break;
    }
    case 'unconfirmed': {
      const known = t.unconfirmedReasons as Record<string, string | undefined>;
      const reasons = [...new Set(verdict.reasons.map((c) => known[c.code] ?? checkText(t, c.id, c.status, c.code)))];
      [tone, mark, title] = ['warn', '?', t.verdictUnconfirmed];
      body = html`<p>${t.verdictUnconfirmedDetail}</p><ul>${reasons.map((r) => html`<li>${r}</li>`)}</ul>`;
      break;
    }
    case 'suspended': {
      const since = date(verdict.suspendedAt);
      [tone, mark, title] = ['bad', '✗', since ? fill(t.verdictSuspendedOn, { date: since }) : t.verdictSuspended];
      body = html`<p>${t.verdictSuspendedDetail}</p>`;
      break;
    }
    case 'expired': {
      const on = date(verdict.date);
      [tone, mark, title] = ['bad', '✗', on ? fill(t.verdictExpired, { date: on }) : t.checks.validity_period.failed];
      body = html`<p>${t.verdictExpiredDetail}</p>`;
      break;
    }
    case 'not_yet_valid': {
      const on = date(verdict.date);
      [tone, mark, title] = ['bad', '✗', on ? fill(t.verdictNotYetValid, { date: on }) : t.checks.validity_period.failed];
      body = html`<p>${t.verdictNotYetValidDetail}</p>`;
      break;
    }
    case 'failed':
      [tone, mark, title] = ['bad', '✗', t.verdictFailed];
      body = verdict.problems.length
        ? html`<p>${verdict.genuineSignature ? t.verdictGenuineButDetail : t.verdictFailedDetail}</p><ul>${verdict.problems.map((c) => html`<li>${checkText(t, c.id, c.status, c.code)}</li>`)}</ul>`
        : html``;
      break;
  }
  const checkedOn = date(options.now.toISOString());
  return html`<div class="verdict verdict--${tone}">
  <p class="verdict__mark" aria-hidden="true">${mark}</p>
  <div class="verdict__text">
    ${heading(options.headingLevel, 'verdict-title', html`<span class="visually-hidden">${t.verificationHeading}: </span>${title}`)}
    ${body}
    ${checkedOn ? html`<p class="verdict__when">${fill(t.checkedOn, { date: checkedOn })}</p>` : ''}
  </div>
</div>`;
}

function renderCheckItem(t: Messages, check: Check): SafeHtml {
  return html`<li class="check check--${check.status}"><span class="check__mark" aria-hidden="true">${STATUS_MARK[check.status]}</span><span><span class="visually-hidden"> ${statusWord(t, check.status)}: </span>${checkText(t, check.id, check.status, check.code)}</span></li>`;
}

function renderCheckTable(t: Messages, checks: Check[]): SafeHtml {
  const rows = checks.map(
    (c) => html`<tr class="check--${c.status}">
      <th scope="row">${t.checks[c.id].label}</th>
      <td class="nowrap"><span class="check__mark" aria-hidden="true">${STATUS_MARK[c.status]}</span> ${statusWord(t, c.status)}</td>
      <td>${checkText(t, c.id, c.status, c.code)}<span class="check__detail" lang="en">${c.message}</span></td>
    </tr>`,
  );
  return html`<details class="check-details">
  <summary>${t.checkDetailsSummary}</summary>
  <div class="table-scroll">
  <table>
    <caption class="visually-hidden">${t.checkDetailsSummary}</caption>
    <thead><tr><th scope="col">${t.checkColumn}</th><th scope="col">${t.resultColumn}</th><th scope="col">${t.detailsColumn}</th></tr></thead>
    <tbody>${rows}</tbody>
  </table>
  </div>
</details>`;
}

/** The verdict panel, the four checks an employer cares about, and every check in a details table. */
export function renderReport(report: VerificationReport, lang: Language, options: ReportViewOptions): SafeHtml {
  const t = MESSAGES[lang];
  const verdict = verdictOf(report, options);
  const summary = SUMMARY_CHECKS.map((id) => report.checks.find((c) => c.id === id)).filter((c): c is Check => c !== undefined);
  return html`${renderVerdict(verdict, lang, options)}
${report.kind === 'verifiable_credential' ? html`<p class="notice notice--info">${t.kindVerifiableCredential}</p>` : ''}
${options.afterVerdict ?? ''}
${summary.length
  ? html`<div class="checks">
  ${heading(options.headingLevel + 1, 'checks-title', t.checksSummaryHeading)}
  <ul class="check-list" aria-labelledby="checks-title">${summary.map((c) => renderCheckItem(t, c))}</ul>
</div>`
  : ''}
${report.checks.length ? renderCheckTable(t, report.checks) : ''}`;
}
