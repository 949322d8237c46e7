import { describe, expect, it } from '@jest/globals';
import { SUPPORTED_LANGUAGES } from '../../src/badge-classes/schema.js';
import { CONSOLE_MESSAGES } from '../../src/pages/console/i18n.js';
import { en } from '../../src/pages/console/messages/en.js';

/**
 * The console's strings in every language: the English keys, in the English order, none empty, the
 * same `{placeholders}` as English, and really translated (not a copy of English).
 */
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const strings = (messages: object): Array<[string, unknown]> => Object.entries(messages);

describe('CONSOLE_MESSAGES', () => {
  const english = new Map(strings(en));
  const others = SUPPORTED_LANGUAGES.filter((l) => l !== 'en');

  it('covers every supported language, and English is the reference', () => {
    expect(Object.keys(CONSOLE_MESSAGES).sort()).toEqual([...SUPPORTED_LANGUAGES].sort());
    expect(CONSOLE_MESSAGES.en).toBe(en);
    // The checks below compare against these; make sure they are what they claim.
    expect(english.size).toBeGreaterThan(100);
    expect(placeholders(en.invitationIntro)).toEqual(['organisation', 'role']);
    expect(placeholders('{b} and {a}, {a}')).toEqual(['a', 'a', 'b']);
  });

  it.each(SUPPORTED_LANGUAGES)('%s has exactly the English keys, in order, each a non-empty string with the same placeholders', (lang) => {
    const messages = strings(CONSOLE_MESSAGES[lang]);
    expect(messages.map(([key]) => key)).toEqual([...english.keys()]);
    for (const [key, text] of messages) {
      expect({ key, type: typeof text }).toEqual({ key, type: 'string' });
      expect({ key, empty: String(text).trim() === '' }).toEqual({ key, empty: false });
      expect({ key, placeholders: placeholders(String(text)) }).toEqual({ key, placeholders: placeholders(String(english.get(key))) });
    }
  });

  it.each(others)('%s is really translated, not copied from English', (lang) => {
    const same = strings(CONSOLE_MESSAGES[lang])
      .filter(([key, text]) => english.get(key) === text)
      .map(([key]) => key);
    // A few may coincide ("Badge", "Code", "Version"); most must not.
    expect({ lang, same, share: same.length / english.size < 0.1 }).toEqual({ lang, same, share: true });
  });

  it('writes Romanian ș and ț with a comma below, not a cedilla', () => {
    const romanian = Object.values(CONSOLE_MESSAGES.ro).join(' ');
    expect(romanian).toMatch(/[șț]/);
    expect(romanian).not.toMatch(/[şţŞŢ]/);
  });

  it('writes Lithuanian with its own letters', () => {
    expect(Object.values(CONSOLE_MESSAGES.lt).join(' ')).toMatch(/[ąčęėįšųūž]/);
  });
});
