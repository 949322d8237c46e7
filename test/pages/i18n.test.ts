import { describe, expect, it } from '@jest/globals';
import { SUPPORTED_LANGUAGES } from '../../src/badge-classes/schema.js';
import { CHECK_IDS } from '../../src/verify/report.js';
import { MESSAGES, achievementTypeLabel, fill, fillHtml, formatDate, negotiateLanguage } from '../../src/pages/i18n.js';

/** Every string leaf of a messages object, keyed by its dotted path. */
function leaves(value: unknown, path = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof value === 'string') out.set(path, value);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) for (const [p, s] of leaves(v, path ? `${path}.${k}` : k)) out.set(p, s);
  }
  return out;
}
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('MESSAGES', () => {
  const english = leaves(MESSAGES.en);

  it.each(SUPPORTED_LANGUAGES)('%s has every English key, each non-empty, with the same placeholders', (lang) => {
    const strings = leaves(MESSAGES[lang]);
    expect([...strings.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [key, text] of strings) {
      expect({ key, empty: text.trim() === '' }).toEqual({ key, empty: false });
      expect({ key, placeholders: placeholders(text) }).toEqual({ key, placeholders: placeholders(english.get(key) ?? '') });
    }
  });

  it.each(SUPPORTED_LANGUAGES.filter((l) => l !== 'en'))('%s is really translated, not copied from English', (lang) => {
    const strings = leaves(MESSAGES[lang]);
    const same = [...strings].filter(([key, text]) => english.get(key) === text).map(([key]) => key);
    // A handful may coincide ("Badge", "Code", "Type"); most must not.
    expect(same.length).toBeLessThan(english.size * 0.1);
  });

  it('has a plain-language text for every check id and status', () => {
    for (const lang of SUPPORTED_LANGUAGES) {
      for (const id of CHECK_IDS) {
        const texts = MESSAGES[lang].checks[id];
        expect(Object.keys(texts).sort()).toEqual(['failed', 'label', 'passed', 'skipped', 'unconfirmed', 'warning']);
      }
    }
    expect(MESSAGES.en.checks.proof.passed).toBe('The signature is intact: the badge has not been changed');
    expect(MESSAGES.en.checks.status.failed).toBe('Revoked');
    expect(MESSAGES.en.checks.issuer_key.warning).toBe("The issuer's key could not be confirmed");
  });
});

describe('negotiateLanguage', () => {
  it('prefers a supported ?lang= over Accept-Language', () => {
    expect(negotiateLanguage({ lang: 'it' }, 'de-DE,de;q=0.9')).toBe('it');
    expect(negotiateLanguage('ro', 'de')).toBe('ro');
    expect(negotiateLanguage({ lang: ['lt', 'fr'] }, undefined)).toBe('lt');
    expect(negotiateLanguage({ lang: 'FR-be' }, undefined)).toBe('fr');
  });

  it('ignores an unsupported or malformed ?lang=', () => {
    expect(negotiateLanguage({ lang: 'pl' }, 'es')).toBe('es');
    expect(negotiateLanguage({ lang: { evil: 1 } }, 'es')).toBe('es');
    expect(negotiateLanguage(undefined, 'es')).toBe('es');
  });

  it('picks the supported language with the highest q-value by primary subtag', () => {
    expect(negotiateLanguage({}, 'pl-PL,pl;q=0.9,de-AT;q=0.8,en;q=0.7')).toBe('de');
    expect(negotiateLanguage({}, 'en;q=0.5, fr;q=0.9')).toBe('fr');
    expect(negotiateLanguage({}, 'lt;q=0.3, ro')).toBe('ro');
    expect(negotiateLanguage({}, 'es;q=0.8, it;q=0.8')).toBe('es');
  });

  it('treats q=0 as "not acceptable" and falls back to English', () => {
    expect(negotiateLanguage({}, 'it;q=0, pl')).toBe('en');
    expect(negotiateLanguage({}, '*')).toBe('en');
    expect(negotiateLanguage({}, 'garbage;;;q=abc')).toBe('en');
    expect(negotiateLanguage({}, undefined)).toBe('en');
  });
});

describe('formatDate', () => {
  it('shows the UTC date only, in the page language', () => {
    expect(formatDate('2026-11-23T23:30:00Z', 'en')).toBe('23 November 2026');
    expect(formatDate('2026-11-23T23:30:00-05:00', 'en')).toBe('24 November 2026');
    expect(formatDate('2026-11-23T10:00:00Z', 'it')).toBe('23 novembre 2026');
    expect(formatDate('2026-11-23T10:00:00Z', 'de')).toBe('23. November 2026');
    expect(formatDate('2026-11-23T10:00:00Z', 'lt')).toContain('lapkričio');
  });

  it('answers undefined for what is not a date', () => {
    expect(formatDate('not a date', 'en')).toBeUndefined();
    expect(formatDate(42, 'en')).toBeUndefined();
  });
});

describe('fill', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(fill('Revoked on {date}', { date: '1 May 2026' })).toBe('Revoked on 1 May 2026');
    expect(fill('{a} {b}', { a: 1 })).toBe('1 {b}');
  });

  it('escapes the template and the values of fillHtml', () => {
    expect(fillHtml('<b>{email}</b>', { email: '<i>x</i>' }).value).toBe('&lt;b&gt;&lt;i&gt;x&lt;/i&gt;&lt;/b&gt;');
  });
});

describe('achievementTypeLabel', () => {
  it('translates known types and spells out others', () => {
    expect(achievementTypeLabel(MESSAGES.it, 'Certificate')).toBe('Certificato');
    expect(achievementTypeLabel(MESSAGES.en, 'ApprenticeshipCertificate')).toBe('Apprenticeship Certificate');
    expect(achievementTypeLabel(MESSAGES.en, 'ext:CareSkill')).toBe('Care Skill');
  });
});
