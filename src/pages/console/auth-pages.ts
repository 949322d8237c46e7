import { html, type SafeHtml } from '../html.js';
import { fill } from '../i18n.js';
import type { Role } from '../../db/repositories.js';
import { CONSOLE_MESSAGES, type ConsoleMessages } from './i18n.js';
import { csrfField, notice, renderConsole, roleName, type ConsoleFrame } from './layout.js';

/** Sign-in, password reset and invitation pages: for people not signed in yet. */

/** A form field with its label, an error tied to it (`aria-describedby`) and a hint. */
export function field(input: {
  id: string;
  name: string;
  label: string;
  type?: string;
  value?: string;
  autocomplete?: string;
  required?: boolean;
  error?: string;
  hint?: string;
  extra?: SafeHtml;
}): SafeHtml {
  const described = [input.error ? `${input.id}-error` : '', input.hint ? `${input.id}-hint` : ''].filter(Boolean).join(' ');
  return html`<div class="field">
  <label for="${input.id}">${input.label}</label>
  ${input.hint ? html`<p class="hint" id="${input.id}-hint">${input.hint}</p>` : ''}
  ${input.error ? html`<p class="field-error" id="${input.id}-error">${input.error}</p>` : ''}
  <input id="${input.id}" name="${input.name}" type="${input.type ?? 'text'}"${input.value !== undefined ? html` value="${input.value}"` : ''}${input.autocomplete ? html` autocomplete="${input.autocomplete}"` : ''}${input.required ? html` required` : ''}${input.error ? html` aria-invalid="true"` : ''}${described ? html` aria-describedby="${described}"` : ''}${input.extra ?? ''}>
</div>`;
}

export const passwordMessage = (t: ConsoleMessages, problem: string | undefined): string | undefined =>
  problem === undefined
    ? undefined
    : ({ too_short: t.passwordTooShort, too_long: t.passwordTooLong, same_as_email: t.passwordSameAsEmail, wrong_password: t.wrongPassword } as Record<string, string>)[problem] ?? t.passwordTooShort;

export function renderSignIn(frame: ConsoleFrame, state: { email?: string; next?: string; failed?: boolean; limitedMinutes?: number; message?: string }): string {
  const t = CONSOLE_MESSAGES[frame.lang];
  const body = html`<section class="card narrow">
  <p>${t.signInIntro}</p>
  ${state.message ? notice('ok', state.message) : ''}
  ${state.failed ? notice('bad', t.signInFailed) : ''}
  ${state.limitedMinutes ? notice('bad', fill(t.signInLimited, { minutes: state.limitedMinutes })) : ''}
  <form method="post" action="/console/sign-in" class="stack-form">
    <input type="hidden" name="next" value="${state.next ?? ''}">
    ${field({ id: 'email', name: 'email', label: t.email, type: 'email', value: state.email ?? '', autocomplete: 'username', required: true })}
    ${field({ id: 'password', name: 'password', label: t.password, type: 'password', autocomplete: 'current-password', required: true })}
    <button type="submit">${t.signInButton}</button>
  </form>
  <p><a href="/console/reset">${t.forgotPassword}</a></p>
</section>`;
  return renderConsole(frame, { title: t.signInTitle, body, path: '/console/sign-in' });
}

export function renderResetRequest(frame: ConsoleFrame, state: { sent?: boolean }): string {
  const t = CONSOLE_MESSAGES[frame.lang];
  const body = html`<section class="card narrow">
  ${state.sent ? notice('ok', t.resetSent) : html`<p>${t.resetIntro}</p>`}
  <form method="post" action="/console/reset" class="stack-form">
    ${field({ id: 'email', name: 'email', label: t.email, type: 'email', autocomplete: 'username', required: true })}
    <button type="submit">${t.resetButton}</button>
  </form>
</section>`;
  return renderConsole(frame, { title: t.resetTitle, body, path: '/console/reset' });
}

export function renderNewPassword(frame: ConsoleFrame, state: { token: string; expired?: boolean; problem?: string }): string {
  const t = CONSOLE_MESSAGES[frame.lang];
  const body = state.expired
    ? html`<section class="card narrow">${notice('bad', t.linkExpired)}<p><a href="/console/reset">${t.resetTitle}</a></p></section>`
    : html`<section class="card narrow">
  <form method="post" action="/console/reset/${state.token}" class="stack-form">
    ${field({ id: 'password', name: 'password', label: t.newPassword, type: 'password', autocomplete: 'new-password', required: true, hint: t.newPasswordHelp, error: passwordMessage(t, state.problem) })}
    <button type="submit">${t.savePassword}</button>
  </form>
</section>`;
  return renderConsole(frame, { title: t.newPasswordTitle, body, path: `/console/reset/${state.token}` });
}

export function renderInvitation(
  frame: ConsoleFrame,
  state: { token: string; expired?: boolean; organisation?: string; role?: Role; email?: string | null; name?: string; problem?: string },
): string {
  const t = CONSOLE_MESSAGES[frame.lang];
  const organisation = state.organisation ?? '';
  if (state.expired || !state.role) {
    const body = html`<section class="card narrow">${notice('bad', t.linkExpired)}</section>`;
    return renderConsole(frame, { title: t.signInTitle, body, path: `/console/invitations/${state.token}` });
  }
  const body = html`<section class="card narrow">
  <p>${fill(t.invitationIntro, { organisation, role: roleName(t, state.role) })}</p>
  <form method="post" action="/console/invitations/${state.token}" class="stack-form">
    ${state.email
      ? html`<p><strong>${t.email}:</strong> ${state.email}</p>`
      : field({ id: 'email', name: 'email', label: t.email, type: 'email', autocomplete: 'username', required: true })}
    ${field({ id: 'name', name: 'name', label: t.yourName, value: state.name ?? '', autocomplete: 'name', required: true })}
    ${field({ id: 'password', name: 'password', label: t.choosePassword, type: 'password', autocomplete: 'new-password', required: true, hint: t.newPasswordHelp, error: passwordMessage(t, state.problem) })}
    <button type="submit">${t.joinButton}</button>
  </form>
</section>`;
  return renderConsole(frame, { title: fill(t.invitationTitle, { organisation }), body, path: `/console/invitations/${state.token}` });
}

export { csrfField };

/** An error shown as a page (a refused or expired form, a role that does not allow something). */
export function renderConsoleError(frame: ConsoleFrame, error: { code: string; message: string }): string {
  const t = CONSOLE_MESSAGES[frame.lang];
  const text = error.code === 'csrf_failed' ? t.formExpired : error.code === 'forbidden' ? t.notAllowed : error.message;
  const body = html`<section class="card narrow">${notice('bad', text)}<p><a href="/console">${t.navHome}</a></p></section>`;
  return renderConsole(frame, { title: t.errorTitle, body, path: '/console' });
}
