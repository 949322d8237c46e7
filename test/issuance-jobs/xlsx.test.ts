import { strToU8, unzipSync, zipSync } from 'fflate';
import request from 'supertest';
import writeXlsxFile from 'write-excel-file/node';
import { readXlsx, XLSX_TYPE } from '../../src/issuance-jobs/xlsx.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

/**
 * Excel workbooks: read in a thread of their own with a heap limit and a deadline, so that a zip that
 * inflates far beyond its size is refused in plain words and the service goes on.
 */
type Cell = { value: string | number | Date; type?: DateConstructor | NumberConstructor; format?: string } | null;
const workbook = (rows: Cell[][]) => writeXlsxFile(rows).toBuffer();
const text = (value: string): Cell => ({ value });

describe('reading a workbook', () => {
  it('gives every cell as text, dates as days, as a CSV would', async () => {
    const bytes = await workbook([
      [text('E-mail'), text('Nome'), text('Data fine'), text('Risultato')],
      [text('maria@example.org'), text('Maria Rossi'), { value: new Date('2026-06-30T00:00:00Z'), type: Date, format: 'dd/mm/yyyy' }, { value: 28, type: Number }],
      [null, null, null, null],
      [text('ion@example.org'), null, null, null],
    ]);
    expect(await readXlsx(bytes)).toEqual([
      ['E-mail', 'Nome', 'Data fine', 'Risultato'],
      ['maria@example.org', 'Maria Rossi', '2026-06-30', '28'],
      ['', '', '', ''],
      ['ion@example.org', '', '', ''],
    ]);
  });

  it('refuses a zip that inflates beyond its limits, and one that is no workbook, without stopping the service', async () => {
    // A real workbook whose shared string is made 150 MB long: about 150 KB once zipped.
    const parts = unzipSync(await workbook([[text('E-mail')], [text('x')]]));
    const strings = Object.keys(parts).find((name) => name.includes('sharedStrings')) ?? 'xl/sharedStrings.xml';
    parts[strings] = strToU8(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2"><si><t>E-mail</t></si><si><t>${'a'.repeat(150 * 1024 * 1024)}</t></si></sst>`);
    const bomb = zipSync(parts, { level: 9 });
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    await expect(readXlsx(bomb)).rejects.toThrow(/too large once unpacked/);
    // What the parts' headers claim counts for nothing: the cap holds on what they inflate to.
    await expect(readXlsx(bomb, { unpackedBytes: 160 * 1024 * 1024 })).resolves.toHaveLength(2);
    await expect(readXlsx(Buffer.from('PK\x03\x04 but nothing of a zip after that'))).rejects.toThrow(/not a workbook this service can read/);
  }, 60_000);
});

describe('a workbook uploaded as a job', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('is read like its CSV: the same checks, the same row numbers', async () => {
    const bytes = await workbook([
      [text('Email'), text('Name'), text('Language'), text('End date')],
      [text('ana@example.org'), text('Ana'), text('it'), { value: new Date('2026-06-30T00:00:00Z'), type: Date, format: 'dd/mm/yyyy' }],
      [text('not-an-address'), text('Bo'), text('it'), null],
    ]);
    const res = await request(t.app)
      .post('/api/v1/issuance-jobs?badgeClass=carer-plus-digital-communication&fileName=cohort.xlsx')
      .set('Authorization', `Bearer ${t.apiKey}`)
      .set('Content-Type', XLSX_TYPE)
      .send(bytes)
      .expect(201);
    expect([res.body.total, res.body.valid, res.body.problems[0].row, res.body.problems[0].problems[0].code]).toEqual([2, 1, 3, 'invalid_email']);
    const rows = await t.ctx.storage.jobs.rows(res.body.id as string, { states: ['pending'], limit: 5 });
    expect(rows[0]!.award).toMatchObject({ recipient: { email: 'ana@example.org', name: 'Ana' }, language: 'it', activityEndDate: '2026-06-30T23:59:59Z' });
  });
});
