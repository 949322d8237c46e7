import { pick } from '../../badge-classes/achievement.js';
import type { CatalogEntry } from '../../badge-classes/catalog.js';
import type { AwardRow, DeliveryState } from '../../db/repositories.js';
import { html } from '../html.js';
import { formatDate } from '../i18n.js';
import { CONSOLE_MESSAGES, type ConsoleMessages } from './i18n.js';
import { csrfField, notice, renderConsole, type ConsoleFrame } from './layout.js';

/** Awarded badges: found by learner, badge, dates and state; re-issued, suspended, reinstated, revoked and erased from here; exported as CSV. */
export const AWARD_STATES = ['active', 'suspended', 'revoked', 'expired'] as const;
/** The states a search filters by, and those a row may be in beside them. */
export type AwardState = (typeof AWARD_STATES)[number] | 'replaced' | 'erased';

/** The first that applies, as the storage's award search filters them (db/award-search.ts). */
export const stateOf = (row: AwardRow, now: string): AwardState =>
  row.erasedAt
    ? 'erased'
    : row.replacedBy
      ? 'replaced'
      : row.revokedAt
        ? 'revoked'
        : row.suspendedAt
          ? 'suspended'
          : row.validUntil && row.validUntil <= now
            ? 'expired'
            : 'active';
export const stateName = (t: ConsoleMessages, state: AwardState): string =>
  ({ active: t.stateActive, suspended: t.stateSuspended, revoked: t.stateRevoked, expired: t.stateExpired, replaced: t.stateReplaced, erased: t.stateErased })[state];
export const deliveryName = (t: ConsoleMessages, delivery: DeliveryState | undefined): string =>
  delivery ? ({ queued: t.deliveryQueued, sent: t.deliverySent, failed: t.deliveryFailed } as Record<string, string>)[delivery.state] ?? delivery.state : t.deliveryNone;

export interface AwardsPage {
  filters: Record<string, string>;
  rows: AwardRow[];
  delivery: Map<string, DeliveryState>;
  classes: CatalogEntry[];
  now: string;
  publicUrl: string;
  olderHref?: string;
  exportHref: string;
  done?: string;
  canRevoke: boolean;
  canSuspend: boolean;
  /** Re-issue a corrected badge (owners and issuers). */
  canAward: boolean;
  /** Erase on request (owners). */
  canErase: boolean;
}

export function renderAwards(frame: ConsoleFrame, page: AwardsPage): string {
  const t = CONSOLE_MESSAGES[frame.lang];
  const f = (name: string) => page.filters[name] ?? '';
  const className = (slug: string) => {
    const entry = page.classes.find((c) => c.badgeClass.slug === slug);
    return entry ? pick(entry.badgeClass.name, frame.lang) : slug;
  };
  const body = html`${page.done ? notice('ok', page.done) : ''}
<form method="get" action="/console/awards" class="card stack-form" role="search" aria-label="${t.awardsFind}">
  <div class="field"><label for="q">${t.awardsQuery}</label><p class="hint" id="q-hint">${t.awardsQueryHint}</p><input type="search" id="q" name="q" value="${f('q')}" aria-describedby="q-hint"></div>
  <div class="field"><label for="badgeClass">${t.badgeClass}</label><select id="badgeClass" name="badgeClass"><option value="">${t.awardsAnyBadge}</option>${page.classes.map(
    (c) => html`<option value="${c.badgeClass.slug}"${f('badgeClass') === c.badgeClass.slug ? html` selected` : ''}>${pick(c.badgeClass.name, frame.lang)}</option>`,
  )}</select></div>
  <div class="field"><label for="state">${t.status}</label><select id="state" name="state"><option value="">${t.awardsAnyState}</option>${AWARD_STATES.map(
    (s) => html`<option value="${s}"${f('state') === s ? html` selected` : ''}>${stateName(t, s)}</option>`,
  )}</select></div>
  <div class="field"><label for="from">${t.awardsFrom}</label><input type="date" id="from" name="from" value="${f('from')}"></div>
  <div class="field"><label for="to">${t.awardsTo}</label><input type="date" id="to" name="to" value="${f('to')}"></div>
  <p><button type="submit">${t.awardsFind}</button> <a class="button" href="${page.exportHref}">${t.awardsExport}</a></p>
</form>
<section class="card" aria-labelledby="results-heading">
  <h2 id="results-heading">${t.awardsResults}</h2>
  ${page.rows.length === 0
    ? html`<p>${t.awardsNone}</p>`
    : html`<table class="stack-table">
    <thead><tr><th scope="col">${t.name}</th><th scope="col">${t.badgeClass}</th><th scope="col">${t.awardsAwarded}</th><th scope="col">${t.status}</th><th scope="col">${t.awardsDelivery}</th><th scope="col">${t.actions}</th></tr></thead>
    <tbody>${page.rows.map((row) => {
      const state = stateOf(row, page.now);
      const url = `${page.publicUrl}/credentials/${row.id}`;
      return html`<tr>
      <td>${state === 'erased' ? t.awardsErasedName : html`<a href="${url}">${row.recipientName ?? t.awardsNoName}</a>`}</td>
      <td data-label="${t.badgeClass}">${className(row.badgeClass)} <span class="muted">(${row.language.toUpperCase()})</span></td>
      <td data-label="${t.awardsAwarded}">${formatDate(row.issuedAt, frame.lang)}${row.validUntil ? html`<br><span class="muted">${t.awardValidUntil}: ${formatDate(row.validUntil, frame.lang)}</span>` : ''}</td>
      <td data-label="${t.status}">${stateName(t, state)}${row.renewedBy ? html`<br><a href="/credentials/${row.renewedBy}">${t.stateRenewed}</a>` : ''}${state === 'revoked' && row.reason ? html`<br><span class="muted">${row.reason}</span>` : ''}${state === 'suspended'
        ? html`<br><span class="muted">${formatDate(row.suspendedAt, frame.lang)}${row.suspensionReason ? html`: ${row.suspensionReason}` : ''}</span>`
        : ''}${state === 'replaced' && row.replacedBy ? html`<br><a href="${page.publicUrl}/credentials/${row.replacedBy}">${t.awardOpen}</a>` : ''}</td>
      <td data-label="${t.awardsDelivery}">${deliveryName(t, page.delivery.get(row.id))}</td>
      <td data-label="${t.actions}">${renderActions(frame, t, row, state, page)}</td>
    </tr>`;
    })}</tbody>
  </table>`}
  ${page.olderHref ? html`<p><a href="${page.olderHref}">${t.older}</a></p>` : ''}
</section>`;
  return renderConsole({ ...frame, section: 'awards' }, { title: t.awardsTitle, body, path: '/console/awards' });
}

/** Re-issue, erase, suspend or reinstate, and revoke: each a link or a small form of its own, as the badge's state allows. */
function renderActions(frame: ConsoleFrame, t: ConsoleMessages, row: AwardRow, state: AwardState, page: AwardsPage) {
  const who = html`<span class="visually-hidden">: ${row.recipientName ?? row.id}</span>`;
  const settled = state === 'revoked' || state === 'replaced' || state === 'erased';
  const reissue = !settled && page.canAward ? html`<p><a href="/console/awards/${row.id}/reissue">${t.reissue}${who}</a></p>` : '';
  const renew = !settled && !row.renewedBy && row.validUntil && page.canAward ? html`<p><a href="/console/awards/${row.id}/renew">${t.renew}${who}</a></p>` : '';
  const erase = state !== 'erased' && page.canErase ? html`<p><a href="/console/awards/${row.id}/erase">${t.erase}${who}</a></p>` : '';
  const suspension = !page.canSuspend || settled
    ? ''
    : state === 'suspended'
      ? html`<form method="post" action="/console/awards/${row.id}/reinstate">
          ${csrfField(frame)}
          <button type="submit">${t.reinstateConfirm}${who}</button>
        </form>`
      : html`<details><summary>${t.suspend}${who}</summary>
        <form method="post" action="/console/awards/${row.id}/suspend" class="stack-form">
          ${csrfField(frame)}
          <div class="field"><label for="suspend-reason-${row.id}">${t.suspendReason}</label><input type="text" id="suspend-reason-${row.id}" name="reason" required maxlength="500"></div>
          <button type="submit">${t.suspendConfirm}</button>
        </form></details>`;
  const revocation = !page.canRevoke || settled
    ? ''
    : html`<details><summary>${t.revoke}${who}</summary>
        <form method="post" action="/console/awards/${row.id}/revoke" class="stack-form">
          ${csrfField(frame)}
          <div class="field"><label for="reason-${row.id}">${t.revokeReason}</label><input type="text" id="reason-${row.id}" name="reason" required maxlength="500"></div>
          <div class="field"><label><input type="checkbox" name="publishReason" value="1"> ${t.revokePublish}</label></div>
          <button type="submit">${t.revokeConfirm}</button>
        </form></details>`;
  return html`${reissue}${renew}${erase}${suspension}${revocation}`;
}

/** The confirmation before erasing (no script: a page with a POST form). */
export function renderEraseConfirm(frame: ConsoleFrame, award: { id: string; name: string | undefined; badge: string }): string {
  const t = CONSOLE_MESSAGES[frame.lang];
  const body = html`<section class="card">
  <p><strong>${award.name ?? t.awardsNoName}</strong> · ${award.badge}</p>
  <p>${t.eraseIntro}</p>
  <form method="post" action="/console/awards/${award.id}/erase">
    ${csrfField(frame)}
    <p><button type="submit">${t.eraseConfirm}</button> <a class="button" href="/console/awards">${t.eraseCancel}</a></p>
  </form>
</section>`;
  return renderConsole({ ...frame, section: 'awards' }, { title: t.eraseTitle, body, path: `/console/awards/${award.id}/erase` });
}
