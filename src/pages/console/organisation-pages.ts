import type { AuditRecord, MembershipRecord, OneTimeTokenRecord } from '../../db/repositories.js';
import type { OrganisationWithKeys } from '../../db/repositories.js';
import type { BadgeClassUsage } from '../../usage/usage.js';
import { html, type SafeHtml } from '../html.js';
import { fill, formatDate } from '../i18n.js';
import { field } from './auth-pages.js';
import { CONSOLE_MESSAGES } from './i18n.js';
import { csrfField, notice, renderConsole, roleName, type ConsoleFrame } from './layout.js';

/** The console's organisation pages: overview, people, API keys, activity log. */

/** The roles to choose from; with what each may do where there is room (the invitation form). */
const roleOptions = (frame: ConsoleFrame, selected?: string, explained = false): SafeHtml => {
  const t = CONSOLE_MESSAGES[frame.lang];
  return html`${(['owner', 'issuer', 'viewer'] as const).map(
    (r) =>
      html`<option value="${r}"${r === selected ? html` selected` : ''}>${roleName(t, r)}${explained ? `: ${{ owner: t.roleOwnerHelp, issuer: t.roleIssuerHelp, viewer: t.roleViewerHelp }[r]}` : ''}</option>`,
  )}`;
};

/** The overview: per badge class, how many were awarded, e-mailed, viewed, downloaded and verified. */
export function renderHome(frame: ConsoleFrame, data: { did: string; counts: Array<BadgeClassUsage & { name: string }> }): string {
  const t = CONSOLE_MESSAGES[frame.lang];
  const organisation = frame.user?.orgName ?? '';
  const columns = [
    ['awarded', t.awarded],
    ['delivered', t.delivered],
    ['claimed', t.claimed],
    ['views', t.views],
    ['downloads', t.downloads],
    ['verifications', t.verifications],
  ] as const;
  const number = new Intl.NumberFormat(frame.lang);
  // On a phone the rows stack (layout.ts): each figure then carries its column's name.
  const body = html`<p>${fill(t.homeIntro, { organisation })}</p>
<section class="card">
  ${data.counts.length
    ? html`<div class="table-scroll"><table class="stack-table" aria-describedby="usage-note">
    <caption>${t.usageCaption}</caption>
    <thead><tr><th scope="col">${t.badgeClass}</th>${columns.map(([, label]) => html`<th scope="col">${label}</th>`)}</tr></thead>
    <tbody>${data.counts.map((c) => html`<tr><th scope="row">${c.name}</th>${columns.map(([key, label]) => html`<td data-label="${label}">${number.format(c[key])}</td>`)}</tr>`)}</tbody></table></div>
    <p class="muted" id="usage-note">${t.usageNote}</p>`
    : html`<p>${t.nothingYet}</p>`}
</section>
<p class="muted">${fill(t.organisationDid, { organisation, did: data.did })}</p>`;
  return renderConsole({ ...frame, section: 'home' }, { title: t.homeTitle, body, path: '/console' });
}

export function renderPeople(
  frame: ConsoleFrame,
  data: {
    userId: string;
    members: Array<MembershipRecord & { email: string; name: string }>;
    pending: OneTimeTokenRecord[];
    invited?: { email: string; link: string };
    done?: string;
    error?: string;
    form?: { email?: string; role?: string; emailError?: string };
  },
): string {
  const t = CONSOLE_MESSAGES[frame.lang];
  const organisation = frame.user?.orgName ?? '';
  const body = html`<p>${fill(t.peopleIntro, { organisation })}</p>
${data.invited ? notice('ok', html`${fill(t.invited, { email: data.invited.email })} ${fill(t.invitationLinkIs, { link: data.invited.link })}`) : ''}
${data.done ? notice('ok', data.done) : ''}
${data.error ? notice('bad', data.error) : ''}
<section class="card">
  <table class="stack-table">
    <thead><tr><th scope="col">${t.name}</th><th scope="col">${t.email}</th><th scope="col">${t.role}</th><th scope="col">${t.actions}</th></tr></thead>
    <tbody>${data.members.map(
      (m) => html`<tr>
      <td>${m.name} ${m.userId === data.userId ? t.you : ''}</td>
      <td data-label="${t.email}">${m.email}</td>
      <td data-label="${t.role}">${roleName(t, m.role)}</td>
      <td data-label="${t.actions}">
        <form method="post" action="/console/people/${m.userId}/role" class="inline-form">
          ${csrfField(frame)}
          <label class="visually-hidden" for="role-${m.userId}">${t.changeRole}: ${m.name}</label>
          <select id="role-${m.userId}" name="role">${roleOptions(frame, m.role)}</select>
          <button type="submit" class="button">${t.changeRole}</button>
        </form>
        ${m.userId === data.userId
          ? ''
          : html`<form method="post" action="/console/people/${m.userId}/remove" class="inline-form">${csrfField(frame)}<button type="submit" class="button">${t.remove}<span class="visually-hidden">: ${m.name}</span></button></form>`}
      </td>
    </tr>`,
    )}</tbody>
  </table>
</section>
<section class="card">
  <h2>${t.inviteHeading}</h2>
  <p>${t.inviteIntro}</p>
  <form method="post" action="/console/people/invite" class="stack-form">
    ${csrfField(frame)}
    ${field({ id: 'invite-email', name: 'email', label: t.email, type: 'email', value: data.form?.email ?? '', required: true, autocomplete: 'off', ...(data.form?.emailError ? { error: data.form.emailError } : {}) })}
    <div class="field"><label for="invite-role">${t.role}</label><select id="invite-role" name="role">${roleOptions(frame, data.form?.role ?? 'issuer', true)}</select></div>
    <button type="submit">${t.inviteButton}</button>
  </form>
</section>
${data.pending.length
  ? html`<section class="card"><h2>${t.pendingHeading}</h2>
  <table class="stack-table"><thead><tr><th scope="col">${t.email}</th><th scope="col">${t.role}</th><th scope="col">${t.expires}</th></tr></thead>
  <tbody>${data.pending.map((p) => html`<tr><td>${p.email ?? ''}</td><td data-label="${t.role}">${p.role ? roleName(t, p.role) : ''}</td><td data-label="${t.expires}">${formatDate(p.expiresAt, frame.lang)}</td></tr>`)}</tbody></table></section>`
  : ''}`;
  return renderConsole({ ...frame, section: 'people' }, { title: t.peopleTitle, body, path: '/console/people' });
}

export function renderApiKeys(frame: ConsoleFrame, data: { keys: OrganisationWithKeys['keys']; newKey?: string; done?: string; error?: string }): string {
  const t = CONSOLE_MESSAGES[frame.lang];
  const body = html`<p>${t.apiKeysIntro} <a href="/api/reference">${t.apiReference}</a></p>
${data.newKey ? notice('ok', html`${t.newKeyShown} <code class="secret">${data.newKey}</code>`) : ''}
${data.done ? notice('ok', data.done) : ''}
${data.error ? notice('bad', data.error) : ''}
<section class="card">
  <table class="stack-table">
    <thead><tr><th scope="col">${t.keyPrefix}</th><th scope="col">${t.scope}</th><th scope="col">${t.status}</th><th scope="col">${t.actions}</th></tr></thead>
    <tbody>${data.keys.map(
      (k) => html`<tr>
      <td><code>${k.prefix}…</code></td>
      <td data-label="${t.scope}">${k.badgeClasses.includes('*') ? t.allBadgeClasses : k.badgeClasses.join(', ')}</td>
      <td data-label="${t.status}">${k.revoked ? t.revoked : t.active}</td>
      <td data-label="${t.actions}">${k.revoked ? '' : html`<form method="post" action="/console/api-keys/${k.id}/revoke" class="inline-form">${csrfField(frame)}<button type="submit" class="button">${t.revoke}<span class="visually-hidden">: ${k.prefix}</span></button></form>`}</td>
    </tr>`,
    )}</tbody>
  </table>
</section>
<section class="card">
  <h2>${t.createKeyHeading}</h2>
  <form method="post" action="/console/api-keys" class="stack-form">
    ${csrfField(frame)}
    ${field({ id: 'scope', name: 'badgeClasses', label: t.scopeLabel, autocomplete: 'off' })}
    <button type="submit">${t.createKeyButton}</button>
  </form>
</section>`;
  return renderConsole({ ...frame, section: 'api-keys' }, { title: t.apiKeysTitle, body, path: '/console/api-keys' });
}

export function renderAudit(frame: ConsoleFrame, data: { entries: Array<AuditRecord & { actorName: string }>; olderHref?: string }): string {
  const t = CONSOLE_MESSAGES[frame.lang];
  const body = html`<p>${t.auditIntro}</p>
<section class="card">
  <table class="stack-table">
    <thead><tr><th scope="col">${t.when}</th><th scope="col">${t.who}</th><th scope="col">${t.what}</th></tr></thead>
    <tbody>${data.entries.map(
      (e) => html`<tr><td>${formatDate(e.at, frame.lang)} ${e.at.slice(11, 16)}</td><td data-label="${t.who}">${e.actorName}</td><td data-label="${t.what}"><code>${e.action}</code>${e.subject ? html` <span class="muted">${e.subject}</span>` : ''}</td></tr>`,
    )}</tbody>
  </table>
  ${data.olderHref ? html`<p><a href="${data.olderHref}">${t.older}</a></p>` : ''}
</section>`;
  return renderConsole({ ...frame, section: 'audit' }, { title: t.auditTitle, body, path: '/console/audit' });
}
