import { SUPPORTED_LANGUAGES, type Language } from '../../src/badge-classes/schema.js';
import {
  CONSOLE_ROLES,
  composeAward,
  composeInvitation,
  composePasswordReset,
  MAIL_MESSAGES,
  type AwardMailInput,
  type ComposedMail,
} from '../../src/mail/compose.js';
import { testBadgePng } from './badge-png.js';

const PNG = testBadgePng();
const EXPIRES = new Date('2027-03-14T14:30:00Z');
const LINK = 'https://badges.example.org/console/invitations/accept?token=k3Y-9f';

const award = (overrides: Partial<AwardMailInput> = {}): ComposedMail =>
  composeAward({
    language: 'en',
    organisation: { name: 'Sunrise Home Care', email: 'training@sunrise.example.org' },
    badgeName: 'Safe moving and handling',
    learnerName: 'Maria Rossi',
    credentialUrl: 'https://badges.example.org/credentials/6f1c2d3e-0000-4000-8000-000000000001',
    badgePng: PNG,
    ...overrides,
  });

const everyMail = (language: Language): ComposedMail[] => [
  award({ language }),
  award({ language, learnerName: undefined, organisation: { name: 'Sunrise Home Care' } }),
  ...CONSOLE_ROLES.map((role) => composeInvitation({ language, organisation: 'Sunrise Home Care', role, link: LINK, expiresAt: EXPIRES })),
  composePasswordReset({ language, link: LINK, expiresAt: EXPIRES }),
];

/** What a reader of the HTML part sees: the text without tags, entities decoded, spaces collapsed. */
const visibleText = (markup: string): string =>
  markup
    .replace(/<title>[\s\S]*?<\/title>/, '')
    .replace(/<\/?(?:a|strong|span)\b[^>]*>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

/** Every `{placeholder}` of every text, by key path. */
const placeholders = (value: unknown, path = ''): Record<string, string[]> =>
  typeof value === 'string'
    ? { [path]: [...value.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort() }
    : Object.assign({}, ...Object.entries(value as object).map(([key, v]) => placeholders(v, path ? `${path}.${key}` : key)));

describe('the award message', () => {
  it('names the organisation, the badge and the learner, links to the credential page and attaches badge.png', () => {
    const mail = award();
    expect(mail.subject).toBe('Your badge from Sunrise Home Care: Safe moving and handling');
    for (const part of [mail.text, visibleText(mail.html)]) {
      expect(part).toContain('Hello Maria Rossi,');
      expect(part).toContain('Sunrise Home Care has given you this badge:');
      expect(part).toContain('Awarded to: Maria Rossi');
      expect(part).toContain('print it as a PDF certificate');
      expect(part).toContain('add it to your LinkedIn profile');
      expect(part).toContain('An Open Badge is a digital certificate.');
      expect(part).toContain('Write to Sunrise Home Care: training@sunrise.example.org');
    }
    expect(mail.text).toContain('Open your badge: Safe moving and handling\nhttps://badges.example.org/credentials/6f1c2d3e-0000-4000-8000-000000000001\n');
    expect(mail.html).toContain(
      '<a href="https://badges.example.org/credentials/6f1c2d3e-0000-4000-8000-000000000001" style="display:inline-block;padding:12px 20px;border-radius:6px;background-color:#0b4f8a;color:#ffffff;font-weight:bold;text-decoration:none;">Open your badge: Safe moving and handling</a>',
    );
    expect(mail.html).toContain('<a href="mailto:training@sunrise.example.org"');
    expect(mail.attachments).toEqual([{ filename: 'badge.png', content: PNG, contentType: 'image/png' }]);
    expect(mail.replyTo).toBe('training@sunrise.example.org');
  });

  it('greets without a name and points to the organisation when neither name nor e-mail is known', () => {
    const mail = award({ learnerName: undefined, organisation: { name: 'Sunrise Home Care' } });
    expect(mail.text.startsWith('Hello,\n')).toBe(true);
    expect(mail.text).not.toContain('Awarded to');
    expect(mail.text).toContain('Do you have a question? Please contact Sunrise Home Care.');
    expect(mail.html).not.toContain('mailto:');
    expect(mail.replyTo).toBeUndefined();
  });

  it('escapes names in the HTML part, and keeps them as written in the text part', () => {
    const mail = award({
      learnerName: '<script>alert("x")</script>',
      organisation: { name: 'Care & Co <b>', email: 'info@care.example.org' },
      badgeName: '"><img src=x onerror=alert(1)>',
    });
    expect(mail.html).not.toContain('<script');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).not.toContain('<b>');
    expect(mail.html).toContain('Hello &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;,');
    expect(mail.html).toContain('Care &amp; Co &lt;b&gt; has given you this badge:');
    expect(mail.html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(mail.text).toContain('Hello <script>alert("x")</script>,');
  });

  it('keeps a name with line breaks on one line, in the subject and the text part', () => {
    const mail = award({ organisation: { name: 'Sunrise\r\nBcc: someone@example.org' }, learnerName: 'Maria\n\nClick here: https://evil.example' });
    expect(mail.subject).toBe('Your badge from Sunrise Bcc: someone@example.org: Safe moving and handling');
    expect(mail.text).toContain('Hello Maria Click here: https://evil.example,');
  });

  it('refuses a credential link that is not http(s), and an organisation e-mail that is not an address', () => {
    expect(() => award({ credentialUrl: 'javascript:alert(1)' })).toThrow('"credentialUrl" must be an http(s) URL');
    expect(() => award({ organisation: { name: 'Sunrise', email: 'not-an-address' } })).toThrow('"organisation.email" must be an e-mail address');
  });

  it('is written in the language of the award', () => {
    const mail = award({ language: 'it', learnerName: 'Giulia Bianchi' });
    expect(mail.subject).toBe('Il tuo badge da Sunrise Home Care: Safe moving and handling');
    expect(mail.text).toContain('Ciao Giulia Bianchi,');
    expect(mail.text).toContain('stamparlo come attestato in PDF');
    expect(mail.html).toContain('<html lang="it" dir="ltr">');
  });
});

describe('the invitation', () => {
  it('names the organisation and the role with what it allows, gives the link and when it expires', () => {
    const mail = composeInvitation({ language: 'en', organisation: 'Sunrise Home Care', role: 'issuer', link: LINK, expiresAt: EXPIRES });
    expect(mail.subject).toBe('Invitation to join Sunrise Home Care');
    for (const part of [mail.text, visibleText(mail.html)]) {
      expect(part).toContain('Sunrise Home Care invites you to its badge website.');
      expect(part).toContain('Your role: Issuer. You give badges to learners.');
      expect(part).toContain('It expires on 14 March 2027 at 14:30 GMT.');
      expect(part).toContain(LINK);
    }
    expect(mail.html).toContain(`<a href="${LINK.replace(/&/g, '&amp;')}"`);
    expect(mail.attachments).toEqual([]);
  });

  it('translates the role and writes the expiry with Intl in the language, in its time zone', () => {
    const viewer = composeInvitation({ language: 'fr', organisation: 'Soins du Lac', role: 'viewer', link: LINK, expiresAt: EXPIRES });
    expect(viewer.text).toContain('Votre rôle : Lecteur. Vous pouvez voir les badges et les apprenants, mais vous ne pouvez rien modifier.');
    expect(viewer.text).toContain('Il expire le 14 mars 2027 à 15:30 UTC+1.');
    const owner = composeInvitation({ language: 'de', organisation: 'Pflege Nord', role: 'owner', link: LINK, expiresAt: EXPIRES });
    expect(owner.text).toContain('Ihre Rolle: Eigentümer/in.');
    expect(owner.text).toContain('Er ist gültig bis 14. März 2027 um 15:30 MEZ.');
    const vilnius = composeInvitation({ language: 'en', organisation: 'Globali Priežiūra', role: 'owner', link: LINK, expiresAt: EXPIRES, timeZone: 'Europe/Vilnius' });
    expect(vilnius.text).toContain('It expires on 14 March 2027 at 16:30 EET.');
  });
});

describe('the password reset', () => {
  it('gives the link, the site, the expiry and says to ignore it when not asked for', () => {
    const mail = composePasswordReset({ language: 'es', link: 'https://badges.example.org/console/reset?token=abc', expiresAt: EXPIRES });
    expect(mail.subject).toBe('Elija una contraseña nueva');
    for (const part of [mail.text, visibleText(mail.html)]) {
      expect(part).toContain('Alguien ha pedido cambiar la contraseña de su cuenta en badges.example.org.');
      expect(part).toContain('Caduca el 14 de marzo de 2027 a las 15:30 CET.');
      expect(part).toContain('¿No lo ha pedido usted? Entonces ignore este correo. Su contraseña seguirá siendo la misma.');
      expect(part).toContain('https://badges.example.org/console/reset?token=abc');
    }
  });
});

describe('every message in every language', () => {
  it('has the placeholders of the English text, key for key', () => {
    const reference = placeholders(MAIL_MESSAGES.en);
    for (const language of SUPPORTED_LANGUAGES) {
      const own = placeholders(MAIL_MESSAGES[language]);
      // Lithuanian greets without the name: it would need the vocative case (lt.ts).
      if (language === 'lt') expect(own['greeting']).toEqual([]);
      expect({ ...own, greeting: reference['greeting'] }).toEqual(reference);
    }
  });

  it.each(SUPPORTED_LANGUAGES.filter((l) => l !== 'en'))('is translated into %s', (language) => {
    const texts = (value: unknown): string[] => (typeof value === 'string' ? [value] : Object.values(value as object).flatMap(texts));
    const same = texts(MAIL_MESSAGES[language]).filter((text) => texts(MAIL_MESSAGES.en).includes(text));
    expect(texts(MAIL_MESSAGES[language]).length).toBe(texts(MAIL_MESSAGES.en).length);
    expect(same).toEqual([]);
  });

  it.each(SUPPORTED_LANGUAGES)('in %s: fills every placeholder, sets lang, loads nothing remote, and the text part says what the HTML says', (language) => {
    for (const mail of everyMail(language)) {
      for (const part of [mail.subject, mail.text, mail.html]) expect(part).not.toMatch(/\{\w+\}/);
      expect(mail.html).toContain(`<html lang="${language}" dir="ltr">`);
      expect(mail.html).not.toMatch(/<img|<link|<script|<iframe|src=|url\(|@import/i);
      const hrefs = [...mail.html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
      expect(hrefs.length).toBeGreaterThan(0);
      for (const href of hrefs) expect(href).toMatch(/^(https:\/\/badges\.example\.org\/|mailto:training@sunrise\.example\.org$)/);
      const seen = visibleText(mail.html);
      for (const line of mail.text.split('\n').filter((l) => l.trim() !== '')) {
        expect(seen).toContain(line.replace(/^- /, '').replace(/\s+/g, ' ').trim());
      }
    }
  });
});
