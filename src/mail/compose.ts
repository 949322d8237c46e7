import type { Language } from '../badge-classes/schema.js';
import { html, safeUrl, type HtmlValue, type SafeHtml } from '../pages/html.js';
import { fill, formatDate } from '../pages/i18n.js';
import { emailAddress } from './config.js';
import { de } from './messages/de.js';
import { en, type MailMessages } from './messages/en.js';
import { es } from './messages/es.js';
import { fr } from './messages/fr.js';
import { it } from './messages/it.js';
import { lt } from './messages/lt.js';
import { ro } from './messages/ro.js';
import type { MailAttachment } from './transport.js';

/**
 * The messages the service sends, each as a subject, a plain-text part, an HTML part with the same
 * content, and attachments. The HTML is one column of real text with inline styles: no remote
 * images or style sheets (mail programs block them, and they would tell a tracker the mail was
 * opened). Every value from users is escaped by the `html` template (src/pages/html.ts).
 */

export type { MailMessages };
export const MAIL_MESSAGES: Record<Language, MailMessages> = { en, it, lt, ro, fr, es, de };

export const CONSOLE_ROLES = ['owner', 'issuer', 'viewer'] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

export interface ComposedMail {
  subject: string;
  text: string;
  html: string;
  attachments: MailAttachment[];
  /** The organisation's address, so a learner's reply reaches someone who can answer. */
  replyTo?: string;
}

export interface AwardMailInput {
  language: Language;
  organisation: { name: string; email?: string | undefined };
  badgeName: string;
  learnerName?: string | undefined;
  /** The credential page: download, PDF certificate, LinkedIn, verification. */
  credentialUrl: string;
  /** The baked badge image. */
  badgePng: Buffer;
  /** The learner's private progress page, when the badge is a step of a learning pathway. */
  progress?: { url: string; pathway: string } | undefined;
}

export interface InvitationMailInput {
  language: Language;
  organisation: string;
  role: ConsoleRole;
  /** The one-time link. */
  link: string;
  expiresAt: Date;
  /** IANA zone for the expiry time; defaults to the language's main country. */
  timeZone?: string | undefined;
}

export interface PasswordResetMailInput {
  language: Language;
  link: string;
  expiresAt: Date;
  timeZone?: string | undefined;
}

/** English dates read day-month-year, as across Europe (as on the pages). */
const LOCALES: Record<Language, string> = { en: 'en-GB', it: 'it-IT', lt: 'lt-LT', ro: 'ro-RO', fr: 'fr-FR', es: 'es-ES', de: 'de-DE' };
const TIME_ZONES: Record<Language, string> = {
  en: 'Europe/London',
  it: 'Europe/Rome',
  lt: 'Europe/Vilnius',
  ro: 'Europe/Bucharest',
  fr: 'Europe/Paris',
  es: 'Europe/Madrid',
  de: 'Europe/Berlin',
};

/** Date and time with the zone's short name, so "15:30 CET" cannot be read in another zone. */
export function formatDateTime(date: Date, language: Language, timeZone: string = TIME_ZONES[language]): string {
  return new Intl.DateTimeFormat(LOCALES[language], {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(date);
}

export function composeAward(input: AwardMailInput): ComposedMail {
  const m = MAIL_MESSAGES[input.language].award;
  const link = httpUrl(input.credentialUrl, 'credentialUrl');
  const organisation = oneLine(input.organisation.name);
  const badge = oneLine(input.badgeName);
  const learner = input.learnerName ? oneLine(input.learnerName) : '';
  const email = input.organisation.email === undefined ? undefined : address(input.organisation.email, 'organisation.email');
  const canDo = [m.pageDownload, m.pagePdf, m.pageLinkedIn, m.pageEmployer];
  const button = fill(m.button, { badge });
  const progress = input.progress && { url: httpUrl(input.progress.url, 'progress.url'), pathway: oneLine(input.progress.pathway) };

  const body = html`<h1 style="${H1}">${m.heading}</h1>
<p>${greeting(input.language, learner)}</p>
<p>${fill(m.intro, { organisation })}</p>
<p style="font-size:21px;font-weight:bold;margin:8px 0;">${badge}</p>
${learner && html`<p>${fill(m.awardedTo, { name: learner })}</p>`}
${buttonLink(link, button)}
<p>${m.pageIntro}</p>
<ul>${canDo.map((item) => html`<li>${item}</li>`)}</ul>
<p>${m.attachment}</p>
${progress ? html`<h2 style="${H2}">${m.progressHeading}</h2>
<p>${fill(m.progress, { pathway: progress.pathway })}</p>
${buttonLink(progress.url, m.progressButton)}` : ''}
<h2 style="${H2}">${m.whatIsHeading}</h2>
<p>${m.whatIs}</p>
<p>${email ? fillHtml(m.contact, { organisation, email: html`<a href="mailto:${email}" style="${LINK}">${email}</a>` }) : fill(m.contactNoEmail, { organisation })}</p>
${fallback(input.language, link)}`;

  const text = [
    greeting(input.language, learner),
    '',
    m.heading,
    '',
    fill(m.intro, { organisation }),
    badge,
    ...(learner ? [fill(m.awardedTo, { name: learner })] : []),
    '',
    button,
    link,
    '',
    m.pageIntro,
    ...canDo.map((item) => `- ${item}`),
    '',
    m.attachment,
    '',
    ...(progress ? [m.progressHeading, fill(m.progress, { pathway: progress.pathway }), progress.url, ''] : []),
    m.whatIsHeading,
    m.whatIs,
    '',
    email ? fill(m.contact, { organisation, email }) : fill(m.contactNoEmail, { organisation }),
  ];

  const subject = fill(m.subject, { organisation, badge });
  return {
    subject,
    text: lines(text),
    html: layout(input.language, subject, body),
    attachments: [{ filename: 'badge.png', content: input.badgePng, contentType: 'image/png' }],
    ...(email ? { replyTo: email } : {}),
  };
}

export function composeInvitation(input: InvitationMailInput): ComposedMail {
  const messages = MAIL_MESSAGES[input.language];
  const m = messages.invitation;
  const role = messages.roles[input.role];
  const link = httpUrl(input.link, 'link');
  const organisation = oneLine(input.organisation);
  const expiry = fill(m.expiry, { date: formatDateTime(input.expiresAt, input.language, input.timeZone) });
  const roleLine = `${fill(m.role, { role: role.name })} ${role.description}`;

  const body = html`<h1 style="${H1}">${m.heading}</h1>
<p>${greeting(input.language)}</p>
<p>${fill(m.intro, { organisation })}</p>
<p>${fillHtml(m.role, { role: html`<strong>${role.name}</strong>` })} ${role.description}</p>
${buttonLink(link, m.button)}
<p>${expiry}</p>
<p>${m.ignore}</p>
${fallback(input.language, link)}`;

  const subject = fill(m.subject, { organisation });
  const text = [greeting(input.language), '', m.heading, '', fill(m.intro, { organisation }), roleLine, '', m.button, link, '', expiry, '', m.ignore];
  return { subject, text: lines(text), html: layout(input.language, subject, body), attachments: [] };
}

export function composePasswordReset(input: PasswordResetMailInput): ComposedMail {
  const m = MAIL_MESSAGES[input.language].passwordReset;
  const link = httpUrl(input.link, 'link');
  const intro = fill(m.intro, { site: new URL(link).host });
  const expiry = fill(m.expiry, { date: formatDateTime(input.expiresAt, input.language, input.timeZone) });

  const body = html`<h1 style="${H1}">${m.heading}</h1>
<p>${greeting(input.language)}</p>
<p>${intro}</p>
${buttonLink(link, m.button)}
<p>${expiry}</p>
<p>${m.ignore}</p>
${fallback(input.language, link)}`;

  const text = [greeting(input.language), '', intro, '', m.button, link, '', expiry, '', m.ignore];
  return { subject: m.subject, text: lines(text), html: layout(input.language, m.subject, body), attachments: [] };
}

export interface ExpiryReminderMailInput {
  language: Language;
  organisation: { name: string; email?: string | undefined };
  badgeName: string;
  learnerName?: string | undefined;
  credentialUrl: string;
  validUntil: Date;
  /** How the badge is renewed, when its badge class says. */
  method: 'reassessment' | 'continuing-development' | null;
}

/** The learner's reminder before their badge expires: when, and how it is renewed. */
export function composeExpiryReminder(input: ExpiryReminderMailInput): ComposedMail {
  const messages = MAIL_MESSAGES[input.language];
  const m = messages.expiry;
  const link = httpUrl(input.credentialUrl, 'credentialUrl');
  const organisation = oneLine(input.organisation.name);
  const badge = oneLine(input.badgeName);
  const learner = input.learnerName ? oneLine(input.learnerName) : '';
  const email = input.organisation.email === undefined ? undefined : address(input.organisation.email, 'organisation.email');
  const date = formatDay(input.validUntil, input.language);
  const renew = fill(input.method === 'reassessment' ? m.renewReassessment : input.method === 'continuing-development' ? m.renewDevelopment : m.renewAsk, { organisation });
  const contact = email ? fill(messages.award.contact, { organisation, email }) : fill(messages.award.contactNoEmail, { organisation });

  const body = html`<h1 style="${H1}">${m.heading}</h1>
<p>${greeting(input.language, learner)}</p>
<p>${fill(m.intro, { badge, organisation, date })}</p>
<h2 style="${H2}">${m.renewHeading}</h2>
<p>${renew}</p>
<p>${email ? fillHtml(messages.award.contact, { organisation, email: html`<a href="mailto:${email}" style="${LINK}">${email}</a>` }) : contact}</p>
${buttonLink(link, m.button)}
<p>${fill(m.after, { date })}</p>
${fallback(input.language, link)}`;

  const text = [greeting(input.language, learner), '', m.heading, '', fill(m.intro, { badge, organisation, date }), '', m.renewHeading, renew, contact, '', m.button, link, '', fill(m.after, { date })];
  const subject = fill(m.subject, { badge, date });
  return { subject, text: lines(text), html: layout(input.language, subject, body), attachments: [], ...(email ? { replyTo: email } : {}) };
}

export interface ExpiryNoticeMailInput {
  language: Language;
  organisation: string;
  items: Array<{ badge: string; name: string | null; validUntil: Date; url: string }>;
  consoleUrl: string;
}

/** The organisation's list of its badges that expire soon. */
export function composeExpiryNotice(input: ExpiryNoticeMailInput): ComposedMail {
  const m = MAIL_MESSAGES[input.language].expiryNotice;
  const link = httpUrl(input.consoleUrl, 'consoleUrl');
  const organisation = oneLine(input.organisation);
  const items = input.items.map((item) => ({
    url: httpUrl(item.url, 'items.url'),
    line: item.name
      ? fill(m.item, { badge: oneLine(item.badge), name: oneLine(item.name), date: formatDay(item.validUntil, input.language) })
      : fill(m.itemNoName, { badge: oneLine(item.badge), date: formatDay(item.validUntil, input.language) }),
  }));
  const body = html`<h1 style="${H1}">${m.heading}</h1>
<p>${greeting(input.language)}</p>
<p>${fill(m.intro, { organisation })}</p>
<ul>${items.map((item) => html`<li><a href="${item.url}" style="${LINK}">${item.line}</a></li>`)}</ul>
<p>${m.renew}</p>
${buttonLink(link, m.button)}
${fallback(input.language, link)}`;
  const text = [greeting(input.language), '', m.heading, '', fill(m.intro, { organisation }), '', ...items.map((item) => `- ${item.line}\n  ${item.url}`), '', m.renew, '', m.button, link];
  const subject = fill(m.subject, { count: String(items.length) });
  return { subject, text: lines(text), html: layout(input.language, subject, body), attachments: [] };
}

/** A day, as the pages write it. */
const formatDay = (date: Date, language: Language): string => formatDate(date, language) ?? date.toISOString().slice(0, 10);

// Colours pass WCAG 2.2 AA with room to spare: body text 15:1, the button and links 8:1, the small print 7:1 on white.
const TEXT = '#1f2933';
const BLUE = '#0b4f8a';
const H1 = 'font-size:25px;line-height:1.3;margin:0 0 16px;';
const H2 = 'font-size:20px;line-height:1.3;margin:28px 0 8px;';
const LINK = `color:${BLUE};text-decoration:underline;`;

/** Webmail keeps only the body's content: the wrapper repeats `lang` and names the message for screen readers. */
function layout(language: Language, title: string, body: SafeHtml): string {
  return html`<!DOCTYPE html>
<html lang="${language}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${title}</title>
</head>
<body style="margin:0;padding:0;background-color:#ffffff;">
<div role="article" aria-label="${title}" lang="${language}" style="max-width:600px;margin:0 auto;padding:24px 16px;font-family:Arial,Helvetica,sans-serif;font-size:17px;line-height:1.5;color:${TEXT};background-color:#ffffff;">
${body}
</div>
</body>
</html>
`.value;
}

/** A link styled as a button; its text says where it goes, so it reads well out of context. */
const buttonLink = (href: string, label: string): SafeHtml =>
  html`<p style="margin:24px 0;"><a href="${href}" style="display:inline-block;padding:12px 20px;border-radius:6px;background-color:${BLUE};color:#ffffff;font-weight:bold;text-decoration:none;">${label}</a></p>`;

/** The address in full, for mail programs that do not show the button. */
const fallback = (language: Language, href: string): SafeHtml =>
  html`<p style="margin-top:32px;font-size:15px;color:#4b5563;">${MAIL_MESSAGES[language].linkFallback}<br><span style="word-break:break-all;">${href}</span></p>`;

const greeting = (language: Language, name?: string): string =>
  name ? fill(MAIL_MESSAGES[language].greeting, { name }) : MAIL_MESSAGES[language].greetingNoName;

/** `fill` for HTML: the template's own text is escaped, and each value is rendered by `html`. */
function fillHtml(template: string, params: Record<string, HtmlValue>): SafeHtml {
  const parts = template.split(/\{(\w+)\}/g).map((part, i) => (i % 2 === 0 ? part : part in params ? params[part] : `{${part}}`));
  return html`${parts}`;
}

/** Names come from users: line breaks and control characters could forge lines of the text part. */
const oneLine = (value: string): string => value.replace(/[\s\p{Cc}]+/gu, ' ').trim();

const lines = (text: string[]): string => `${text.join('\n')}\n`;

function httpUrl(value: string, field: string): string {
  const url = safeUrl(value);
  if (!url) throw new TypeError(`"${field}" must be an http(s) URL`);
  return url;
}

function address(value: string, field: string): string {
  if (!emailAddress.safeParse(value).success) throw new TypeError(`"${field}" must be an e-mail address`);
  return value;
}
