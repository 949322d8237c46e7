import { describe, expect, it } from '@jest/globals';
import { SUPPORTED_LANGUAGES } from '../../src/badge-classes/schema.js';
import { renderCredentialPage } from '../../src/pages/credential-page.js';
import { LANGUAGE_NAMES, MESSAGES, formatDate } from '../../src/pages/i18n.js';
import { CHECK_IDS } from '../../src/verify/report.js';
import { parse, tag, type Page } from './dom.js';
import { ALIGNMENTS, LINKEDIN_URL, PUBLIC_URL, URLS, credentialModel, report, sampleCredential } from './fixtures.js';
import { expectAccessibleAndSelfContained, urlsOf } from './page-checks.js';

const render = (...args: Parameters<typeof credentialModel>) => {
  const html = renderCredentialPage(credentialModel(...args), 'en');
  return { html, page: parse(html) };
};
const verdictOf = (page: Page) => page.text(page.byId('verdict-title')).replace(/^Verification: /, '');
const meta = (page: Page, key: string) =>
  page.all('meta').find((m) => m.getAttribute('property') === key || m.getAttribute('name') === key)?.getAttribute('content');

describe('credential page', () => {
  it('shows what the badge certifies', () => {
    const { html, page } = render();
    expectAccessibleAndSelfContained(page, html);
    expect(page.text(page.all('h1')[0])).toBe('Digital care records');
    const img = page.all('img');
    expect(img).toHaveLength(1);
    expect(img[0]?.getAttribute('src')).toBe(URLS.image);
    expect(img[0]?.getAttribute('alt')).toBe('Digital care records');
    const text = page.text();
    expect(text).toContain('Keeps accurate, private digital records');
    expect(text).toContain('Awarded to Maria Rossi');
    expect(text).toContain('Issued by Care Skills Academy');
    expect(text).toContain('Issued on 23 November 2025');
    expect(text).toContain('Valid until 23 November 2028');
    expect(text).toContain('Type Micro-credential');
    expect(text).toContain('Proficiency level Intermediate');
    expect(text).toContain('Assessed on 20 November 2025 by a registered nurse.');
    const issuerLinks = page.all('a').filter((a) => a.getAttribute('href') === 'https://care-academy.example.eu/');
    expect(issuerLinks.map((a) => page.text(a))).toContain('Care Skills Academy');
  });

  it('renders the criteria narrative as paragraphs and a list', () => {
    const { page } = render();
    const items = page.all('li').map((li) => page.text(li));
    expect(items).toContain('record a care visit in the digital care plan');
    expect(items).toContain('protect the personal data of the person cared for');
    expect(page.all('p').map((p) => page.text(p))).toContain(
      'The learner completed the 12-hour course and showed, in a supervised session, that they can:',
    );
  });

  it('lists the competences with framework, code and a link to each', () => {
    const { page } = render();
    const rows = page
      .all('tr')
      .map((tr) => Array.from(tr.childNodes).filter((n) => n.nodeType === 1).map((c) => page.text(c)))
      .filter((cells) => cells[0] === 'DigComp 2.2' || cells[0] === 'ESCO');
    expect(rows).toEqual([
      ['DigComp 2.2', '2.1', 'Interacting through digital technologies'],
      ['DigComp 2.2', '4.2', 'Protecting personal data and privacy'],
      ['ESCO', '', 'maintain records of care provided'],
    ]);
    for (const a of ALIGNMENTS) {
      const link = page.all('a').find((l) => page.text(l) === a.targetName);
      expect(link?.getAttribute('href')).toBe(new URL(a.targetUrl).href);
    }
  });

  it('shows evidence, linking only http(s) ids, and numbers untitled evidence', () => {
    const { page } = render();
    const text = page.text();
    expect(text).toContain('Supervised practice session');
    expect(text).toContain('Observation record signed by the assessor.');
    expect(text).toContain('Evidence 2');
    expect(text).toContain('Final quiz: 18 of 20 correct.');
    const link = page.all('a').find((a) => a.getAttribute('href') === 'https://care-academy.example.eu/portfolio/4711');
    expect(page.text(link)).toBe('View evidence: Supervised practice session');
  });

  it('says "Does not expire" when there is no validUntil', () => {
    const credential = sampleCredential();
    delete credential.validUntil;
    const { page } = render({ credential });
    expect(page.text()).toContain('Valid until Does not expire');
  });

  it('offers downloads with file names, LinkedIn and the verifier', () => {
    const { page } = render();
    const downloads = page.where((e) => e.hasAttribute('download')).map((a) => [a.getAttribute('href'), a.getAttribute('download')]);
    expect(downloads).toEqual([
      [URLS.png, 'digital-care-records.png'],
      [URLS.svg, 'digital-care-records.svg'],
      [URLS.certificate, 'digital-care-records.pdf'],
      [URLS.json, 'digital-care-records.json'],
      [URLS.jwt, 'digital-care-records.jwt'],
    ]);
    expect(page.all('a').find((a) => page.text(a) === 'Add to LinkedIn profile')?.getAttribute('href')).toBe(LINKEDIN_URL);
    expect(page.all('a').find((a) => page.text(a) === 'Verify another badge')?.getAttribute('href')).toBe(URLS.verify);
  });

  it('offers the printable certificate in the page language, and not once the badge is revoked', () => {
    const italian = parse(renderCredentialPage(credentialModel(), 'it'));
    const link = italian.all('a').find((a) => a.getAttribute('href') === URLS.certificate);
    expect(italian.text(link)).toBe('Attestato (PDF)');
    expect(link?.getAttribute('type')).toBe('application/pdf');
    const { page } = render({ revocation: { revokedAt: '2026-03-01T10:00:00Z' } });
    expect(page.all('a').filter((a) => a.getAttribute('href') === URLS.certificate)).toEqual([]);
    expect(page.all('a').find((a) => a.getAttribute('href') === URLS.png)).toBeDefined();
  });

  it('carries Open Graph and Twitter metadata', () => {
    const { page } = render();
    expect(meta(page, 'og:type')).toBe('website');
    expect(meta(page, 'og:title')).toBe('Digital care records');
    expect(meta(page, 'og:description')).toBe('Keeps accurate, private digital records of the care given to older people at home.');
    expect(meta(page, 'og:image')).toBe(URLS.png);
    expect(meta(page, 'og:url')).toBe(URLS.page);
    expect(meta(page, 'twitter:card')).toBe('summary');
    expect(meta(page, 'twitter:image')).toBe(URLS.png);
    expect(page.all('link').find((l) => l.getAttribute('rel') === 'canonical')?.getAttribute('href')).toBe(URLS.page);
    expect(page.text(page.all('title')[0])).toBe('Digital care records – Care Skills Academy');
  });

  it('points only at our own origin, except the links the credential and the model name', () => {
    const { page } = render();
    const { hrefs, srcs, actions, meta: metaUrls } = urlsOf(page);
    const ours = (u: string) => u.startsWith('#') || u.startsWith('?') || new URL(u, PUBLIC_URL).origin === PUBLIC_URL;
    const allowedExternal = new Set([
      ...ALIGNMENTS.map((a) => new URL(a.targetUrl).href),
      'https://care-academy.example.eu/',
      'https://care-academy.example.eu/portfolio/4711',
      LINKEDIN_URL,
    ]);
    expect(hrefs.filter((u) => !ours(u) && !allowedExternal.has(u))).toEqual([]);
    expect(srcs.filter((u) => !ours(u))).toEqual([]);
    expect(actions.filter((u) => !ours(u))).toEqual([]);
    expect(metaUrls.filter((u) => !ours(u))).toEqual([]);
  });

  describe('verification panel', () => {
    it('says "Verified" and lists the four checks an employer cares about', () => {
      const { page } = render();
      expect(verdictOf(page)).toBe('Verified');
      const summary = page.all('ul').find((u) => u.getAttribute('aria-labelledby') === 'checks-title');
      expect(Array.from(summary!.childNodes).filter((n) => n.nodeType === 1).map((li) => page.text(li))).toEqual([
        '✓ Passed: The signature is intact: the badge has not been changed',
        '✓ Passed: The signing key belongs to the issuer',
        '✓ Passed: Not revoked',
        '✓ Passed: Not expired',
      ]);
      // Marks are text, not only colour.
      expect(page.where((e) => e.getAttribute('class') === 'check__mark').map((e) => page.text(e))).toContain('✓');
    });

    it('lists every check in the details table with its English message', () => {
      const { page } = render();
      const table = page.all('details')[0];
      expect(table).toBeDefined();
      const tableText = page.text(table);
      for (const id of CHECK_IDS) expect(tableText).toContain(MESSAGES.en.checks[id].label);
      const details = page.where((e) => e.getAttribute('class') === 'check__detail');
      expect(details).toHaveLength(CHECK_IDS.length);
      expect(details.every((d) => d.getAttribute('lang') === 'en')).toBe(true);
      expect(details.map((d) => page.text(d))).toContain('eddsa-rdfc-2022 proof verified');
    });

    it('keeps "Verified" with a warning mark when the issuer key could not be confirmed', () => {
      const { page } = render({ report: report({ issuer_key: 'warning' }) });
      expect(verdictOf(page)).toBe('Verified');
      expect(page.text()).toContain("Warning: The issuer's key could not be confirmed");
      expect(page.text()).toContain('Please read the notes below.');
    });

    it('shows the revocation date and the published reason', () => {
      const { page } = render({ report: report({ status: 'failed' }), revocation: { revokedAt: '2026-02-01T10:00:00Z', reason: 'Issued in error' } });
      expect(verdictOf(page)).toBe('Revoked on 1 February 2026');
      expect(page.text()).toContain('Reason: Issued in error');
      expect(page.text()).toContain('Failed: Revoked');
      expect(page.where((e) => (e.getAttribute('class') ?? '').includes('verdict--bad'))).toHaveLength(1);
    });

    it('shows no reason when none was published', () => {
      const { page } = render({ report: report({ status: 'failed' }), revocation: { revokedAt: '2026-02-01T10:00:00Z' } });
      expect(verdictOf(page)).toBe('Revoked on 1 February 2026');
      expect(page.text()).not.toContain('Reason:');
    });

    it('says "Suspended since" a suspended badge, with no reason, no certificate and no LinkedIn link, in every language', () => {
      const suspended = { report: report({ status: 'failed' }, undefined, { status: 'suspended' }), suspension: { suspendedAt: '2026-02-01T10:00:00Z' } };
      const { page } = render(suspended);
      expect(verdictOf(page)).toBe('Suspended since 1 February 2026');
      expect(page.text()).toContain('The issuer has suspended this badge. It is not valid while it is suspended.');
      expect(page.text()).toContain('Failed: Suspended');
      expect(page.text()).not.toContain('Failed: Revoked');
      expect(page.where((e) => (e.getAttribute('class') ?? '').includes('verdict--bad'))).toHaveLength(1);
      expect(page.all('a').filter((a) => a.getAttribute('href') === URLS.certificate || a.getAttribute('href') === LINKEDIN_URL)).toEqual([]);
      expect(page.all('a').find((a) => a.getAttribute('href') === URLS.png)).toBeDefined();
      for (const lang of SUPPORTED_LANGUAGES) {
        const translated = parse(renderCredentialPage(credentialModel(suspended), lang));
        const date = formatDate('2026-02-01T10:00:00Z', lang)!;
        expect(translated.text(translated.byId('verdict-title'))).toContain(date);
        expect(translated.text(translated.byId('verdict-title'))).toContain(MESSAGES[lang].verdictSuspendedOn.replace(' {date}', '').replace('{date}', ''));
      }
    });

    it('shows the expiry date of an expired badge', () => {
      const credential = { ...sampleCredential(), validFrom: '2023-01-01T00:00:00Z', validUntil: '2026-01-01T00:00:00Z' };
      const { page } = render({ credential, report: report({ validity_period: 'failed' }, credential) });
      expect(verdictOf(page)).toBe('Expired on 1 January 2026');
      expect(page.text()).toContain('Failed: Expired or not yet valid');
    });

    it('tells a badge that is not valid yet from an expired one', () => {
      const credential = { ...sampleCredential(), validFrom: '2026-06-01T00:00:00Z' };
      const { page } = render({ credential, report: report({ validity_period: 'failed' }, credential, { validity_period: 'not_yet_valid' }) });
      expect(verdictOf(page)).toBe('Not valid until 1 June 2026');
    });

    it('says "Could not be verified" and why when the signature fails, even if it is also revoked', () => {
      const { page } = render({ report: report({ proof: 'failed', status: 'failed' }), revocation: { revokedAt: '2026-02-01T10:00:00Z' } });
      expect(verdictOf(page)).toBe('Could not be verified');
      expect(page.text()).toContain(
        'What is wrong: The signature does not match: the badge was changed or not issued by this issuer',
      );
      expect(page.text()).not.toContain('Revoked on');
    });
  });

  describe('recipient check', () => {
    it('offers a POST form (the address never goes into a URL), keeping the language', () => {
      const html = renderCredentialPage(credentialModel(), 'fr');
      const page = parse(html);
      const form = page.all('form')[0];
      expect(form?.getAttribute('method')).toBe('post');
      expect(form?.getAttribute('action')).toBe(`${URLS.page}/recipient-check`);
      const inputs = page.all('input');
      expect(inputs.find((i) => i.getAttribute('name') === 'email')?.getAttribute('type')).toBe('email');
      expect(inputs.find((i) => i.getAttribute('name') === 'lang')?.getAttribute('value')).toBe('fr');
    });

    it('confirms a matching e-mail and denies another, escaping it', () => {
      const matched = render({ recipientCheck: { email: 'maria@example.org', matched: true } }).page;
      expect(matched.text()).toContain('This badge was issued to maria@example.org');
      const hostile = '"><script>alert(1)</script>@x.org';
      const { html, page } = render({ recipientCheck: { email: hostile, matched: false } });
      expect(page.text()).toContain(`This badge was not issued to ${hostile}`);
      expect(html).not.toContain('<script>');
      const status = page.where((e) => e.getAttribute('role') === 'status');
      expect(status.map((s) => page.text(s))).toEqual([`✗ This badge was not issued to ${hostile}`]);
      expect(page.all('input').find((i) => i.getAttribute('name') === 'email')?.getAttribute('value')).toBe(hostile);
    });

    it('leaves the form out when the credential names no e-mail identity', () => {
      const credential = sampleCredential();
      delete (credential.credentialSubject as Record<string, unknown>).identifier;
      const { page } = render({ credential });
      expect(page.all('form')).toHaveLength(0);
    });
  });

  it('renders hostile credential text as text and drops non-http links', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const credential = sampleCredential();
    const subject = credential.credentialSubject as Record<string, Record<string, unknown>>;
    credential.issuer = { id: 'did:web:x', name: `${evil} Ltd`, url: 'javascript:alert(1)' };
    subject.name = evil as unknown as Record<string, unknown>;
    subject.achievement!.name = evil;
    subject.achievement!.description = `<script>alert(1)</script>`;
    subject.achievement!.criteria = { narrative: `- ${evil}\n\n<b onclick="x()">bold</b>` };
    subject.achievement!.alignment = [{ targetFramework: evil, targetCode: '"><i>', targetName: 'x', targetUrl: 'javascript:alert(1)' }];
    credential.evidence = [{ id: 'data:text/html,<script>alert(1)</script>', name: evil }];
    const html = renderCredentialPage(credentialModel({ credential, report: report({}, credential) }), 'en');
    const page = parse(html);

    expectAccessibleAndSelfContained(page, html);
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b onclick');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page.all('img')).toHaveLength(1);
    expect(page.all('b')).toHaveLength(0);
    expect(page.text(page.all('h1')[0])).toBe(evil);
    expect(page.all('img')[0]?.getAttribute('alt')).toBe(evil);
    expect(meta(page, 'og:title')).toBe(evil);
    const { hrefs } = urlsOf(page);
    expect(hrefs.filter((h) => /^(javascript|data):/i.test(h))).toEqual([]);
    expect(page.text()).toContain(`Awarded to ${evil}`);
  });

  describe.each(SUPPORTED_LANGUAGES)('in %s', (lang) => {
    it('uses its own strings, date format and switcher state', () => {
      const html = renderCredentialPage(credentialModel(), lang);
      const page = parse(html);
      const t = MESSAGES[lang];
      expectAccessibleAndSelfContained(page, html);
      expect(page.root.getAttribute('lang')).toBe(lang);
      expect(page.all('h2').map((h) => page.text(h))).toEqual(
        expect.arrayContaining([t.competencesHeading, t.evidenceHeading, t.checkRecipientHeading, t.downloadHeading]),
      );
      expect(page.text()).toContain(formatDate('2025-11-23T09:30:00Z', lang));
      expect(page.text()).toContain(t.checks.proof.passed);
      expect(page.all('label').map((l) => page.text(l))).toContain(t.emailLabel);
      const current = page.all('a').find((a) => a.getAttribute('aria-current') === 'true');
      expect(page.text(current)).toBe(LANGUAGE_NAMES[lang]);
      expect(current?.getAttribute('href')).toBe(`${URLS.page}?lang=${lang}`);
      // Texts from the credential are marked as English for screen readers.
      expect(page.all('h1')[0]?.getAttribute('lang')).toBe('en');
    });
  });

  it('is in Italian on the Italian page', () => {
    const page = parse(renderCredentialPage(credentialModel(), 'it'));
    expect(page.root.getAttribute('lang')).toBe('it');
    expect(page.all('h2').map((h) => page.text(h))).toContain('Competenze');
    expect(verdictOf(page)).toBe('Verifica: Verificato');
    expect(page.text()).toContain('Data di rilascio 23 novembre 2025');
    expect(page.where((e) => tag(e) === 'th').map((th) => page.text(th))).toEqual(
      expect.arrayContaining(['Quadro di riferimento', 'Codice', 'Competenza']),
    );
  });

  describe('in the reader\'s language, when the badge class has it', () => {
    const translation = {
      language: 'it' as const,
      name: 'Cartelle assistenziali digitali',
      description: 'Tiene cartelle digitali accurate e riservate.',
      criteria: 'Ha completato il corso di 12 ore.',
      level: 'Intermedio',
      competences: [{ targetUrl: ALIGNMENTS[0].targetUrl, targetCode: '2.1', name: 'Interagire attraverso le tecnologie digitali' }],
    };
    const italian = () => {
      const html = renderCredentialPage(credentialModel({ translation }), 'it');
      return { html, page: parse(html) };
    };

    it('shows the badge class\'s texts in the reader\'s language, each marked with its language', () => {
      const { html, page } = italian();
      expectAccessibleAndSelfContained(page, html);
      const h1 = page.all('h1')[0];
      expect([page.text(h1), h1?.getAttribute('lang')]).toEqual(['Cartelle assistenziali digitali', 'it']);
      const description = page.where((e) => tag(e) === 'div' && page.text(e) === 'Tiene cartelle digitali accurate e riservate.');
      expect(description.map((d) => d.getAttribute('lang'))).toEqual(['it']);
      expect(page.text()).toContain('Ha completato il corso di 12 ore.');
      const level = page.where((e) => tag(e) === 'dd' && page.text(e) === 'Intermedio');
      expect(level.map((d) => d.getAttribute('lang'))).toEqual(['it']);
    });

    it('keeps a competence the class has no translation for as signed, marked as the signed language', () => {
      const { page } = italian();
      const cells = page.where((e) => tag(e) === 'td' && e.getAttribute('data-label') === 'Competenza');
      expect(cells.map((c) => [page.text(c), c.getAttribute('lang')])).toEqual([
        ['Interagire attraverso le tecnologie digitali', 'it'],
        ['Protecting personal data and privacy', 'en'],
        ['maintain records of care provided', 'en'],
      ]);
    });

    it('says which text is the signed one, and shows it in its language', () => {
      const { page } = italian();
      expect(page.text()).toContain('Questo badge è stato rilasciato in inglese.');
      const details = page.where((e) => tag(e) === 'details' && e.getAttribute('class') === 'signed-text');
      expect(details).toHaveLength(1);
      expect(page.text(page.all('summary')[0])).toBe('Il testo firmato (inglese)');
      // The page's own words inside it are marked as the page's language.
      expect(page.where((e) => tag(e) === 'strong' && page.text(e) === MESSAGES.it.criteriaHeading).map((e) => e.getAttribute('lang'))).toEqual(['it']);
      const signed = page.where((e) => tag(e) === 'div' && e.getAttribute('lang') === 'en' && page.text(e).startsWith('Digital care records'));
      expect(signed).toHaveLength(1);
      expect(page.text(signed[0])).toContain('Keeps accurate, private digital records');
      expect(page.text(signed[0])).toContain('record a care visit in the digital care plan');
    });

    it('shows the signed texts as before when the page is in the signed language or the translation is in another one', () => {
      for (const [lang, t] of [['en', translation], ['de', translation]] as const) {
        const page = parse(renderCredentialPage(credentialModel({ translation: t }), lang));
        expect([lang, page.text(page.all('h1')[0]), page.all('h1')[0]?.getAttribute('lang'), page.where((e) => e.getAttribute('class') === 'signed-text').length]).toEqual([lang, 'Digital care records', 'en', 0]);
      }
    });

    it.each(SUPPORTED_LANGUAGES.filter((l) => l !== 'en'))('names the signed language in %s', (lang) => {
      const page = parse(renderCredentialPage(credentialModel({ translation: { ...translation, language: lang } }), lang));
      const english = new Intl.DisplayNames([lang], { type: 'language' }).of('en')!;
      expect(page.text(page.all('summary')[0])).toBe(MESSAGES[lang].signedTextSummary.replace('{language}', english));
      expect(page.text()).toContain(MESSAGES[lang].translatedNotice.replaceAll('{language}', english));
    });
  });
});
