import { describe, expect, it } from '@jest/globals';
import { SUPPORTED_LANGUAGES } from '../../src/badge-classes/schema.js';
import { MESSAGES } from '../../src/pages/i18n.js';
import { renderVerifyPage } from '../../src/pages/verify-page.js';
import type { VerificationReport } from '../../src/verify/report.js';
import { parse } from './dom.js';
import { NOW, report } from './fixtures.js';
import { expectAccessibleAndSelfContained, urlsOf } from './page-checks.js';

const render = (model: Partial<Parameters<typeof renderVerifyPage>[0]> = {}, lang: (typeof SUPPORTED_LANGUAGES)[number] = 'en') => {
  const html = renderVerifyPage({ action: '/verify', now: NOW, ...model }, lang);
  return { html, page: parse(html) };
};

describe('verify page', () => {
  it('offers a multipart form with a file, a paste box and an optional e-mail, each labelled', () => {
    const { html, page } = render();
    expectAccessibleAndSelfContained(page, html);
    const form = page.all('form')[0];
    expect(form?.getAttribute('method')).toBe('post');
    expect(form?.getAttribute('enctype')).toBe('multipart/form-data');
    expect(form?.getAttribute('action')).toBe('/verify?lang=en');
    const file = page.byId('verify-file');
    expect(file?.getAttribute('type')).toBe('file');
    expect(file?.getAttribute('name')).toBe('file');
    expect(file?.getAttribute('accept')).toBe('.png,.svg,.json,.jwt,.jws,image/png,image/svg+xml,application/json');
    expect(page.byId('verify-credential')?.getAttribute('name')).toBe('credential');
    expect(page.byId('verify-email')?.getAttribute('type')).toBe('email');
    expect(page.byId('verify-email')?.hasAttribute('required')).toBe(false);
    const labels = page.all('label').map((l) => page.text(l));
    expect(labels).toEqual([
      'Badge image (PNG or SVG) or credential file',
      'Or paste the credential (JSON or JWT)',
      'E-mail address of the recipient (optional)',
    ]);
    expect(page.where((e) => e.getAttribute('role') === 'alert')).toHaveLength(0);
  });

  it('keeps the language in the form action and the switcher', () => {
    const { page } = render({ action: '/verify?lang=de' }, 'de');
    expect(page.all('form')[0]?.getAttribute('action')).toBe('/verify?lang=de');
    expect(page.root.getAttribute('lang')).toBe('de');
    expect(page.text(page.all('h1')[0])).toBe('Badge prüfen');
    expect(page.all('a').find((a) => a.getAttribute('aria-current') === 'true')?.getAttribute('href')).toBe('/verify?lang=de');
  });

  it('shows an input that could not be read in an alert, with the pasted text kept and escaped', () => {
    const pasted = '</textarea><script>alert(1)</script>';
    const { html, page } = render({ error: { code: 'malformed_json', message: 'the request body is not valid JSON' }, pasted });
    expectAccessibleAndSelfContained(page, html);
    const alerts = page.where((e) => e.getAttribute('role') === 'alert');
    expect(alerts).toHaveLength(1);
    expect(page.text(alerts[0])).toContain('The input could not be read');
    expect(page.text(alerts[0])).toContain('the request body is not valid JSON malformed_json');
    expect(html).not.toContain('<script>');
    expect(page.byId('verify-credential')?.textContent).toBe(pasted);
  });

  it('shows a verified report with a summary of the credential', () => {
    const { html, page } = render({ report: report() });
    expectAccessibleAndSelfContained(page, html);
    expect(page.text(page.byId('verdict-title'))).toBe('Verification: Verified');
    const text = page.text();
    expect(text).toContain('Badge Digital care records');
    expect(text).toContain('Issuer Care Skills Academy');
    expect(text).toContain('Recipient Maria Rossi');
    expect(text).toContain('Issued on 23 November 2025');
    // A credential from anywhere: nothing it names is loaded, and its links are not followed here.
    const { srcs } = urlsOf(page);
    expect(srcs).toEqual([]);
    expect(page.all('img')).toHaveLength(0);
  });

  it('says "Could not be verified" for a failed signature', () => {
    const { page } = render({ report: report({ proof: 'failed' }), email: 'someone@example.org' });
    expect(page.text(page.byId('verdict-title'))).toBe('Verification: Could not be verified');
    expect(page.text()).toContain('✗ Failed: The signature does not match: the badge was changed or not issued by this issuer');
    expect(page.byId('verify-email')?.getAttribute('value')).toBe('someone@example.org');
  });

  it('says when the recipient does not match', () => {
    const { page } = render({ report: report({ recipient: 'failed' }) });
    expect(page.text()).toContain('The signature is genuine, but: Not issued to the e-mail address given');
  });

  it('reads revocation details from the report when the issuer published them', () => {
    const revoked: VerificationReport = { ...report({ status: 'failed' }), status: { revoked: true, revokedAt: '2026-02-01T10:00:00Z', reason: 'Issued in error' } };
    const { page } = render({ report: revoked });
    expect(page.text(page.byId('verdict-title'))).toBe('Verification: Revoked on 1 February 2026');
    expect(page.text()).toContain('Reason: Issued in error');
    const undated = render({ report: report({ status: 'failed' }) }).page;
    expect(undated.text(undated.byId('verdict-title'))).toBe('Verification: Revoked');
    expect(undated.text()).not.toContain('Reason:');
  });

  it('shows a report without a credential (unreadable format) with no summary', () => {
    const bare: VerificationReport = {
      verdict: 'failed',
      verified: false,
      checks: [{ id: 'format', status: 'failed', code: 'not_a_credential', message: '"type" must include "VerifiableCredential"' }],
    };
    const { html, page } = render({ report: bare });
    expectAccessibleAndSelfContained(page, html);
    expect(page.text()).toContain('What is wrong: This is not a valid Open Badges 3.0 credential');
    expect(page.where((e) => (e.getAttribute('class') ?? '').includes('facts'))).toHaveLength(0);
  });

  it('escapes hostile text in an uploaded credential', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const credential = { issuer: { name: evil }, credentialSubject: { name: evil, achievement: { name: evil } }, validFrom: evil };
    const { html, page } = render({ report: { ...report({ proof: 'failed' }), credential, validity: { validFrom: evil } } });
    expectAccessibleAndSelfContained(page, html);
    expect(page.all('img')).toHaveLength(0);
    expect(page.text()).toContain(`Badge ${evil}`);
    expect(page.text()).not.toContain('Issued on');
  });

  it.each(SUPPORTED_LANGUAGES)('renders in %s with its own labels', (lang) => {
    const { html, page } = render({ report: report({ status: 'failed' }) }, lang);
    const t = MESSAGES[lang];
    expectAccessibleAndSelfContained(page, html);
    expect(page.root.getAttribute('lang')).toBe(lang);
    expect(page.all('label').map((l) => page.text(l))).toEqual([t.fileLabel, t.pasteLabel, t.emailOptionalLabel]);
    expect(page.text(page.all('button')[0])).toBe(t.verifyButton);
    expect(page.text()).toContain(t.checks.status.failed);
  });
});
