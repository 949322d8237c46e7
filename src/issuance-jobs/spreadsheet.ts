import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { awardRequestSchema, type AwardRequest } from '../credentials/award-request.js';
import { stableStringify } from '../credentials/stable-json.js';

/**
 * A spreadsheet of learners (CSV: one row per learner) read into awards of one badge class, every
 * row checked before anything is signed. Column names are matched loosely (case, spaces, accents,
 * and the names coordinators use in the seven languages), so a sheet made by hand or exported from a
 * learning platform is read as it is.
 */
export const MAX_ROWS = 5_000;
export const MAX_BYTES = 5 * 1024 * 1024;

export type Column = 'email' | 'name' | 'language' | 'evidenceUrl' | 'evidenceName' | 'narrative' | 'result' | 'activityStartDate' | 'activityEndDate' | 'validUntil';

const NAMES: Record<Column, string[]> = {
  email: ['email', 'e-mail', 'mail', 'email address', 'indirizzo email', 'el. paštas', 'el pastas', 'adresa de email', 'courriel', 'correo', 'correo electronico', 'e-mail-adresse', 'adresse e-mail', 'adresse mail', 'e-mail address'],
  name: ['name', 'full name', 'learner', 'nome', 'nome e cognome', 'vardas', 'vardas pavarde', 'nume', 'nom', 'nombre', 'nombre completo', 'vardas ir pavardė', 'vardas pavardė'],
  language: ['language', 'lang', 'lingua', 'kalba', 'limba', 'langue', 'idioma', 'sprache'],
  evidenceUrl: ['evidence url', 'evidence', 'evidence link', 'portfolio', 'link', 'url', 'evidence link', 'link alla prova', 'įrodymo url', 'url-ul dovezii', 'url dovezii', 'url de la preuve', 'url de la evidencia', 'nachweis-url', 'nachweis url'],
  evidenceName: ['evidence name', 'evidence title', 'nome della prova', 'įrodymo pavadinimas', 'denumirea dovezii', 'nom de la preuve', 'nombre de la evidencia', 'bezeichnung des nachweises'],
  narrative: ['narrative', 'description', 'how earned', 'note', 'notes', 'descrizione', 'note', 'aprašymas', 'descriere', 'descripción', 'beschreibung'],
  result: ['result', 'grade', 'score', 'risultato', 'voto', 'rezultatas', 'rezultat', 'resultat', 'resultado', 'ergebnis', 'note finale'],
  activityStartDate: ['start', 'start date', 'from', 'data inizio', 'pradzia', 'data de inceput', 'date de debut', 'fecha de inicio', 'beginn'],
  activityEndDate: ['end', 'end date', 'to', 'completed', 'data fine', 'pabaiga', 'data de sfarsit', 'date de fin', 'fecha de fin', 'ende'],
  validUntil: ['valid until', 'expires', 'expiry', 'scadenza', 'galioja iki', 'valabil pana la', 'valable jusqu au', 'valido hasta', 'gultig bis'],
};
const normalise = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[_'’.-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/\be mail\b/g, 'email')
    .trim();
const COLUMN_OF = new Map<string, Column>(Object.entries(NAMES).flatMap(([column, names]) => names.map((n) => [normalise(n), column as Column] as const)));

/** What can be wrong with a row, as stable codes: the console words them in each language, the API in English. */
export type ProblemCode =
  | 'required'
  | 'invalid_email'
  | 'invalid_url'
  | 'invalid_date'
  | 'too_long'
  | 'unknown_language'
  | 'language_unavailable'
  | 'end_before_start'
  | 'date_in_past'
  | 'duplicate_row'
  | 'invalid';

export interface RowProblem {
  column: Column | 'row';
  code: ProblemCode;
  params?: Record<string, string | number>;
}

/** A problem in plain English (the API's words; the console has them in seven languages). */
export function problemMessage({ column, code, params = {} }: RowProblem): string {
  const where = column === 'row' ? 'the row' : `"${column}"`;
  switch (code) {
    case 'required':
      return `${where} is empty: every learner needs an e-mail address`;
    case 'invalid_email':
      return `${where} is not an e-mail address`;
    case 'invalid_url':
      return `${where} is not a web address (it must start with https://)`;
    case 'invalid_date':
      return `${where} is not a date (write 31/12/2026 or 2026-12-31)`;
    case 'too_long':
      return `${where} is longer than ${params.max ?? 'allowed'} characters`;
    case 'unknown_language':
      return `${where} is not one of the languages en, it, lt, ro, fr, es, de`;
    case 'language_unavailable':
      return `the badge has no text in "${params.language}" (it has: ${params.available})`;
    case 'end_before_start':
      return `the end date is before the start date`;
    case 'date_in_past':
      return `${where} is not in the future`;
    case 'duplicate_row':
      return `the same learner and award as row ${params.row}`;
    default:
      return `${where} is not valid`;
  }
}

export interface SheetRow {
  /** The row's number as the spreadsheet shows it (the header is row 1). */
  number: number;
  award?: AwardRequest;
  problems: RowProblem[];
  /** Same row, same key: what makes a row issued once however often the sheet is uploaded. */
  key?: string;
}

export interface Sheet {
  columns: Column[];
  /** Headers that match no column: reported, not fatal. */
  ignored: string[];
  rows: SheetRow[];
}

export class SheetError extends Error {
  override name = 'SheetError';
}

const day = (value: string, end: boolean): string => {
  const v = value.trim();
  // 31/12/2026 and 31.12.2026 (day first, as the seven languages write dates), or ISO 2026-12-31.
  const dmy = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(v);
  const iso = dmy ? `${dmy[3]}-${dmy[2]!.padStart(2, '0')}-${dmy[1]!.padStart(2, '0')}` : v;
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T${end ? '23:59:59' : '00:00:00'}Z` : v;
};

export interface SheetOptions {
  badgeClass: string;
  orgId: string;
  defaultLanguage?: string;
}

/** Reads a CSV (UTF-8, with or without BOM; `,` or `;`) into awards of `badgeClass`, each row checked. */
export function readSheet(text: string, options: SheetOptions): Sheet {
  const clean = text.replace(/^\uFEFF/, '');
  const firstLine = clean.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  let records: string[][];
  try {
    records = parse(clean, { delimiter, relax_column_count: true, skip_empty_lines: false, trim: true, bom: true, to: MAX_ROWS + 2 }) as string[][];
  } catch (e) {
    throw new SheetError(`the file is not a readable CSV: ${(e as Error).message}`);
  }
  return readRecords(records, options);
}

/** Rows of cells, the first naming the columns (a CSV's records, or a workbook's first sheet), read into checked awards. */
export function readRecords(records: string[][], { badgeClass, orgId, defaultLanguage }: SheetOptions): Sheet {
  const [header, ...body] = records;
  if (!header) throw new SheetError('the file is empty');
  if (body.length > MAX_ROWS) throw new SheetError(`the file has more than ${MAX_ROWS} rows; split it`);
  const mapping = header.map((h) => COLUMN_OF.get(normalise(h)));
  if (!mapping.includes('email')) throw new SheetError('no column holds the e-mail address (a column named "email" or "e-mail")');
  const columns = [...new Set(mapping.filter((c): c is Column => c !== undefined))];
  const ignored = header.filter((_, i) => mapping[i] === undefined && header[i]!.trim() !== '');

  // Each row keeps the number the spreadsheet shows; rows with no cell filled in (a blank line, a
  // workbook's formatted but empty rows) are not learners and are left out.
  const filled = body.flatMap((cells, i) => (cells.some((c) => c.trim() !== '') ? [{ cells, number: i + 2 }] : []));
  const rows = filled.map(({ cells, number }): SheetRow => {
    const value = (column: Column) => {
      const at = mapping.indexOf(column);
      const v = at >= 0 ? (cells[at] ?? '').trim() : '';
      return v === '' ? undefined : v;
    };
    const evidenceUrl = value('evidenceUrl');
    const evidenceName = value('evidenceName');
    const candidate = {
      badgeClass,
      recipient: { ...(value('email') ? { email: value('email') } : {}), ...(value('name') ? { name: value('name') } : {}) },
      ...(value('language') ?? defaultLanguage ? { language: languageCode((value('language') ?? defaultLanguage)!) } : {}),
      ...(evidenceUrl || evidenceName ? { evidence: [{ ...(evidenceUrl ? { id: evidenceUrl } : {}), ...(evidenceName ? { name: evidenceName } : {}) }] } : {}),
      ...(value('narrative') ? { narrative: value('narrative') } : {}),
      ...(value('result') ? { results: [{ value: value('result') }] } : {}),
      ...(value('activityStartDate') ? { activityStartDate: day(value('activityStartDate')!, false) } : {}),
      ...(value('activityEndDate') ? { activityEndDate: day(value('activityEndDate')!, true) } : {}),
      ...(value('validUntil') ? { validUntil: day(value('validUntil')!, true) } : {}),
    };
    const parsed = awardRequestSchema.safeParse(candidate);
    if (!parsed.success) {
      return { number, problems: parsed.error.issues.map(problemOf) };
    }
    const key = createHash('sha256').update(`${orgId}\n${stableStringify(parsed.data)}`).digest('base64url');
    return { number, award: parsed.data, problems: [], key: `sheet:${key}` };
  });
  // The same learner twice in one sheet is one award.
  const seen = new Map<string, number>();
  for (const row of rows) {
    if (!row.key) continue;
    const first = seen.get(row.key);
    if (first !== undefined) row.problems.push({ column: 'row', code: 'duplicate_row', params: { row: first } });
    else seen.set(row.key, row.number);
  }
  return { columns, ignored, rows };
}

/** Languages as people write them in a sheet: a code (`it`, `IT`, `it-IT`) or a name in English or in the language itself. */
const LANGUAGE_NAMES: Record<string, string> = {
  english: 'en', inglese: 'en',
  italian: 'it', italiano: 'it',
  lithuanian: 'lt', lietuviu: 'lt', 'lietuviu kalba': 'lt',
  romanian: 'ro', romana: 'ro', 'limba romana': 'ro',
  french: 'fr', francais: 'fr',
  spanish: 'es', espanol: 'es', castellano: 'es',
  german: 'de', deutsch: 'de',
};
function languageCode(value: string): string {
  const v = normalise(value);
  const tag = /^([a-z]{2})(?:[ -][a-z]{2})?$/.exec(v);
  return tag ? tag[1]! : LANGUAGE_NAMES[v] ?? v;
}

const DATE_COLUMNS: Column[] = ['activityStartDate', 'activityEndDate', 'validUntil'];
function problemOf(issue: { code: string; path: PropertyKey[]; message: string; maximum?: unknown }): RowProblem {
  const path = issue.path.map(String);
  const column = columnOf(path);
  if (path.join('.') === 'recipient') return { column: 'email', code: 'required' };
  if (issue.code === 'too_big' && typeof issue.maximum === 'number') return { column, code: 'too_long', params: { max: issue.maximum } };
  if (column === 'email') return { column, code: 'invalid_email' };
  if (column === 'evidenceUrl') return { column, code: 'invalid_url' };
  if (column === 'language') return { column, code: 'unknown_language' };
  if (column === 'activityEndDate' && issue.code === 'custom') return { column, code: 'end_before_start' };
  if ((DATE_COLUMNS as string[]).includes(column)) return { column, code: 'invalid_date' };
  return { column, code: 'invalid' };
}

function columnOf(path: string[]): Column | 'row' {
  const joined = path.join('.');
  if (joined.startsWith('recipient.email') || joined === 'recipient') return 'email';
  if (joined.startsWith('recipient.name')) return 'name';
  if (joined.startsWith('evidence.0.id')) return 'evidenceUrl';
  if (joined.startsWith('evidence.0.name')) return 'evidenceName';
  if (joined.startsWith('results')) return 'result';
  const top = path[0] as Column | undefined;
  return top && top in NAMES ? top : 'row';
}
