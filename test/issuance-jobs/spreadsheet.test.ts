import { problemMessage, readSheet, SheetError } from '../../src/issuance-jobs/spreadsheet.js';

const read = (text: string, defaultLanguage?: string) => readSheet(text, { badgeClass: 'b', orgId: 'org-1', ...(defaultLanguage ? { defaultLanguage } : {}) });

describe('reading a spreadsheet of learners', () => {
  it('reads columns named as coordinators name them, in any of the seven languages, with , or ; and a BOM', () => {
    const sheet = read('\uFEFFNome e cognome;Indirizzo e-mail;Lingua;Data fine;Risultato;Colonna libera\nMaria Rossi;maria@example.org;Italiano;31/12/2026;Ottimo;x\n');
    expect(sheet.columns).toEqual(['name', 'email', 'language', 'activityEndDate', 'result']);
    expect(sheet.ignored).toEqual(['Colonna libera']);
    expect(sheet.rows).toEqual([
      {
        number: 2,
        problems: [],
        key: expect.stringMatching(/^sheet:[\w-]{43}$/),
        award: {
          badgeClass: 'b',
          recipient: { email: 'maria@example.org', name: 'Maria Rossi' },
          language: 'it',
          activityEndDate: '2026-12-31T23:59:59Z',
          results: [{ value: 'Ottimo' }],
        },
      },
    ]);
    const english = read('E-mail,Name,Language,Start date,Evidence URL\nion@example.org,Ion Popescu,ro-RO,2026-09-01,https://lms.example.org/p/1\n');
    expect(english.rows[0]!.award).toEqual({
      badgeClass: 'b',
      recipient: { email: 'ion@example.org', name: 'Ion Popescu' },
      language: 'ro',
      activityStartDate: '2026-09-01T00:00:00Z',
      evidence: [{ id: 'https://lms.example.org/p/1' }],
    });
  });

  it('says what is wrong with each row, by column and stable code, never echoing the cell', () => {
    const sheet = read(
      [
        'email,name,language,start date,end date,evidence url',
        'not-an-address,A,en,,,',
        ',B,en,,,',
        'c@example.org,C,klingon,,,',
        'd@example.org,D,en,2026-13-45,,',
        'e@example.org,E,en,2026-10-01,2026-09-01,',
        'f@example.org,F,en,,,lms.example.org/no-scheme',
        'g@example.org,G,Lietuvių,,,',
        'g@example.org,G,lt,,,',
      ].join('\n'),
    );
    expect(sheet.rows.map((r) => [r.number, r.problems.map((p) => `${p.column}:${p.code}`)])).toEqual([
      [2, ['email:invalid_email']],
      [3, ['email:required']],
      [4, ['language:unknown_language']],
      [5, ['activityStartDate:invalid_date']],
      [6, ['activityEndDate:end_before_start']],
      [7, ['evidenceUrl:invalid_url']],
      [8, []],
      [9, ['row:duplicate_row']],
    ]);
    expect(problemMessage(sheet.rows[7]!.problems[0]!)).toBe('the same learner and award as row 8');
    expect(problemMessage(sheet.rows[0]!.problems[0]!)).toBe('"email" is not an e-mail address');
    expect(JSON.stringify(sheet.rows[0]!.problems)).not.toContain('not-an-address');
  });

  it('gives the same row the same key in any upload, and another row another key', () => {
    const a = read('email,name\na@example.org,Ana\nb@example.org,Bo\n');
    const again = read('name;email\r\nAna;a@example.org\r\n');
    expect(again.rows[0]!.key).toBe(a.rows[0]!.key);
    expect(a.rows[1]!.key).not.toBe(a.rows[0]!.key);
    expect(readSheet('email\na@example.org\n', { badgeClass: 'b', orgId: 'org-2' }).rows[0]!.key).not.toBe(read('email\na@example.org\n').rows[0]!.key);
  });

  it('refuses a file that is not a sheet of learners, in plain words', () => {
    expect(() => read('')).toThrow(SheetError);
    expect(() => read('name,surname\nA,B\n')).toThrow(/no column holds the e-mail address/);
    expect(() => read('email\n"unterminated\n')).toThrow(/not a readable CSV/);
    expect(() => read(`email\n${'a@example.org\n'.repeat(5001)}`)).toThrow(/more than 5000 rows/);
  });
});

describe('the column names the console shows', () => {
  it('are read in every language, so a coordinator who names columns as the console does is understood', async () => {
    const { CONSOLE_MESSAGES } = await import('../../src/pages/console/i18n.js');
    for (const [lang, t] of Object.entries(CONSOLE_MESSAGES)) {
      const header = [t.colEmail, t.colName, t.colLanguage, t.colEvidenceUrl, t.colEvidenceName, t.colNarrative, t.colResult, t.colStart, t.colEnd, t.colValidUntil].map((h) => `"${h}"`).join(',');
      const sheet = readSheet(`${header}\na@example.org,A,en,https://example.org/p,P,N,R,2026-01-01,2026-02-01,2030-01-01\n`, { badgeClass: 'b', orgId: 'o' });
      expect({ lang, ignored: sheet.ignored, columns: sheet.columns.length }).toEqual({ lang, ignored: [], columns: 10 });
    }
  });
});
