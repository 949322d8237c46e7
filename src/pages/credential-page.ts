import type { AchievementTranslation } from '../badge-classes/awarded-texts.js';
import type { Language } from '../badge-classes/schema.js';
import type { VerificationReport } from '../verify/report.js';
import { readCredential, type AlignmentView, type CredentialView, type MicroCredentialView } from './credential-view.js';
import { html, renderMarkdown, type SafeHtml } from './html.js';
import { MESSAGES, achievementTypeLabel, fill, fillHtml, formatDate, type Messages } from './i18n.js';
import { renderLayout } from './layout.js';
import { renderReport } from './report-view.js';

export interface CredentialPageModel {
  /** As issued (OB 3.0). */
  credential: Record<string, unknown>;
  /** Live verification of this credential. */
  report: VerificationReport;
  /** When revoked; `reason` only if the provider published it. */
  revocation?: { revokedAt: string; reason?: string };
  /** While suspended (the reason is never shown). */
  suspension?: { suspendedAt: string };
  /** The corrected credential that replaced this one (a re-issue), and when. */
  replacement?: { url: string; at: string };
  /** The renewal that follows it (it stays valid until its own date), and the credential it renews. */
  renewal?: { renewedBy?: { url: string; at: string }; renews?: { url: string; awardedDate: string } };
  /** How long the badge class's badges are valid, and how they are renewed, when its badges expire. */
  renewalRule?: { period?: string | undefined; method?: 'reassessment' | 'continuing-development' | undefined };
  /** `certificate`: the printable PDF, offered only while the badge is neither revoked nor suspended. */
  urls: { page: string; png: string; svg: string; json: string; jwt: string; image: string; verify: string; certificate: string; elm?: string };
  /** "Add to LinkedIn profile" link, built by the caller. */
  linkedInUrl: string;
  /** The result of the "check the recipient" form, when it was submitted. */
  recipientCheck?: { email: string; matched: boolean };
  /** The moment of verification (tests freeze it); defaults to now. */
  now?: Date;
  /**
   * The badge's texts in the page's language, from the badge class version it was awarded with, when
   * it was awarded in another language and that version has this one. The page then says which text
   * is the signed one, and shows it.
   */
  translation?: AchievementTranslation;
  /**
   * Whether the provider was entitled to award it: the badge class's owner and how the issuer may
   * award it, and the endorsements in force of the badge class and of the issuer.
   */
  entitlement?: Entitlement;
}

export interface EndorsementLine {
  by: string;
  comment: string;
  date: string;
  url: string;
}

export interface Entitlement {
  issuer: string;
  owner: string;
  /** `own`: the issuer's badge; `allowed`: its owner allows the issuer to award it; `shared`: shared with every organisation here; `unknown`: none of these now. */
  how: 'own' | 'allowed' | 'shared' | 'unknown';
  badge: EndorsementLine[];
  issuerEndorsements: EndorsementLine[];
}

/**
 * The texts the page shows of the achievement, each with its language: the signed ones, or where the
 * badge class gave them in the page's language, those.
 */
interface ShownTexts {
  name: string;
  nameLang: SafeHtml | '';
  description?: string;
  criteria?: string;
  aboutLang: SafeHtml | '';
  level?: string;
  levelLang: SafeHtml | '';
  competence(a: AlignmentView): { name: string | undefined; lang: SafeHtml | '' };
}

function shownTexts(view: CredentialView, t: Messages, translation: AchievementTranslation | undefined): ShownTexts {
  const signed = langOf(view);
  if (!translation) {
    return {
      name: view.achievementName ?? t.kicker,
      nameLang: signed,
      ...(view.description ? { description: view.description } : {}),
      ...(view.criteriaNarrative ? { criteria: view.criteriaNarrative } : {}),
      aboutLang: signed,
      ...(view.proficiencyLevel ? { level: view.proficiencyLevel } : {}),
      levelLang: signed,
      competence: (a) => ({ name: a.targetName, lang: signed }),
    };
  }
  const translated = html` lang="${translation.language}"`;
  return {
    name: translation.name,
    nameLang: translated,
    description: translation.description,
    criteria: translation.criteria,
    aboutLang: translated,
    ...(translation.level ?? view.proficiencyLevel ? { level: translation.level ?? view.proficiencyLevel } : {}),
    levelLang: translation.level ? translated : signed,
    competence: (a) => {
      const name = translation.competences.find((c) => c.targetUrl === a.targetUrl && c.targetCode === a.targetCode)?.name;
      return name ? { name, lang: translated } : { name: a.targetName, lang: signed };
    },
  };
}

/**
 * The language of texts taken from the credential (OB 3.0 `inLanguage`), so screen readers
 * pronounce them right on a page in another language; unknown means the page language is assumed.
 */
const langOf = (view: CredentialView): SafeHtml | '' => (view.language ? html` lang="${view.language}"` : '');

/** "Care of older people: first aid" → "care-of-older-people-first-aid", for download file names. */
export function fileBaseName(name: string | undefined): string {
  const slug = (name ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || 'badge';
}

/** The public page of one credential: what it certifies, whether it is genuine now, and how to share it. */
export function renderCredentialPage(model: CredentialPageModel, lang: Language): string {
  const t = MESSAGES[lang];
  const view = readCredential(model.credential);
  const now = model.now ?? new Date();
  // A translation is shown only on a page in its language, for a badge signed in another one.
  const translation = model.translation?.language === lang && view.language && view.language !== lang ? model.translation : undefined;
  const shown = shownTexts(view, t, translation);
  const name = shown.name;
  const issuerName = view.issuer.name;

  const body = html`
${model.replacement
  ? html`<p class="notice notice--info no-print" role="status">${fill(t.replacedNotice, { date: formatDate(model.replacement.at, lang) ?? model.replacement.at })} <a href="${model.replacement.url}">${t.replacedLink}</a></p>`
  : ''}
${model.renewal?.renewedBy
  ? html`<p class="notice notice--info no-print" role="status">${fill(t.renewedNotice, { date: formatDate(model.renewal.renewedBy.at, lang) ?? model.renewal.renewedBy.at })} <a href="${model.renewal.renewedBy.url}">${t.renewedLink}</a></p>`
  : ''}
${model.renewal?.renews
  ? html`<p class="notice notice--info">${fill(t.renewsNotice, { date: formatDate(model.renewal.renews.awardedDate, lang) ?? model.renewal.renews.awardedDate })} <a href="${model.renewal.renews.url}">${t.renewsLink}</a></p>`
  : ''}
<article class="card certificate" aria-labelledby="badge-title">
  ${renderHero(view, model, t, shown)}
  ${translation ? renderSignedText(view, t, lang) : ''}
  ${renderFacts(view, t, lang, shown, model.renewalRule)}
</article>
<section class="card" aria-label="${t.verificationHeading}">
  ${renderReport(model.report, lang, { ...(model.revocation ? { revocation: model.revocation } : {}), ...(model.suspension ? { suspension: model.suspension } : {}), now, headingLevel: 2 })}
</section>
${model.entitlement ? renderEntitlement(model.entitlement, t, lang) : ''}
${renderAbout(t, shown)}
${renderCompetences(view, t, shown)}
${view.microCredential ? renderMicroCredential(view, view.microCredential, t) : ''}
${view.narrative
  ? html`<section class="card" aria-labelledby="narrative-title"><h2 id="narrative-title">${t.narrativeHeading}</h2><div${langOf(view)}>${renderMarkdown(view.narrative)}</div></section>`
  : ''}
${renderEvidence(view, t)}
${view.hasEmailIdentity || model.recipientCheck ? renderRecipientCheck(model, t, lang) : ''}
${renderDownloads(model, t, name)}
<p class="print-only">${fill(t.printOnlineAt, { url: model.urls.page })}</p>
`;

  return renderLayout({
    lang,
    title: issuerName ? `${name} – ${issuerName}` : name,
    ...(shown.description ? { description: shown.description } : {}),
    body,
    og: { title: name, description: shown.description ?? name, image: model.urls.png, url: model.urls.page },
    canonicalUrl: model.urls.page,
    switcherPath: model.urls.page,
    ...(issuerName ? { siteName: issuerName } : {}),
    ...(view.issuer.url ? { siteUrl: view.issuer.url } : {}),
  });
}

/**
 * Which text is the signed one, when the page shows the badge class's translation: the signed name,
 * description and criteria, in their language, one click away.
 */
function renderSignedText(view: CredentialView, t: Messages, lang: Language): SafeHtml {
  const signedLang = view.language!;
  const language = new Intl.DisplayNames([lang], { type: 'language' }).of(signedLang) ?? signedLang;
  return html`<div class="notice notice--info">
    <p>${fill(t.translatedNotice, { language })}</p>
    <details class="signed-text">
      <summary>${fill(t.signedTextSummary, { language })}</summary>
      <div lang="${signedLang}">
        ${view.achievementName ? html`<p><strong>${view.achievementName}</strong></p>` : ''}
        ${view.description ? renderMarkdown(view.description) : ''}
        ${view.criteriaNarrative ? html`<p><strong lang="${lang}">${t.criteriaHeading}</strong></p>${renderMarkdown(view.criteriaNarrative)}` : ''}
      </div>
    </details>
  </div>`;
}

function renderHero(view: CredentialView, model: CredentialPageModel, t: Messages, shown: ShownTexts): SafeHtml {
  const name = shown.name;
  const issuer = view.issuer.name
    ? view.issuer.url
      ? html`<a href="${view.issuer.url}">${view.issuer.name}</a>`
      : html`<span>${view.issuer.name}</span>`
    : undefined;
  return html`<div class="hero">
    <img class="hero__image" src="${model.urls.image}" alt="${name}" width="160" height="160">
    <div>
      <p class="kicker">${t.kicker}</p>
      <h1 id="badge-title"${shown.nameLang}>${name}</h1>
      ${view.recipientName ? html`<p class="lead">${fillHtml(t.awardedTo, { name: html`<strong>${view.recipientName}</strong>` })}</p>` : ''}
      ${issuer ? html`<p class="muted">${fillHtml(t.issuedByLine, { issuer })}</p>` : ''}
      ${view.creator?.name
        ? html`<p class="muted">${fillHtml(t.definedByLine, { creator: view.creator.url ? html`<a href="${view.creator.url}">${view.creator.name}</a>` : html`<span>${view.creator.name}</span>` })}</p>`
        : ''}
    </div>
  </div>`;
}

/** "P3Y" as "3 years", "P1Y6M" as "1 year, 6 months", in the page's language. */
export function formatPeriod(period: string, lang: Language): string | undefined {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(period);
  if (!m) return undefined;
  const units = (['year', 'month', 'week', 'day'] as const).flatMap((unit, i) => (m[i + 1] ? [new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'long' }).format(Number(m[i + 1]))] : []));
  return new Intl.ListFormat(lang, { style: 'long', type: 'unit' }).format(units);
}

function renderFacts(view: CredentialView, t: Messages, lang: Language, shown: ShownTexts, rule?: CredentialPageModel['renewalRule']): SafeHtml {
  const period = rule?.period ? formatPeriod(rule.period, lang) : undefined;
  const renewal = view.validUntil && rule
    ? [period ? fill(t.validFor, { period }) : '', rule.method === 'reassessment' ? t.renewalReassessment : rule.method === 'continuing-development' ? t.renewalDevelopment : ''].filter(Boolean).join(' ')
    : '';
  const fact = (label: string, value: string | undefined, valueLang: SafeHtml | '' = '') =>
    value ? html`<div><dt>${label}</dt><dd${valueLang}>${value}</dd></div>` : '';
  return html`<h2 class="visually-hidden">${t.keyFacts}</h2>
  <dl class="facts">
    ${fact(t.issuedOn, formatDate(view.validFrom, lang))}
    ${fact(t.validUntil, view.validUntil ? formatDate(view.validUntil, lang) : t.doesNotExpire)}
    ${fact(t.achievementType, view.achievementType ? achievementTypeLabel(t, view.achievementType) : undefined)}
    ${fact(t.proficiencyLevel, shown.level, shown.levelLang)}
    ${fact(t.renewalTitle, renewal || undefined)}
  </dl>`;
}

function renderAbout(t: Messages, shown: ShownTexts): SafeHtml | '' {
  if (!shown.description && !shown.criteria) return '';
  return html`<section class="card" aria-labelledby="about-title">
  <h2 id="about-title">${t.descriptionHeading}</h2>
  ${shown.description ? html`<div${shown.aboutLang}>${renderMarkdown(shown.description)}</div>` : ''}
  ${shown.criteria ? html`<h3>${t.criteriaHeading}</h3><div${shown.aboutLang}>${renderMarkdown(shown.criteria)}</div>` : ''}
</section>`;
}

/** The employer's question "was this provider entitled to award this badge?": who defined it, who may award it, who endorses it. */
function renderEntitlement(e: Entitlement, t: Messages, lang: Language): SafeHtml {
  const line = e.how === 'own' ? fill(t.entitlementOwn, { issuer: e.issuer }) : e.how === 'unknown' ? '' : fill(e.how === 'allowed' ? t.entitlementAllowed : t.entitlementShared, { issuer: e.issuer, owner: e.owner });
  const item = (template: string, l: EndorsementLine) => html`<li>${fill(template, { organisation: l.by, issuer: e.issuer, date: formatDate(l.date, lang) ?? l.date.slice(0, 10) })} <q>${l.comment}</q> <a href="${l.url}">${t.endorsementSigned}</a></li>`;
  const endorsements = [...e.badge.map((l) => item(t.endorsedBadge, l)), ...e.issuerEndorsements.map((l) => item(t.endorsedIssuer, l))];
  return html`<section class="card" aria-labelledby="entitlement-title">
  <h2 id="entitlement-title">${t.entitlementHeading}</h2>
  ${line ? html`<p>${line}</p>` : ''}
  ${endorsements.length ? html`<ul>${endorsements}</ul>` : ''}
</section>`;
}

/** The EU micro-credential elements, in plain words; the values in the credential's language. */
function renderMicroCredential(view: CredentialView, mc: MicroCredentialView, t: Messages): SafeHtml {
  const l = langOf(view);
  const row = (label: string, value: SafeHtml | string | '') => (value ? html`<div><dt>${label}</dt><dd>${value}</dd></div>` : '');
  const workload = [mc.workloadHours !== undefined ? fill(t.mcHours, { hours: String(mc.workloadHours) }) : '', mc.ectsCredits !== undefined ? fill(t.mcEcts, { ects: String(mc.ectsCredits) }) : ''].filter(Boolean).join(' · ');
  const level = [mc.eqfLevel !== undefined ? fill(t.mcEqf, { level: String(mc.eqfLevel) }) : '', mc.nqf ? fill(t.mcNqf, { country: mc.nqf.country, level: mc.nqf.level }) : ''].filter(Boolean).join(' · ');
  const types = mc.assessmentTypes.map((type) => (t.mcAssessmentTypes as Record<string, string>)[type] ?? type).join(', ');
  const assessment = types || mc.assessmentDescription ? html`${types ? html`<span>${types.charAt(0).toUpperCase()}${types.slice(1)}.</span>` : ''}${mc.assessmentDescription ? html` <span${l}>${mc.assessmentDescription}</span>` : ''}` : '';
  const participation = mc.participationForm ? ((t.mcParticipationForms as Record<string, string>)[mc.participationForm] ?? mc.participationForm) : '';
  const identity = mc.identityVerification ? ((t.mcIdentityValues as Record<string, string>)[mc.identityVerification] ?? mc.identityVerification) : '';
  const stackability =
    mc.stackable === undefined ? '' : !mc.stackable ? t.mcStandalone : mc.stackableTowards ? html`${fill(t.mcStackable, { towards: '' })}<span${l}>${mc.stackableTowards}</span>` : t.mcStackableNoTarget;
  return html`<section class="card" aria-labelledby="mc-title">
  <h2 id="mc-title">${t.mcHeading}</h2>
  <p class="muted">${t.mcIntro}</p>
  <dl class="facts facts--wide">
    ${mc.learningOutcomes.length ? row(t.mcOutcomes, html`<ul${l}>${mc.learningOutcomes.map((o) => html`<li>${o}</li>`)}</ul>`) : ''}
    ${row(t.mcWorkload, workload)}
    ${row(t.mcLevel, level)}
    ${row(t.mcAssessment, assessment)}
    ${row(t.mcParticipation, participation)}
    ${row(t.mcQuality, mc.qualityAssurance ? html`<span${l}>${mc.qualityAssurance}</span>` : '')}
    ${row(t.mcPrerequisites, mc.prerequisites ? html`<span${l}>${mc.prerequisites}</span>` : '')}
    ${row(t.mcIdentity, identity)}
    ${row(t.mcStackability, stackability)}
  </dl>
</section>`;
}

function renderCompetences(view: CredentialView, t: Messages, shown: ShownTexts): SafeHtml | '' {
  if (view.alignments.length === 0) return '';
  const rows = view.alignments.map((a) => {
    const competence = shown.competence(a);
    return html`<tr>
      <td data-label="${t.framework}">${a.targetFramework ?? ''}</td>
      <td class="code" data-label="${t.code}">${a.targetCode ?? ''}</td>
      <td data-label="${t.competence}"${competence.lang}>${a.targetUrl ? html`<a href="${a.targetUrl}">${competence.name ?? a.targetCode}</a>` : competence.name}</td>
    </tr>`;
  });
  return html`<section class="card" aria-labelledby="competences-title">
  <h2 id="competences-title">${t.competencesHeading}</h2>
  <p class="muted">${t.competencesIntro}</p>
  <div class="table-scroll">
  <table class="stack-table">
    <thead><tr><th scope="col">${t.framework}</th><th scope="col">${t.code}</th><th scope="col">${t.competence}</th></tr></thead>
    <tbody>${rows}</tbody>
  </table>
  </div>
</section>`;
}

function renderEvidence(view: CredentialView, t: Messages): SafeHtml | '' {
  if (view.evidence.length === 0) return '';
  const items = view.evidence.map((e, i) => {
    const title = e.name ?? fill(t.evidenceUntitled, { number: i + 1 });
    return html`<li>
      <h3>${title}</h3>
      ${e.description ? html`<p>${e.description}</p>` : ''}
      ${e.narrative ? renderMarkdown(e.narrative) : ''}
      ${e.url ? html`<p><a href="${e.url}">${t.evidenceLink}<span class="visually-hidden">: ${title}</span></a></p>` : ''}
    </li>`;
  });
  return html`<section class="card" aria-labelledby="evidence-title">
  <h2 id="evidence-title">${t.evidenceHeading}</h2>
  <ul class="evidence"${langOf(view)}>${items}</ul>
</section>`;
}

function renderRecipientCheck(model: CredentialPageModel, t: Messages, lang: Language): SafeHtml {
  const check = model.recipientCheck;
  const result = check
    ? check.matched
      ? html`<p class="notice notice--ok" role="status"><span aria-hidden="true">✓ </span>${fillHtml(t.recipientMatched, { email: html`<strong>${check.email}</strong>` })}</p>`
      : html`<p class="notice notice--bad" role="status"><span aria-hidden="true">✗ </span>${fillHtml(t.recipientNotMatched, { email: html`<strong>${check.email}</strong>` })}</p>`
    : '';
  // A POST, so that the address never travels in a URL (browser history, proxies, request logs).
  return html`<section class="card no-print" aria-labelledby="recipient-title">
  <h2 id="recipient-title">${t.checkRecipientHeading}</h2>
  <p>${t.checkRecipientIntro}</p>
  <form method="post" action="${model.urls.page}/recipient-check" class="inline-form">
    <input type="hidden" name="lang" value="${lang}">
    <div class="field">
      <label for="recipient-email">${t.emailLabel}</label>
      <input id="recipient-email" name="email" type="email" autocomplete="email" required value="${check?.email ?? ''}">
    </div>
    <button type="submit">${t.checkButton}</button>
  </form>
  ${result}
</section>`;
}

function renderDownloads(model: CredentialPageModel, t: Messages, name: string): SafeHtml {
  const base = fileBaseName(name);
  const { urls } = model;
  // A certificate or a LinkedIn entry would vouch for a badge that is not valid now.
  const withdrawn = model.revocation !== undefined || model.suspension !== undefined;
  return html`<section class="card no-print" aria-labelledby="download-title">
  <h2 id="download-title">${t.downloadHeading}</h2>
  <p class="muted">${t.downloadIntro}</p>
  <ul class="actions">
    <li><a class="button" href="${urls.png}" download="${base}.png" type="image/png">${t.downloadPng}</a></li>
    <li><a class="button" href="${urls.svg}" download="${base}.svg" type="image/svg+xml">${t.downloadSvg}</a></li>
    ${withdrawn ? '' : html`<li><a class="button" href="${urls.certificate}" download="${base}.pdf" type="application/pdf">${t.certificate.download}</a></li>`}
    <li><a class="button" href="${urls.json}" download="${base}.json" type="application/json">${t.downloadJson}</a></li>
    <li><a class="button" href="${urls.jwt}" download="${base}.jwt" type="application/jwt">${t.downloadJwt}</a></li>
  </ul>
  ${urls.elm && !withdrawn
    ? html`<p id="europass-hint" class="muted">${t.europassHint}</p>
  <ul class="actions"><li><a class="button" href="${urls.elm}" download="${base}-europass.jsonld" type="application/ld+json" aria-describedby="europass-hint">${t.europassLink}</a></li></ul>`
    : ''}
  <ul class="actions">
    ${withdrawn ? '' : html`<li><a class="button button--primary" href="${model.linkedInUrl}" rel="nofollow">${t.addToLinkedIn}</a></li>`}
    <li><a class="button" href="${urls.verify}">${t.verifyAnother}</a></li>
  </ul>
</section>`;
}

/**
 * What an erased credential's address shows (410 Gone): that it was erased on request and no longer
 * exists. Nothing of the credential is left to show.
 */
export function renderErasedPage(lang: Language, urls: { page: string; verify: string }): string {
  const t = MESSAGES[lang];
  const body = html`<section class="card" aria-labelledby="erased-title">
  <h1 id="erased-title">${t.erasedTitle}</h1>
  <p>${t.erasedText}</p>
  <p class="muted">${t.erasedCopies}</p>
  <p><a class="button" href="${urls.verify}">${t.verifyAnother}</a></p>
</section>`;
  return renderLayout({ lang, title: t.erasedTitle, body, switcherPath: urls.page });
}
