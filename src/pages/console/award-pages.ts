import { pick } from '../../badge-classes/achievement.js';
import type { CatalogEntry } from '../../badge-classes/catalog.js';
import { SUPPORTED_LANGUAGES } from '../../badge-classes/schema.js';
import { html, type SafeHtml } from '../html.js';
import { fill, LANGUAGE_NAMES } from '../i18n.js';
import { CONSOLE_MESSAGES } from './i18n.js';
import { csrfField, notice, renderConsole, type ConsoleFrame } from './layout.js';

/** Awarding one badge through a form: the learner, the language, evidence, result and dates. */
export interface AwardFormState {
  values: Record<string, string>;
  errors: Record<string, string>;
  /** The award just made. */
  awarded?: { url: string; certificate: string; name: string; email?: string };
  /** Re-issuing a corrected award of this credential, or renewing it: its badge class is fixed. */
  reissue?: { id: string; badgeName: string; renewal?: { method?: 'reassessment' | 'continuing-development' | undefined } };
}

export function renderAwardForm(frame: ConsoleFrame, classes: CatalogEntry[], state: AwardFormState): string {
  const t = CONSOLE_MESSAGES[frame.lang];
  const v = (name: string) => state.values[name] ?? '';
  const err = (name: string) => state.errors[name];
  const id = (name: string) => `a-${name.replace(/[^a-zA-Z0-9]/g, '-')}`;
  const described = (name: string, hint?: string) => [err(name) ? `${id(name)}-error` : '', hint ? `${id(name)}-hint` : ''].filter(Boolean).join(' ');
  const wrap = (name: string, label: string, control: SafeHtml, hint?: string) => html`<div class="field">
  <label for="${id(name)}">${label}</label>
  ${hint ? html`<p class="hint" id="${id(name)}-hint">${hint}</p>` : ''}
  ${err(name) ? html`<p class="field-error" id="${id(name)}-error">${err(name)}</p>` : ''}
  ${control}
</div>`;
  const input = (name: string, label: string, type = 'text', hint?: string, autocomplete?: string) =>
    wrap(
      name,
      label,
      html`<input type="${type}" id="${id(name)}" name="${name}" value="${v(name)}"${err(name) ? html` aria-invalid="true"` : ''}${described(name, hint) ? html` aria-describedby="${described(name, hint)}"` : ''}${autocomplete ? html` autocomplete="${autocomplete}"` : ''}>`,
      hint,
    );
  const textarea = (name: string, label: string, hint?: string) =>
    wrap(name, label, html`<textarea id="${id(name)}" name="${name}" rows="4"${err(name) ? html` aria-invalid="true"` : ''}${described(name, hint) ? html` aria-describedby="${described(name, hint)}"` : ''}>${v(name)}</textarea>`, hint);

  const reissue = state.reissue;
  const renewal = reissue?.renewal;
  const action = reissue ? `/console/awards/${reissue.id}/${renewal ? 'renew' : 'reissue'}` : '/console/award';
  const rule = renewal?.method === 'reassessment' ? t.renewRuleReassessment : renewal?.method === 'continuing-development' ? t.renewRuleDevelopment : '';
  const awarded = state.awarded
    ? notice(
        'ok',
        html`${fill(renewal ? t.renewDone : reissue ? t.reissueDone : t.awardDone, { name: state.awarded.name })} <a href="${state.awarded.url}">${t.awardOpen}</a> · <a href="${state.awarded.certificate}">${t.awardCertificate}</a>${state.awarded.email ? html`<br>${fill(t.awardMailQueued, { email: state.awarded.email })}` : ''}`,
      )
    : '';
  const body = html`${awarded}
${Object.keys(state.errors).length ? notice('bad', t.fixErrors) : ''}
${classes.length === 0 && !reissue
  ? html`<p>${t.awardNoBadges} <a href="/console/badge-classes/new">${t.newBadgeClass}</a></p>`
  : html`${renewal ? html`<p>${t.renewIntro}</p>${rule ? html`<p>${rule}</p>` : ''}` : reissue ? html`<p>${t.reissueIntro}</p>` : html`<p><a href="/console/jobs/new">${t.awardFromSheet}</a></p>`}
<form method="post" action="${action}" class="stack-form">
  ${csrfField(frame)}
  <fieldset class="card"><legend>${t.awardBadge}</legend>
  ${reissue
    ? html`<p>${t.badgeClass}: <strong>${reissue.badgeName}</strong></p>`
    : wrap(
    'badgeClass',
    t.badgeClass,
    html`<select id="${id('badgeClass')}" name="badgeClass"${err('badgeClass') ? html` aria-invalid="true" aria-describedby="${id('badgeClass')}-error"` : ''}>${classes.map(
      (c) => html`<option value="${c.badgeClass.slug}"${v('badgeClass') === c.badgeClass.slug ? html` selected` : ''}>${pick(c.badgeClass.name, frame.lang)} (${c.languages.map((l) => l.toUpperCase()).join(' ')})</option>`,
    )}</select>`,
      )}
  ${wrap(
    'language',
    t.awardLanguage,
    html`<select id="${id('language')}" name="language" aria-describedby="${id('language')}-hint${err('language') ? ` ${id('language')}-error` : ''}">${SUPPORTED_LANGUAGES.map(
      (l) => html`<option value="${l}" lang="${l}"${(v('language') || frame.lang) === l ? html` selected` : ''}>${LANGUAGE_NAMES[l]}</option>`,
    )}</select>`,
    t.awardLanguageHint,
  )}
  </fieldset>
  <fieldset class="card"><legend>${t.awardLearner}</legend>
  ${input('email', t.email, 'email', renewal ? t.renewEmailHint : reissue ? t.reissueEmailHint : t.awardEmailHint, 'off')}
  ${input('name', t.awardLearnerName, 'text', t.awardLearnerNameHint, 'off')}
  <div class="field"><label><input type="checkbox" name="notify" value="1"${v('notify') !== '0' ? html` checked` : ''}> ${t.awardNotify}</label></div>
  </fieldset>
  <fieldset class="card"><legend>${t.awardEvidence}</legend>
  ${input('evidenceUrl', t.awardEvidenceUrl, 'url', t.awardEvidenceUrlHint)}
  ${input('evidenceName', t.awardEvidenceName)}
  ${textarea('narrative', t.awardNarrative, t.awardNarrativeHint)}
  ${input('result', t.awardResult, 'text', t.awardResultHint)}
  ${input('activityStartDate', t.awardStart, 'date')}
  ${input('activityEndDate', t.awardEnd, 'date')}
  ${input('validUntil', t.awardValidUntil, 'date', t.awardValidUntilHint)}
  </fieldset>
  <p><button type="submit">${renewal ? t.renewButton : reissue ? t.reissueButton : t.awardButton}</button></p>
</form>`}`;
  if (reissue) return renderConsole({ ...frame, section: 'awards' }, { title: renewal ? t.renewTitle : t.reissueTitle, body, path: action });
  return renderConsole({ ...frame, section: 'award' }, { title: t.awardTitle, body, path: '/console/award' });
}
