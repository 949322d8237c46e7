import { SUPPORTED_LANGUAGES, type Language } from '../../badge-classes/schema.js';
import { html, type SafeHtml } from '../html.js';
import { fill, formatDate, LANGUAGE_NAMES } from '../i18n.js';
import { CONSOLE_MESSAGES, type ConsoleMessages } from './i18n.js';
import { csrfField, notice, renderConsole, type ConsoleFrame } from './layout.js';
import { identifierRows, type SettingsValues } from './settings-form.js';

/** The owner's settings page: the organisation's issuer Profile, its logo, and its signing keys. */

/** ISO 3166-1 alpha-2, and XK (Kosovo), which registers of the EU use. Named in the page's language by Intl. */
const COUNTRY_CODES =
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW'.split(' ');

const countries = new Map<Language, Array<[string, string]>>();
function countriesIn(lang: Language): Array<[string, string]> {
  let list = countries.get(lang);
  if (!list) {
    const names = new Intl.DisplayNames([lang], { type: 'region' });
    list = COUNTRY_CODES.map((code): [string, string] => [code, names.of(code) ?? code]).sort((a, b) => a[1].localeCompare(b[1], lang));
    countries.set(lang, list);
  }
  return list;
}

/** OB 3.0 IdentifierTypeEnum terms an organisation is likely to use, and extension terms for registers. */
const IDENTIFIER_SUGGESTIONS = ['identifier', 'systemId', 'sourcedId', 'ext:VetRegister', 'ext:VatNumber', 'ext:CompanyRegister', 'ext:ErasmusCode', 'ext:PIC'];

export interface SettingsPageData {
  slug: string;
  did: string;
  didDocumentUrl: string;
  profileUrl: string | null;
  /** The instance's own organisation: the server's ISSUER_* settings replace its profile when they change. */
  isInstance: boolean;
  /** A did:key issuer: its identifier is its key, which cannot change. */
  canRotate: boolean;
  /** Its uploaded logo's address, to show it. */
  logoUrl: string | null;
  keys: Array<{ type: string; name: string; createdAt: string; retiredAt: string | null }>;
  values: SettingsValues;
  errors: Record<string, string>;
  done?: string;
}

export function renderSettings(frame: ConsoleFrame, data: SettingsPageData): string {
  const t = CONSOLE_MESSAGES[frame.lang];
  const organisation = frame.user?.orgName ?? '';
  const body = html`<p>${fill(t.settingsIntro, { organisation })}</p>
${data.done ? notice('ok', data.done) : ''}
${Object.keys(data.errors).length ? notice('bad', t.fixErrors) : ''}
<p>${data.profileUrl ? html`<a href="${data.profileUrl}">${t.settingsPublicProfile}</a> · ` : ''}<a href="${data.didDocumentUrl}">${t.settingsDidDocument}</a></p>
${data.isInstance ? html`<p class="notice notice--info">${fill(t.settingsInstanceNote, { organisation })}</p>` : ''}
<form method="post" action="/console/settings" enctype="multipart/form-data" class="stack-form" novalidate>
  ${csrfField(frame)}
  ${profileFields(t, frame.lang, data)}
  <p class="actions"><button type="submit">${t.settingsSave}</button></p>
</form>
${keysSection(frame, t, data)}`;
  return renderConsole({ ...frame, section: 'settings' }, { title: t.settingsTitle, body, path: '/console/settings' });
}

function profileFields(t: ConsoleMessages, lang: Language, data: SettingsPageData): SafeHtml {
  const v = (name: string) => data.values[name] ?? '';
  const err = (name: string) => data.errors[name];
  const idOf = (name: string) => `s-${name.replace(/[^a-zA-Z0-9]/g, '-')}`;
  const errorLine = (name: string) => (err(name) ? html`<p class="field-error" id="${idOf(name)}-error">${err(name)}</p>` : '');
  const attrs = (name: string, hint?: string) => {
    const described = [err(name) ? `${idOf(name)}-error` : '', hint ? `${idOf(name)}-hint` : ''].filter(Boolean).join(' ');
    return html` id="${idOf(name)}" name="${name}"${err(name) ? html` aria-invalid="true"` : ''}${described ? html` aria-describedby="${described}"` : ''}`;
  };
  const hintLine = (name: string, hint?: string) => (hint ? html`<p class="hint" id="${idOf(name)}-hint">${hint}</p>` : '');
  const input = (name: string, label: string, options: { hint?: string; type?: string; required?: boolean; autocomplete?: string; list?: string } = {}) => html`<div class="field">
  <label for="${idOf(name)}">${label}</label>
  ${hintLine(name, options.hint)}${errorLine(name)}
  <input type="${options.type ?? 'text'}" value="${v(name)}"${attrs(name, options.hint)}${options.required ? html` required` : ''}${options.autocomplete ? html` autocomplete="${options.autocomplete}"` : ''}${options.list ? html` list="${options.list}"` : ''}>
</div>`;
  const textarea = (name: string, label: string) => html`<div class="field">
  <label for="${idOf(name)}">${label}</label>${errorLine(name)}
  <textarea rows="4"${attrs(name)}>${v(name)}</textarea>
</div>`;
  const languageOpen = (l: Language) => l === lang || l === 'en' || v(`name.${l}`) !== '' || v(`description.${l}`) !== '' || Object.keys(data.errors).some((k) => k.endsWith(`.${l}`));
  const country = v('address.addressCountryCode');

  return html`<fieldset class="card">
  <legend>${t.settingsProfileHeading}</legend>
  ${input('name', t.settingsName, { hint: t.settingsNameHint, required: true, autocomplete: 'organization' })}
  ${input('url', t.settingsUrl, { hint: t.settingsUrlHint, type: 'url', autocomplete: 'url' })}
  ${input('email', t.settingsEmail, { hint: t.settingsEmailHint, type: 'email', autocomplete: 'email' })}
  ${input('phone', t.settingsPhone, { type: 'tel', autocomplete: 'tel' })}
</fieldset>
<p class="hint">${t.settingsLanguagesHint}</p>
${SUPPORTED_LANGUAGES.map(
  (l) => html`<details class="card"${languageOpen(l) ? html` open` : ''}>
  <summary lang="${l}">${LANGUAGE_NAMES[l]}</summary>
  ${input(`name.${l}`, t.settingsNameIn)}
  ${textarea(`description.${l}`, t.settingsDescription)}
</details>`,
)}
<fieldset class="card">
  <legend>${t.settingsAddressHeading}</legend>
  ${input('address.streetAddress', t.settingsStreet, { autocomplete: 'street-address' })}
  ${input('address.postalCode', t.settingsPostalCode, { autocomplete: 'postal-code' })}
  ${input('address.addressLocality', t.settingsLocality, { autocomplete: 'address-level2' })}
  ${input('address.addressRegion', t.settingsRegion, { autocomplete: 'address-level1' })}
  <div class="field">
    <label for="${idOf('address.addressCountryCode')}">${t.settingsCountry}</label>${errorLine('address.addressCountryCode')}
    <select${attrs('address.addressCountryCode')} autocomplete="country"><option value="">${t.settingsNoCountry}</option>${countriesIn(lang).map(
      ([code, name]) => html`<option value="${code}"${code === country ? html` selected` : ''}>${name}</option>`,
    )}</select>
  </div>
</fieldset>
<fieldset class="card">
  <legend>${t.settingsIdentifiersHeading}</legend>
  <p class="hint">${t.settingsIdentifiersHint}</p>
  <datalist id="identifier-types">${IDENTIFIER_SUGGESTIONS.map((s) => html`<option value="${s}"></option>`)}</datalist>
  ${Array.from({ length: identifierRows(data.values) }, (_, i) => html`<fieldset class="subfieldset"><legend>${t.settingsIdentifier} ${i + 1}</legend>
    ${input(`otherIdentifier.${i}.identifierType`, t.settingsIdentifierType, { hint: i === 0 ? t.settingsIdentifierTypeHint : undefined, list: 'identifier-types' })}
    ${input(`otherIdentifier.${i}.identifier`, t.settingsIdentifier)}
  </fieldset>`)}
</fieldset>
<fieldset class="card">
  <legend>${t.settingsLogoHeading}</legend>
  ${data.logoUrl ? html`<p><img src="${data.logoUrl}" alt="${t.settingsCurrentLogo}" height="64" style="max-width:100%;height:64px;width:auto"></p>` : ''}
  <div class="field"><label for="s-logo">${t.settingsLogo}</label><p class="hint" id="s-logo-hint">${t.settingsLogoHint}</p>${errorLine('logo')}
  <input type="file" id="s-logo" name="logo" accept="image/png,image/svg+xml" aria-describedby="${err('logo') ? 's-logo-error ' : ''}s-logo-hint"${err('logo') ? html` aria-invalid="true"` : ''}></div>
  ${data.logoUrl ? html`<div class="field"><label><input type="checkbox" name="removeLogo" value="1"> ${t.settingsRemoveLogo}</label></div>` : ''}
</fieldset>`;
}

function keysSection(frame: ConsoleFrame, t: ConsoleMessages, data: SettingsPageData): SafeHtml {
  const organisation = frame.user?.orgName ?? '';
  return html`<section class="card" aria-labelledby="keys-heading">
  <h2 id="keys-heading">${t.settingsKeysHeading}</h2>
  <p>${fill(t.settingsKeysIntro, { organisation, did: data.did })}</p>
  <table class="stack-table">
    <thead><tr><th scope="col">${t.settingsKeyType}</th><th scope="col">${t.settingsKey}</th><th scope="col">${t.settingsKeySince}</th><th scope="col">${t.status}</th></tr></thead>
    <tbody>${[...data.keys].reverse().map(
      (k) => html`<tr>
      <td>${k.type}</td>
      <td data-label="${t.settingsKey}"><code>${k.name.slice(0, 16)}…</code></td>
      <td data-label="${t.settingsKeySince}">${formatDate(k.createdAt, frame.lang)}</td>
      <td data-label="${t.status}">${k.retiredAt ? fill(t.settingsKeyRetired, { date: formatDate(k.retiredAt, frame.lang) ?? '' }) : t.settingsKeyInUse}</td>
    </tr>`,
    )}</tbody>
  </table>
  ${data.canRotate
    ? html`<details><summary>${t.settingsRotate}</summary>
    <form method="post" action="/console/settings/keys" class="stack-form">
      ${csrfField(frame)}
      <p>${t.settingsRotateExplain}</p>
      <button type="submit">${t.settingsRotateConfirm}</button>
    </form></details>`
    : html`<p class="muted">${t.settingsRotateDidKey}</p>`}
</section>`;
}
