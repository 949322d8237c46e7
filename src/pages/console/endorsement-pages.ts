import { SUPPORTED_LANGUAGES } from '../../badge-classes/schema.js';
import { html } from '../html.js';
import { fill, formatDate, LANGUAGE_NAMES } from '../i18n.js';
import { formFields } from './form-fields.js';
import { CONSOLE_MESSAGES } from './i18n.js';
import { csrfField, notice, renderConsole, type ConsoleFrame } from './layout.js';

/** The console's endorsements page: the form to endorse another organisation's badge or an organisation, and those in force. */
export function renderEndorsementsPage(
  frame: ConsoleFrame,
  data: {
    badges: Array<{ value: string; label: string }>;
    organisations: Array<{ value: string; label: string }>;
    given: Array<{ id: string; url: string; subject: string; comment: string; createdAt: string }>;
    values: Record<string, string>;
    errors: Record<string, string>;
    done?: string;
  },
): string {
  const t = CONSOLE_MESSAGES[frame.lang];
  const { v, idOf, errorLine, attrs, textarea } = formFields(data.values, data.errors);
  const option = (o: { value: string; label: string }) => html`<option value="${o.value}"${v('subject') === o.value ? html` selected` : ''}>${o.label}</option>`;
  const body = html`<p>${fill(t.endorsementsIntro, { organisation: frame.user?.orgName ?? '' })}</p>
${data.done ? notice('ok', data.done) : ''}
${Object.keys(data.errors).length ? notice('bad', t.fixErrors) : ''}
<form method="post" action="/console/endorsements" class="stack-form card">
  ${csrfField(frame)}
  <div class="field"><label for="${idOf('subject')}">${t.enSubject}</label>${errorLine('subject')}
  <select${attrs('subject')}><optgroup label="${t.enBadges}">${data.badges.map(option)}</optgroup><optgroup label="${t.enOrganisations}">${data.organisations.map(option)}</optgroup></select></div>
  ${textarea('comment', t.enComment, 4)}
  <p class="hint">${t.enCommentHint}</p>
  <div class="field"><label for="${idOf('language')}">${t.enLanguage}</label>
  <select${attrs('language')}>${SUPPORTED_LANGUAGES.map((l) => html`<option value="${l}" lang="${l}"${(v('language') || frame.lang) === l ? html` selected` : ''}>${LANGUAGE_NAMES[l]}</option>`)}</select></div>
  <p><button type="submit">${t.enButton}</button></p>
</form>
<section class="card" aria-labelledby="given-heading">
  <h2 id="given-heading">${t.enGiven}</h2>
  ${data.given.length
    ? html`<ul class="plain-list">${data.given.map(
        (e) => html`<li><strong>${e.subject}</strong> (${formatDate(e.createdAt, frame.lang) ?? e.createdAt.slice(0, 10)}): <q>${e.comment}</q> <a href="${e.url}">${t.enSigned}</a>
        <form method="post" action="/console/endorsements/${e.id}/withdraw" class="inline-form">${csrfField(frame)}<button type="submit" class="button">${t.enWithdraw}<span class="visually-hidden">: ${e.subject}</span></button></form></li>`,
      )}</ul>`
    : html`<p>${t.enNone}</p>`}
</section>`;
  return renderConsole({ ...frame, section: 'endorsements' }, { title: t.endorsementsTitle, body, path: '/console/endorsements' });
}
