import type { Language } from '../../badge-classes/schema.js';
import type { Role } from '../../db/repositories.js';
import { html, type HtmlValue, type SafeHtml } from '../html.js';
import { renderLayout } from '../layout.js';
import { CONSOLE_MESSAGES, type ConsoleMessages } from './i18n.js';

/**
 * The console's pages: the site layout, with a navigation bar for the signed-in person (their
 * organisations, the sections their role opens, signing out). Every form posts back here with the
 * session's CSRF token; nothing needs JavaScript.
 */
export interface ConsoleFrame {
  lang: Language;
  /** The signed-in person's view; absent on the sign-in and invitation pages. */
  user?: {
    name: string;
    role: Role;
    orgId: string;
    orgName: string;
    memberships: Array<{ orgId: string; orgName: string }>;
    csrf: string;
  };
  /** Which section is open, for `aria-current`. */
  section?: Section;
}

export type Section = 'home' | 'award' | 'jobs' | 'awards' | 'badge-classes' | 'frameworks' | 'pathways' | 'questionnaires' | 'endorsements' | 'people' | 'api-keys' | 'settings' | 'audit';

const SECTIONS: Array<{ id: Section; path: string; label: keyof ConsoleMessages; roles: Role[] }> = [
  { id: 'home', path: '/console', label: 'navHome', roles: ['owner', 'issuer', 'viewer'] },
  { id: 'award', path: '/console/award', label: 'navAward', roles: ['owner', 'issuer'] },
  { id: 'jobs', path: '/console/jobs', label: 'navJobs', roles: ['owner', 'issuer', 'viewer'] },
  { id: 'awards', path: '/console/awards', label: 'navAwards', roles: ['owner', 'issuer', 'viewer'] },
  { id: 'badge-classes', path: '/console/badge-classes', label: 'navBadgeClasses', roles: ['owner', 'issuer', 'viewer'] },
  { id: 'frameworks', path: '/console/frameworks', label: 'navFrameworks', roles: ['owner', 'issuer', 'viewer'] },
  { id: 'pathways', path: '/console/pathways', label: 'navPathways', roles: ['owner', 'issuer', 'viewer'] },
  { id: 'questionnaires', path: '/console/questionnaires', label: 'navQuestionnaires', roles: ['owner', 'issuer', 'viewer'] },
  { id: 'people', path: '/console/people', label: 'navPeople', roles: ['owner'] },
  { id: 'api-keys', path: '/console/api-keys', label: 'navApiKeys', roles: ['owner'] },
  { id: 'endorsements', path: '/console/endorsements', label: 'navEndorsements', roles: ['owner'] },
  { id: 'settings', path: '/console/settings', label: 'navSettings', roles: ['owner'] },
  { id: 'audit', path: '/console/audit', label: 'navAudit', roles: ['owner', 'issuer', 'viewer'] },
];

export const roleName = (t: ConsoleMessages, role: Role): string => ({ owner: t.roleOwner, issuer: t.roleIssuer, viewer: t.roleViewer })[role];

/** The hidden field every console form carries. */
export const csrfField = (frame: ConsoleFrame): SafeHtml => html`<input type="hidden" name="_csrf" value="${frame.user?.csrf ?? ''}">`;

/** A short notice above the page's content: `ok` (done), `bad` (refused). */
export function notice(kind: 'ok' | 'bad', text: HtmlValue): SafeHtml {
  return html`<div class="notice notice--${kind}" role="${kind === 'bad' ? 'alert' : 'status'}">${text}</div>`;
}

export function renderConsole(frame: ConsoleFrame, page: { title: string; body: SafeHtml; path: string; head?: SafeHtml }): string {
  const t = CONSOLE_MESSAGES[frame.lang];
  const { user } = frame;
  const nav = user
    ? html`<nav class="console-nav card" aria-label="${t.nav}">
  <ul>${SECTIONS.filter((s) => s.roles.includes(user.role)).map(
    (s) => html`<li><a href="${s.path}"${s.id === frame.section ? html` aria-current="page"` : ''}>${t[s.label]}</a></li>`,
  )}</ul>
  <div class="console-nav__who">
    <span>${user.name} · ${user.orgName} · ${roleName(t, user.role)}</span>
    ${user.memberships.length > 1
      ? html`<form method="post" action="/console/organisation" class="inline-form">
      ${csrfField(frame)}
      <label for="org-switch" class="visually-hidden">${t.switchOrganisation}</label>
      <select id="org-switch" name="orgId">${user.memberships.map((m) => html`<option value="${m.orgId}"${m.orgId === user.orgId ? html` selected` : ''}>${m.orgName}</option>`)}</select>
      <button type="submit" class="button">${t.switchButton}</button>
    </form>`
      : ''}
    <form method="post" action="/console/sign-out" class="inline-form">${csrfField(frame)}<button type="submit" class="button">${t.signOut}</button></form>
  </div>
</nav>`
    : '';
  return renderLayout({
    lang: frame.lang,
    title: `${page.title} – ${t.consoleName}`,
    switcherPath: page.path,
    siteName: t.consoleName,
    siteUrl: '/console',
    footerText: t.consoleFooter,
    ...(page.head ? { head: page.head } : {}),
    body: html`${nav}
<h1>${page.title}</h1>
${page.body}`,
  });
}
